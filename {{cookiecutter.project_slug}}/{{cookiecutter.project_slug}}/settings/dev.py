"""Development settings: what ``manage.py`` uses unless told otherwise.

``daphne`` leads INSTALLED_APPS so that ``manage.py runserver`` is daphne's
ASGI server, with autoreload: development serves the way production does.

See https://docs.djangoproject.com/en/6.1/ref/django-admin/#runserver
"""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", ".localhost"]

INSTALLED_APPS = ["daphne", *INSTALLED_APPS]

# Mail is printed to the console instead of being sent.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
