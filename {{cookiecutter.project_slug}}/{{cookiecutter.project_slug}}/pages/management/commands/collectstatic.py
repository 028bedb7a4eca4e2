"""``manage.py collectstatic``, which builds the stylesheet before it collects.

A command of the same name in an app listed before django.contrib.staticfiles
replaces staticfiles' own, as
https://docs.djangoproject.com/en/6.1/howto/custom-management-commands/#overriding-commands
describes.
"""

from typing import Any

from django.contrib.staticfiles.management.commands import collectstatic

from {{ cookiecutter.project_slug }}.pages.tailwind import build_stylesheet


class Command(collectstatic.Command):
    def handle(self, **options: Any) -> str | None:
        # Every collect ships the stylesheet of the templates it collects with.
        build_stylesheet()
        return super().handle(**options)
