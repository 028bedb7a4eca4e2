"""Error reports to Sentry, started by the production settings when SENTRY_DSN is set.

An unhandled error in a view, or a record logged at ERROR, becomes a Sentry event
tagged with its request's id (serving/request_id.py): the same id as in the log
lines and the response's X-Request-ID, so a report, its logs and the person who
saw the error page find each other. No personal data is sent: no cookies, no
user, no client address. Without a DSN this module is not even imported.

See https://docs.sentry.io/platforms/python/integrations/django/
"""

import re

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint
from sentry_sdk.utils import BadDsn, Dsn

from ..settings.readers import invalid
from .request_id import request_id

# Request headers that say how a request was made, and nothing about who made it.
SAFE_HEADERS = ["accept", "content-length", "content-type", "host", "user-agent", "x-request-id"]


def tag_request_id(event: Event, hint: Hint) -> Event:
    """Sentry's before_send: the event, tagged with the id of the request that raised it."""
    if (value := request_id.get()) is not None:
        event.setdefault("tags", {})["request_id"] = value
    return event


def start(dsn: str, environment: str, release: str | None) -> None:
    """Report to the project of a DSN; a malformed one stops start-up, naming SENTRY_DSN."""
    try:
        Dsn(dsn)
    except BadDsn:
        # The key is no password, but it lets anyone send events: it is not shown.
        shown = re.sub(r"//[^@/]*@", "//***@", dsn)
        raise invalid("SENTRY_DSN", "be a DSN, https://KEY@HOST/PROJECT_ID", shown) from None
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        # No personal data. sentry-sdk 3 collects users, cookies, headers and bodies
        # unless told not to; the request's id and its safe headers are enough to debug.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": SAFE_HEADERS}},
            "http_bodies": [],
        },
        integrations=[DjangoIntegration()],
        before_send=tag_request_id,
    )
