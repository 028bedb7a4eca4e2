"""Where backups go, what they are named, how many are kept, and when one may be taken.

A backup is ``{{ cookiecutter.project_slug }}-<UTC time>`` plus the engine's suffix, in
``settings.BACKUP_DIR``: the names sort in the order the backups were taken. It is
written under a temporary name and renamed once complete, so a backup that failed
half-way is never taken for one, nor counted among the ``settings.BACKUP_KEEP``
newest that pruning keeps.
"""

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

PREFIX = "{{ cookiecutter.project_slug }}-"


def unapplied_migrations() -> list[str]:
    """The migrations of this code that the database lacks, as ``migrate --plan`` lists them."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def backups(suffix: str) -> list[Path]:
    """The complete backups in the backup directory, oldest first."""
    directory = Path(settings.BACKUP_DIR)
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.glob(f"{PREFIX}*{suffix}") if path.is_file())


def write_backup(suffix: str, write: Callable[[Path], None]) -> Path:
    """A new backup, written by ``write`` to a temporary path, then renamed into place."""
    directory = Path(settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    taken = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = directory / f"{PREFIX}{taken}{suffix}"
    partial = path.with_name(path.name + ".partial")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def prune(suffix: str) -> list[Path]:
    """Delete all but the newest ``settings.BACKUP_KEEP`` backups; return the deleted ones."""
    older = backups(suffix)[: -settings.BACKUP_KEEP]
    for path in older:
        path.unlink()
    return older
