"""The app that holds the site's pages, their templates and their stylesheet.

See https://docs.djangoproject.com/en/6.1/ref/applications/
"""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.pages"
