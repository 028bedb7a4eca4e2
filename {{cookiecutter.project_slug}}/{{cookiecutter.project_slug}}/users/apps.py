"""The app that holds the project's user model.

See https://docs.djangoproject.com/en/6.1/ref/applications/
"""

from django.apps import AppConfig


class UsersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "{{ cookiecutter.project_slug }}.users"
