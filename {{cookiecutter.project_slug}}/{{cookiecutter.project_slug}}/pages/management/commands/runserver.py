"""``manage.py runserver``: daphne's, with the Tailwind CLI watching the stylesheet.

The CLI rebuilds static/css/site.css whenever a template or styles/site.css changes,
and runserver serves the new file on the next request: no manual step.

A command of the same name in an app listed before daphne replaces daphne's, as
https://docs.djangoproject.com/en/6.1/howto/custom-management-commands/#overriding-commands
describes. See also https://docs.djangoproject.com/en/6.1/ref/django-admin/#runserver
"""

import os
import subprocess
from typing import Any

from daphne.management.commands import runserver
from django.utils import autoreload

from {{ cookiecutter.project_slug }}.pages.tailwind import tailwind_command


class Command(runserver.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        # The autoreloader runs this command twice: an outer process that restarts an
        # inner one after each code change. Only the outer one (or the only one, with
        # --noreload) starts the watcher, so one runs and it outlives the restarts.
        if os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true":
            super().handle(*args, **options)
            return
        # Its input is a pipe that only this process holds: the CLI stops watching
        # when it closes, even if this process is killed.
        watcher = subprocess.Popen(tailwind_command("--watch", "--silent"), stdin=subprocess.PIPE)
        try:
            super().handle(*args, **options)
        finally:
            if watcher.stdin is not None:
                watcher.stdin.close()
            try:
                watcher.wait(timeout=5)
            except subprocess.TimeoutExpired:
                watcher.kill()
                watcher.wait()
