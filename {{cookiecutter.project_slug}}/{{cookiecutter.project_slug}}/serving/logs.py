"""Logging filters of the production settings' LOGGING.

See https://docs.djangoproject.com/en/6.1/topics/logging/#topic-logging-parts-filters
"""

import logging


class OneLineWarning(logging.Filter):
    """Logs a record as one warning line, without its traceback.

    For a refused Host: a client's mistake, not a server error. Scanners send
    unknown Host headers all day; Django logs each at ERROR with its traceback,
    which floods the logs and alerts on errors. The message names the host.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True
