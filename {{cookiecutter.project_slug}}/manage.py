#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

It defaults to the development settings; export DJANGO_SETTINGS_MODULE to use
others, e.g. ``DJANGO_SETTINGS_MODULE={{ cookiecutter.project_slug }}.settings.prod``.
See https://docs.djangoproject.com/en/6.1/ref/django-admin/
"""

import os
import sys


def main() -> None:
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings.dev")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # Missing or malformed configuration: one line that names the variable beats a traceback.
        sys.exit(f"ImproperlyConfigured: {error}")


if __name__ == "__main__":
    main()
