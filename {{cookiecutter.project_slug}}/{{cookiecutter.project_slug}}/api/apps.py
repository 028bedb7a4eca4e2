"""The API: django-ninja under /api/, its example resource and the personal access tokens.

See https://docs.djangoproject.com/en/6.1/ref/applications/
"""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.api"
