"""``manage.py restore_database FILE``: the database, as a backup of it holds it.

It replaces the rows of every table that the backup holds, so it asks first,
as ``flush`` does, unless given ``--no-input``. A file that is missing, or is not
a backup of this engine, is refused before anything changes. Stop the processes
that write to the database first (the README, "Backups", per deploy target).

See https://docs.djangoproject.com/en/6.1/howto/custom-management-commands/
"""

from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from {{ cookiecutter.project_slug }}.backups import {{ cookiecutter.database }} as engine
from {{ cookiecutter.project_slug }}.backups.files import unapplied_migrations


class Command(BaseCommand):
    help = "Replace the database's contents with a backup's (backup_database wrote it)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the backup to restore")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="restore without asking first",
        )

    def handle(self, *args: str, file: Path, interactive: bool, **options: object) -> None:
        if not file.is_file():
            raise CommandError(f"Not restoring: {file} is not a file")
        if reason := engine.why_not_a_backup(file):
            raise CommandError(f"Not restoring: {file} is not a backup: {reason}")
        if interactive:
            answer = input(
                f"This replaces the contents of the database {engine.database()} with the "
                f"backup {file}.\nType 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                self.stdout.write("Restore cancelled.")
                return
        engine.restore(file)
        self.stdout.write(f"Restored the database from {file}")
        if missing := unapplied_migrations():
            # An older backup: its release had fewer migrations than this code.
            self.stdout.write(
                f"It lacks {len(missing)} migration(s) of this code: run manage.py migrate"
            )
