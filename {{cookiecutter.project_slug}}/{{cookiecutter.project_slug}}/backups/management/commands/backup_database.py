"""``manage.py backup_database``: a consistent copy of the database, in DJANGO_BACKUP_DIR.

It refuses a database that lacks some of this code's migrations: a backup of a
half-deployed release would restore into a database that no release runs. Once
the new backup is complete, it deletes all but the newest DJANGO_BACKUP_KEEP.

See https://docs.djangoproject.com/en/6.1/howto/custom-management-commands/
"""

from django.core.management.base import BaseCommand, CommandError

from {{ cookiecutter.project_slug }}.backups import {{ cookiecutter.database }} as engine
from {{ cookiecutter.project_slug }}.backups.files import prune, unapplied_migrations, write_backup


class Command(BaseCommand):
    help = "Back up the database to a new file in DJANGO_BACKUP_DIR, keeping DJANGO_BACKUP_KEEP."

    def handle(self, *args: str, **options: object) -> None:
        if missing := unapplied_migrations():
            raise CommandError(
                f"Not backing up: the database lacks {len(missing)} migration(s) of this "
                f"code, from {missing[0]}; run manage.py migrate first"
            )
        path = write_backup(engine.SUFFIX, engine.back_up)
        self.stdout.write(f"Backed up the database to {path}")
        for deleted in prune(engine.SUFFIX):
            self.stdout.write(f"Deleted the older backup {deleted}")
