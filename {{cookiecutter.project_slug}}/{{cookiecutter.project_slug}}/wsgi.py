"""WSGI entry point, for WSGI servers such as gunicorn.

Like ``asgi.py``, it defaults to the production settings; an exported
DJANGO_SETTINGS_MODULE always wins. Proxy headers are believed from trusted
proxies only (serving/proxy.py).

See https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings.prod")

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from .serving.proxy import TrustedProxyHeadersWSGI

try:
    django_application = get_wsgi_application()
except ImproperlyConfigured as error:
    # A server should stop with the line that names the missing variable, not a traceback.
    raise SystemExit(f"ImproperlyConfigured: {error}") from None

application = TrustedProxyHeadersWSGI(django_application, settings.TRUSTED_PROXIES)
