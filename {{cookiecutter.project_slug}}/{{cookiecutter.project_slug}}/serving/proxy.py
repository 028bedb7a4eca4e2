"""Proxy headers, believed only from the proxies in ``DJANGO_TRUSTED_PROXIES``.

A proxy in front of daphne says who the client is (X-Forwarded-For) and whether
it spoke HTTPS (X-Forwarded-Proto). From anyone else those headers are lies
waiting to happen: a client that reached daphne directly could choose its own
address (and so its login limit) or pass for HTTPS. So the client address comes
from X-Forwarded-For only on a connection from a trusted proxy, and on any other
connection the forwarding headers are dropped before Django, whose
SECURE_PROXY_SSL_HEADER would otherwise believe them.

daphne's own ``--proxy-headers`` believes them from every peer: leave it off.

See https://docs.djangoproject.com/en/6.1/ref/settings/#secure-proxy-ssl-header
"""

import ipaddress

FORWARDING_HEADERS = frozenset(
    {b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host", b"x-forwarded-port"}
)


class TrustedProxyHeaders:
    """Wraps an ASGI application; sets the client from trusted proxies' headers only."""

    def __init__(self, application, trusted_networks):
        self.application = application
        self.trusted_networks = trusted_networks

    async def __call__(self, scope, receive, send):
        if scope["type"] in {"http", "websocket"}:
            scope = self.resolve(scope)
        await self.application(scope, receive, send)

    def is_trusted(self, address):
        try:
            address = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(address in network for network in self.trusted_networks)

    def resolve(self, scope):
        peer = scope.get("client")
        if not (peer and self.is_trusted(peer[0])):
            headers = scope["headers"]
            return {**scope, "headers": [h for h in headers if h[0] not in FORWARDING_HEADERS]}
        forwarded_for = b",".join(
            value for name, value in scope["headers"] if name == b"x-forwarded-for"
        )
        if not forwarded_for:
            return scope
        return {**scope, "client": (self.client_address(forwarded_for, peer[0]), 0)}

    def client_address(self, forwarded_for, peer):
        """The last address before the trusted proxies: the ones before it, a client can write."""
        addresses = [part.strip() for part in forwarded_for.decode("latin-1").split(",")]
        for address in reversed(addresses):
            if not self.is_trusted(address):
                return address if is_address(address) else peer
        return addresses[0] if is_address(addresses[0]) else peer


def is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
