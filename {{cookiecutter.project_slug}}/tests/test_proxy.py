"""Proxy headers are believed from trusted proxies only (serving/proxy.py)."""

import ipaddress
import re

import pytest
from asgiref.sync import async_to_sync

from {{ cookiecutter.project_slug }}.serving import proxy

from .conftest import PROJECT_ROOT, Daphne, production_environment

LOOPBACK = [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("::1/128")]


@async_to_sync
async def scope_seen_by_django(peer, headers, trusted=LOOPBACK):
    """The scope that the wrapped application receives for a request from a peer."""
    seen = []

    async def application(scope, receive, send):
        seen.append(scope)

    scope = {"type": "http", "client": (peer, 50000), "headers": headers}
    # Neither receive nor send is called: the application answers nothing.
    await proxy.TrustedProxyHeaders(application, trusted)(scope, None, None)  # type: ignore[arg-type]
    return seen[0]


def test_a_trusted_proxy_names_the_client():
    scope = scope_seen_by_django(
        "127.0.0.1", [(b"x-forwarded-for", b"203.0.113.9"), (b"x-forwarded-proto", b"https")]
    )

    assert scope["client"][0] == "203.0.113.9"
    assert (b"x-forwarded-proto", b"https") in scope["headers"]


def test_an_address_the_client_wrote_before_the_proxy_s_is_ignored():
    scope = scope_seen_by_django("127.0.0.1", [(b"x-forwarded-for", b"10.1.1.1, 203.0.113.9")])

    assert scope["client"][0] == "203.0.113.9"


@pytest.mark.parametrize("forwarded_for", [b"", b"not-an-address", b"127.0.0.1"])
def test_a_proxy_that_names_no_other_client_leaves_its_own_address(forwarded_for):
    scope = scope_seen_by_django("127.0.0.1", [(b"x-forwarded-for", forwarded_for)])

    assert scope["client"][0] == "127.0.0.1"


def test_forwarding_headers_from_anyone_else_are_dropped():
    headers = [
        (b"x-forwarded-for", b"10.1.1.1"),
        (b"x-forwarded-proto", b"https"),
        (b"x-forwarded-host", b"evil.example"),
        (b"accept", b"*/*"),
    ]

    scope = scope_seen_by_django("198.51.100.7", headers)

    assert scope["client"][0] == "198.51.100.7"
    assert scope["headers"] == [(b"accept", b"*/*")]


def environ_seen_by_django(peer, headers):
    """The WSGI environ that the wrapped application receives for a request from a peer."""
    seen = []
    environ = {"REMOTE_ADDR": peer, **headers}

    def application(environ, start_response):
        seen.append(environ)
        return []

    proxy.TrustedProxyHeadersWSGI(application, LOOPBACK)(environ, None)  # type: ignore[arg-type]
    return seen[0]


def test_under_wsgi_a_trusted_proxy_names_the_client():
    environ = environ_seen_by_django(
        "127.0.0.1", {"HTTP_X_FORWARDED_FOR": "10.1.1.1, 203.0.113.9"}
    )

    assert environ["REMOTE_ADDR"] == "203.0.113.9"


def test_under_wsgi_forwarding_headers_from_anyone_else_are_dropped():
    headers = {"HTTP_X_FORWARDED_FOR": "10.1.1.1", "HTTP_X_FORWARDED_PROTO": "https"}

    environ = environ_seen_by_django("198.51.100.7", {**headers, "HTTP_ACCEPT": "*/*"})

    assert environ == {"REMOTE_ADDR": "198.51.100.7", "HTTP_ACCEPT": "*/*"}


@pytest.fixture(scope="module")
def daphne_behind_another_proxy(tmp_path_factory):
    """daphne that trusts a proxy elsewhere, so that this test's loopback client is direct."""
    env = production_environment(tmp_path_factory.mktemp("direct"))
    server = Daphne({**env, "DJANGO_TRUSTED_PROXIES": "192.0.2.1"})
    yield server
    server.stop()


def test_a_direct_client_cannot_claim_https(daphne_behind_another_proxy):
    status, headers, _ = daphne_behind_another_proxy.get("/", {"X-Forwarded-Proto": "https"})

    assert status == 301
    assert headers["Location"].startswith("https://")


def test_nginx_refuses_the_bodies_that_django_would_refuse(settings):
    # daphne reads a whole body before Django can refuse it: the proxy's limit is the
    # defence, so it must follow Django's when DATA_UPLOAD_MAX_MEMORY_SIZE changes.
    config = (PROJECT_ROOT / "deploy" / "nginx.conf").read_text()

    limit = re.search(r"^\s*client_max_body_size (\d+);", config, re.MULTILINE)

    assert int(limit.group(1)) == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
