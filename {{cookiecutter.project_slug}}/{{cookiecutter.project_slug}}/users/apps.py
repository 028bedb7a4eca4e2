"""The app that holds the project's user model, and what happens when people sign in.

See https://docs.djangoproject.com/en/6.1/ref/applications/
"""

from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.users"

    def ready(self) -> None:
        # Connected once the app registry is ready, whichever module is imported first:
        # https://docs.djangoproject.com/en/6.1/topics/signals/#connecting-receiver-functions
        from django.contrib.auth.signals import user_login_failed

        from .login_limit import log_and_count

        user_login_failed.connect(log_and_count, dispatch_uid="login_limit")
