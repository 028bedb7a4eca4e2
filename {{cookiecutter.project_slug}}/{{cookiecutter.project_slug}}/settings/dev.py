"""Development settings: what ``manage.py`` uses unless told otherwise.

``daphne`` comes before staticfiles in INSTALLED_APPS so that ``manage.py
runserver`` is daphne's ASGI server, with autoreload: development serves the way
production does. The pages app comes before both: its runserver is daphne's, with
the Tailwind CLI rebuilding the stylesheet as templates change.

The Django Debug Toolbar shows on every page requested from this machine. It
comes with the dev dependency group (``uv sync``, or ``pip install --group dev``),
which production does not install: only these settings and their URLconf entries
(urls.py) name it.

See https://docs.djangoproject.com/en/6.1/ref/django-admin/#runserver
and https://django-debug-toolbar.readthedocs.io/en/latest/installation.html
"""

import importlib.util

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, SECURE_CSP

if importlib.util.find_spec("debug_toolbar") is None:
    raise ImproperlyConfigured(
        "the dev settings need the dev dependency group: uv sync, or pip install --group dev -e ."
    )

DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", ".localhost"]

staticfiles = INSTALLED_APPS.index("django.contrib.staticfiles")
INSTALLED_APPS = [
    *INSTALLED_APPS[:staticfiles],
    "daphne",
    *INSTALLED_APPS[staticfiles:],
    "debug_toolbar",
]
# First, so that it times and sees everything the others do.
MIDDLEWARE = ["debug_toolbar.middleware.DebugToolbarMiddleware", *MIDDLEWARE]
# The toolbar shows only for requests from these addresses: this machine.
INTERNAL_IPS = ["127.0.0.1", "::1"]

# The production policy, reported instead of enforced: the browser's console names
# what production would block, and the page still works while you fix it.
SECURE_CSP_REPORT_ONLY = SECURE_CSP
SECURE_CSP = {}

# Mail is printed to the console instead of being sent.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Passkeys on the dev server's plain-HTTP origins. A passkey's relying party cannot be
# an IP address: open http://localhost:8000/, not 127.0.0.1, to register one.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
