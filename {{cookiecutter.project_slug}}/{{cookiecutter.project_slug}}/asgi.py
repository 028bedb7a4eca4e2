"""ASGI entry point: what daphne serves in production.

It defaults to the production settings, so a server started with nothing
configured gets production safety and a clear error about what is missing,
never DEBUG on the internet. An exported DJANGO_SETTINGS_MODULE always wins,
which is how ``manage.py runserver`` keeps the development settings.

HTTP goes to Django's own ASGI handler, which runs settings.MIDDLEWARE as it
stands. Around it, plain ASGI wrappers from ``serving/``: ``/healthz`` is
answered before Django, every request gets an id (in the logs and the
response), and proxy headers are believed from trusted proxies only.
{%- if cookiecutter.use_channels %}

WebSockets go to the Channels consumers, after a check of their Origin against
ALLOWED_HOSTS and the site's own scheme and port (rooms/origin.py), and with the
session's user in their scope.
{%- endif %}

See https://docs.djangoproject.com/en/6.1/howto/deployment/asgi/
{%- if cookiecutter.use_channels %}
and https://channels.readthedocs.io/en/stable/deploying.html
{%- endif %}
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings.prod")

from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

from .serving.liveness import LivenessProbe
from .serving.proxy import TrustedProxyHeaders
from .serving.request_id import RequestId

try:
    django_application = get_asgi_application()
except ImproperlyConfigured as error:
    # A server should stop with the line that names the missing variable, not a traceback.
    raise SystemExit(f"ImproperlyConfigured: {error}") from None
{%- if cookiecutter.use_channels %}

# Imported only now: Django must be set up before anything touches the models.
from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator

from .rooms.origin import SameOriginValidator
from .rooms.routing import websocket_urlpatterns

protocols = ProtocolTypeRouter(
    {
        "http": django_application,
        # Channels' check keeps a Host outside ALLOWED_HOSTS out; the inner one the
        # pages of another scheme or port of an allowed host.
        "websocket": AllowedHostsOriginValidator(
            SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
{%- endif %}

# From the outside in: the liveness probe, the request's id, the client's address.
application = LivenessProbe(
    RequestId(
        TrustedProxyHeaders(
            {{ "protocols" if cookiecutter.use_channels else "django_application" }},
            settings.TRUSTED_PROXIES,
        )
    )
)
