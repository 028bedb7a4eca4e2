"""SQLite's own online backup: a consistent copy of a database that is in use.

``sqlite3.Connection.backup()`` copies the database page by page under a read
transaction, so the copy is one moment of it, the write-ahead log included, while
the site keeps writing (WAL). Copying the file with ``cp`` is not: under WAL, the
latest transactions live in ``db.sqlite3-wal`` until a checkpoint. A restore is the
same copy the other way, in one write transaction: a process that reads the
database meanwhile sees all the old rows or all the restored ones.

See https://docs.python.org/3/library/sqlite3.html#sqlite3.Connection.backup and
https://www.sqlite.org/backup.html
"""

import sqlite3
from contextlib import closing
from pathlib import Path

from django.conf import settings

SUFFIX = ".sqlite3"
# Every SQLite database file starts with these 16 bytes: https://www.sqlite.org/fileformat.html
HEADER = b"SQLite format 3\x00"


def database() -> str:
    """The file of the default database, as the settings name it."""
    return str(settings.DATABASES["default"]["NAME"])


def copy(source: str | Path, target: str | Path, journal_mode: str | None = None) -> None:
    """Copy one SQLite database onto another, consistently, whatever uses either."""
    timeout = settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 5)
    with (
        closing(sqlite3.connect(source, timeout=timeout)) as reading,
        closing(sqlite3.connect(target, timeout=timeout)) as writing,
    ):
        reading.backup(writing)
        if journal_mode:
            writing.execute(f"PRAGMA journal_mode={journal_mode}")


def back_up(path: Path) -> None:
    # The copy is one file of its own: no -wal file beside it, even while it is read.
    copy(database(), path, journal_mode="DELETE")


def restore(path: Path) -> None:
    copy(path, database())


def why_not_a_backup(path: Path) -> str | None:
    """None when the file is an intact SQLite database, else why it is not a backup."""
    with path.open("rb") as file:
        if file.read(len(HEADER)) != HEADER:
            return "it is not an SQLite database"
    # Read-only: checking a file must never change it.
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as backup:
        try:
            (result,) = backup.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as error:
            return f"it is damaged ({error})"
    return None if result == "ok" else f"it is damaged ({result})"
