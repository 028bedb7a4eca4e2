"""The WebSocket handshake's Origin must be the site's own: scheme, host and port.

Channels' AllowedHostsOriginValidator compares only the Origin's host with
ALLOWED_HOSTS, so a page on another port or scheme of that host (another
service's http://example.com:8080) could open a socket that carries the visitor's
session cookie. This compares the whole Origin, as Django's CSRF check does for
a form's POST: with the handshake's own scheme and Host, or with one of
CSRF_TRUSTED_ORIGINS.

See https://docs.djangoproject.com/en/6.1/ref/csrf/#how-it-works
"""

from django.conf import settings

from ..serving.asgi_types import Application, Receive, Scope, Send


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header, or None."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def scheme(scope: Scope) -> str:
    """The page scheme that this handshake belongs to, as Django's request.scheme reads it.

    Behind a TLS proxy daphne sees plain ws: SECURE_PROXY_SSL_HEADER says https,
    and serving/proxy.py has already dropped that header from any untrusted peer.
    """
    # Optional in an ASGI WebSocket scope ("ws" when absent), and daphne leaves it out.
    if scope.get("scheme", "ws") == "wss":
        return "https"
    if settings.SECURE_PROXY_SSL_HEADER:
        meta_name, secure_value = settings.SECURE_PROXY_SSL_HEADER
        name = meta_name.removeprefix("HTTP_").replace("_", "-").lower().encode()
        value = header(scope, name)
        if value is not None and value.split(",", 1)[0].strip() == secure_value:
            return "https"
    return "http"


def trusted(origin: str) -> bool:
    """Whether CSRF_TRUSTED_ORIGINS names the origin, "https://*.example.com" included."""
    for allowed in settings.CSRF_TRUSTED_ORIGINS:
        allowed_scheme, _, allowed_host = allowed.partition("://")
        origin_scheme, _, origin_host = origin.partition("://")
        if origin == allowed or (
            allowed_host.startswith("*.")
            and origin_scheme == allowed_scheme
            and origin_host.endswith(allowed_host[1:])
        ):
            return True
    return False


class SameOriginValidator:
    """Refuses (403) a WebSocket handshake whose Origin is not the site's own."""

    def __init__(self, application: Application) -> None:
        self.application = application

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin, host = header(scope, b"origin"), header(scope, b"host")
        if origin and (origin == f"{scheme(scope)}://{host}" or trusted(origin)):
            await self.application(scope, receive, send)
            return
        # Closing before accepting is how ASGI refuses a handshake: daphne answers 403.
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.close"})
