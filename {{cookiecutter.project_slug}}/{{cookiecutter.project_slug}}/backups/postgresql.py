"""PostgreSQL's own tools: ``pg_dump --format=custom`` and ``pg_restore``.

pg_dump copies the database as one snapshot (a single repeatable-read
transaction), so the copy is consistent while the site keeps writing; the custom
format is compressed, and pg_restore checks it before it changes anything. The
restore runs in one transaction: it applies the whole backup or, on any error,
nothing. The connection comes from ``settings.DATABASES``, and reaches the tools
through libpq's environment variables: the password never shows on a command
line, where any user of the machine could read it.

See https://www.postgresql.org/docs/current/app-pgdump.html,
https://www.postgresql.org/docs/current/app-pgrestore.html and
https://www.postgresql.org/docs/current/libpq-envars.html
"""

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

SUFFIX = ".dump"
# Every archive in pg_dump's custom format starts with these bytes.
HEADER = b"PGDMP"
# The libpq variables of the connection options that may sit in DATABASES["default"].
OPTION_VARIABLES = {
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def database() -> str:
    """The name of the default database, as the settings name it."""
    return str(settings.DATABASES["default"]["NAME"])


def environment() -> dict[str, str]:
    """This process's environment, with the default database's connection in libpq's terms."""
    config = settings.DATABASES["default"]
    given = {
        "PGHOST": config.get("HOST"),
        "PGPORT": config.get("PORT"),
        "PGUSER": config.get("USER"),
        "PGPASSWORD": config.get("PASSWORD"),
        "PGDATABASE": config["NAME"],
    }
    options = config.get("OPTIONS", {})
    given |= {variable: options.get(name) for name, variable in OPTION_VARIABLES.items()}
    return {**os.environ, **{name: str(value) for name, value in given.items() if value}}


def run(tool: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL client tool; its last error line is the command's, on failure."""
    path = shutil.which(tool)
    if path is None:
        raise CommandError(f"{tool} is not installed: apt-get install postgresql-client")
    # --no-password: a missing password fails at once instead of waiting for a prompt.
    finished = subprocess.run(
        [path, "--no-password", *arguments],
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode:
        lines = finished.stderr.strip().splitlines() or [f"exit status {finished.returncode}"]
        raise CommandError(f"{tool} failed: {lines[-1]}")
    return finished


def back_up(path: Path) -> None:
    run("pg_dump", "--format=custom", f"--file={path}")


def restore(path: Path) -> None:
    # --clean --if-exists: each object of the backup replaces the one of the same name,
    # if there is one. --no-owner --no-privileges: it belongs to this connection's role,
    # which need not be the one that owned it where the backup was taken.
    run(
        "pg_restore",
        *("--clean", "--if-exists", "--no-owner", "--no-privileges"),
        *("--single-transaction", "--exit-on-error"),
        f"--dbname={database()}",
        str(path),
    )


def why_not_a_backup(path: Path) -> str | None:
    """None when pg_restore can read the file's table of contents, else why it cannot."""
    with path.open("rb") as file:
        if file.read(len(HEADER)) != HEADER:
            return "it is not an archive of pg_dump --format=custom"
    try:
        run("pg_restore", "--list", str(path))
    except CommandError as error:
        return f"it is damaged ({error})"
    return None
