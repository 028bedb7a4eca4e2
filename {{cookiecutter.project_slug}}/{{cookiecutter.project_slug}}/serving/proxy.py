"""Proxy headers, believed only from the proxies in ``DJANGO_TRUSTED_PROXIES``.

A proxy in front of the server says who the client is (X-Forwarded-For) and
whether it spoke HTTPS (X-Forwarded-Proto). From anyone else those headers are
lies waiting to happen: a client that reached the server directly could choose
its own address (and so its login limit) or pass for HTTPS. So the client
address comes from X-Forwarded-For only on a connection from a trusted proxy,
and on any other connection the forwarding headers are dropped before Django,
whose SECURE_PROXY_SSL_HEADER would otherwise believe them.

daphne's own ``--proxy-headers`` believes them from every peer: leave it off.
asgi.py wraps daphne's application in ``TrustedProxyHeaders``; wsgi.py wraps
a WSGI server's in ``TrustedProxyHeadersWSGI``.

See https://docs.djangoproject.com/en/6.1/ref/settings/#secure-proxy-ssl-header
"""

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .asgi_types import Application, Receive, Scope, Send

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDING_HEADERS = [f"x-forwarded-{name}" for name in ("for", "proto", "host", "port")]


class TrustedProxies:
    """The trusted networks, and who the client is behind them."""

    def __init__(self, networks: Iterable[Network]) -> None:
        self.networks = networks

    def trust(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client(self, forwarded_for: str, peer: str) -> str:
        """The last address before the trusted proxies: the ones before it, a client can write."""
        addresses = [part.strip() for part in forwarded_for.split(",")]
        for address in reversed(addresses):
            if not self.trust(address):
                return address if is_address(address) else peer
        return addresses[0] if is_address(addresses[0]) else peer


class TrustedProxyHeaders:
    """Wraps an ASGI application; sets the client from trusted proxies' headers only."""

    dropped = frozenset(name.encode() for name in FORWARDING_HEADERS)

    def __init__(self, application: Application, trusted_networks: Iterable[Network]) -> None:
        self.application = application
        self.proxies = TrustedProxies(trusted_networks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in {"http", "websocket"}:
            scope = self.resolve(scope)
        await self.application(scope, receive, send)

    def resolve(self, scope: Scope) -> Scope:
        peer = scope.get("client")
        if not (peer and self.proxies.trust(peer[0])):
            headers = scope["headers"]
            return {**scope, "headers": [h for h in headers if h[0] not in self.dropped]}
        forwarded_for = b",".join(
            value for name, value in scope["headers"] if name == b"x-forwarded-for"
        )
        if not forwarded_for:
            return scope
        client = self.proxies.client(forwarded_for.decode("latin-1"), peer[0])
        return {**scope, "client": (client, 0)}


class TrustedProxyHeadersWSGI:
    """The same for a WSGI application: REMOTE_ADDR and the headers in its environ."""

    dropped = tuple("HTTP_" + name.upper().replace("-", "_") for name in FORWARDING_HEADERS)

    def __init__(
        self, application: "WSGIApplication", trusted_networks: Iterable[Network]
    ) -> None:
        self.application = application
        self.proxies = TrustedProxies(trusted_networks)

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        peer = environ.get("REMOTE_ADDR", "")
        if not self.proxies.trust(peer):
            for name in self.dropped:
                environ.pop(name, None)
        elif forwarded_for := environ.get("HTTP_X_FORWARDED_FOR"):
            environ["REMOTE_ADDR"] = self.proxies.client(forwarded_for, peer)
        return self.application(environ, start_response)


def is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
