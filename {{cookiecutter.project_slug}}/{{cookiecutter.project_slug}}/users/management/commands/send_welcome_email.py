"""``manage.py send_welcome_email ADDRESS...``: queue the welcome email for each address.

It returns once the tasks are stored; ``manage.py db_worker`` sends them. Every
address is checked before any is queued.

See https://docs.djangoproject.com/en/6.1/howto/custom-management-commands/
"""

from argparse import ArgumentParser

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from {{ cookiecutter.project_slug }}.users.tasks import send_welcome_email


class Command(BaseCommand):
    help = "Queue the welcome email for each address; the worker sends them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("addresses", nargs="+", metavar="address")

    def handle(self, *args: str, addresses: list[str], **options: object) -> None:
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                raise CommandError(f"{address!r} is not an email address") from None
        for address in addresses:
            result = send_welcome_email.enqueue(address)
            self.stdout.write(f"Queued the welcome email to {address}: task {result.id}")
