"""ASGI entry point: what daphne serves in production.

It defaults to the production settings, so a server started with nothing
configured gets production safety and a clear error about what is missing,
never DEBUG on the internet. An exported DJANGO_SETTINGS_MODULE always wins,
which is how ``manage.py runserver`` keeps the development settings.

See https://docs.djangoproject.com/en/6.1/howto/deployment/asgi/
"""

import os

from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings.prod")

try:
    application = get_asgi_application()
except ImproperlyConfigured as error:
    # A server should stop with the line that names the missing variable, not a traceback.
    raise SystemExit(f"ImproperlyConfigured: {error}") from None
