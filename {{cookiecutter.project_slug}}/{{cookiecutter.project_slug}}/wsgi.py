"""WSGI entry point, for WSGI servers such as gunicorn.

Like ``asgi.py``, it defaults to the production settings; an exported
DJANGO_SETTINGS_MODULE always wins.

See https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings.prod")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    # A server should stop with the line that names the missing variable, not a traceback.
    raise SystemExit(f"ImproperlyConfigured: {error}") from None
