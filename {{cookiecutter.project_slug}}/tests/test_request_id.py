"""Every request has an id, sent back in X-Request-ID and stamped on its log records.

The header cases drive the project's real ASGI application (asgi.py) with
asgiref's ApplicationCommunicator; the log records are read from a real daphne.
"""

import json
import re
import secrets

import pytest
from asgiref.sync import async_to_sync

from {{ cookiecutter.project_slug }}.asgi import application

from .conftest import asgi_request, sign_in

NEW_ID = re.compile(r"[0-9a-f]{32}")
HTTPS = {"X-Forwarded-Proto": "https"}


@async_to_sync
async def ids_in_response(*given):
    """The X-Request-ID values of the home page's response to a request with these."""
    headers = [(b"x-request-id", value) for value in given]
    status, sent, _ = await asgi_request(application, "GET", "/", headers=headers)
    assert status == 200
    return [value.decode() for name, value in sent if name == b"x-request-id"]


@pytest.mark.parametrize(
    "given", [b"0f8fad5b-d9cb-469f-a165-70867728950e", b"trace.A_b-9", b"x" * 64]
)
def test_a_sane_incoming_request_id_is_sent_back(given):
    assert ids_in_response(given) == [given.decode()]


def test_a_request_without_an_id_gets_a_new_one():
    [first] = ids_in_response()
    [second] = ids_in_response()

    assert NEW_ID.fullmatch(first)
    assert first != second


@pytest.mark.parametrize(
    "given",
    [
        pytest.param([b"x" * 65], id="too long"),
        pytest.param([b""], id="empty"),
        pytest.param([b"two words"], id="a space"),
        pytest.param([b"<script>alert(1)</script>"], id="markup"),
        pytest.param([b"id\r\nSet-Cookie: sessionid=forged"], id="a header injection"),
        pytest.param([b'id\n{"level": "ERROR"}'], id="a forged log line"),
        pytest.param(["caf\u00e9".encode("latin-1")], id="beyond ASCII"),
        pytest.param([b"first", b"second"], id="two of them"),
    ],
)
def test_an_insane_incoming_request_id_is_replaced_by_a_new_one(given):
    [sent_back] = ids_in_response(*given)

    assert NEW_ID.fullmatch(sent_back)


def test_log_records_made_during_a_request_carry_its_id(daphne_prod):
    # A failed sign-in is logged by the account adapter (users/adapters.py), a page not found by
    # Django's django.request logger: both in the request's threads, not on the event loop.
{%- if cookiecutter.username_type == "email" %}
    username = f"nobody-{secrets.token_hex(4)}@example.com"
{%- else %}
    username = f"nobody-{secrets.token_hex(4)}"
{%- endif %}
    request_id = f"trace-{secrets.token_hex(8)}"
    proxied = {"X-Request-ID": request_id, "X-Forwarded-For": "10.20.30.40"}

    _, headers, _ = sign_in(daphne_prod, username, "not-the-password", headers=proxied)
    status, _, _ = daphne_prod.get(f"/no-such-page-{request_id}", headers={**HTTPS, **proxied})

    assert headers["X-Request-ID"] == request_id
    assert status == 404
    [login] = daphne_prod.logged(f"Failed sign-in from 10.20.30.40 for '{username}'")
    [not_found] = daphne_prod.logged(f"Not Found: /no-such-page-{request_id}")
    assert (json.loads(login)["logger"], json.loads(login)["request_id"]) == (
        "{{ cookiecutter.project_slug }}.users.adapters",
        request_id,
    )
    assert (json.loads(not_found)["logger"], json.loads(not_found)["request_id"]) == (
        "django.request",
        request_id,
    )
