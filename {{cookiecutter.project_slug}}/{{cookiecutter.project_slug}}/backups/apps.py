"""The app that backs up and restores the database: its management commands.

See https://docs.djangoproject.com/en/6.1/ref/applications/
"""

from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.backups"
