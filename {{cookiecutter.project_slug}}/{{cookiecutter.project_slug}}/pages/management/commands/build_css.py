"""``manage.py build_css``: build the site's stylesheet with the Tailwind CLI.

runserver watches and rebuilds it on its own, and collectstatic builds it first;
this command is for a build by hand, or a watcher of its own (``--watch``).

See https://docs.djangoproject.com/en/6.1/howto/custom-management-commands/
"""

import contextlib
import subprocess
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from {{ cookiecutter.project_slug }}.pages.tailwind import OUTPUT, build_stylesheet, tailwind_command


class Command(BaseCommand):
    help = "Build static/css/site.css from styles/site.css with the Tailwind CLI."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--watch",
            action="store_true",
            help="Rebuild on every change to the stylesheet or the templates, until interrupted.",
        )

    def handle(self, *args: Any, watch: bool, verbosity: int, **options: Any) -> None:
        if not watch:
            build_stylesheet()
            if verbosity:
                self.stdout.write(f"Built {OUTPUT}")
            return
        # "always": it keeps watching even where its input is closed (under a process manager).
        command = tailwind_command("--watch=always")
        with contextlib.suppress(KeyboardInterrupt):
            subprocess.run(command, check=False)
