"""The API (api/), through the project's real ASGI application, as daphne runs it.

Each request goes to asgi.py's application with asgiref's ApplicationCommunicator:
the serving wrappers, every middleware and django-ninja's async endpoints, with a
personal access token in ``Authorization: Bearer``. The session's CSRF check goes
through Django's test client, which keeps cookies.
"""

import json
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from {{ cookiecutter.project_slug }}.api.models import Note, Token
from {{ cookiecutter.project_slug }}.asgi import application
from {{ cookiecutter.project_slug }}.users.models import User

from .conftest import asgi_request

request = async_to_sync(asgi_request)
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Each test's requests are counted afresh."""
    cache.clear()
    yield
    cache.clear()


def person(name):
{%- if cookiecutter.username_type == "email" %}
    return User.objects.create_user(f"{name}@example.com", password="a-long-password-1234")
{%- else %}
    return User.objects.create_user(
        name, email=f"{name}@example.com", password="a-long-password-1234"
    )
{%- endif %}


@pytest.fixture
def alice():
    return person("alice")


@pytest.fixture
def token(alice):
    _, secret = Token.issue(alice, "tests", days=30)
    return secret


def call(method, path, secret=None, body=None):
    """(status, headers as a dict of str, the decoded JSON or None)."""
    headers = [(b"content-type", b"application/json")]
    if secret:
        headers.append((b"authorization", f"Bearer {secret}".encode()))
    payload = b"" if body is None else json.dumps(body).encode()
    status, raw_headers, text = request(application, method, path, headers=headers, body=payload)
    answer_headers = {name.decode().lower(): value.decode() for name, value in raw_headers}
    return status, answer_headers, json.loads(text) if text else None


def test_the_profile_is_read_and_changed_with_a_token(alice, token):
    status, _, profile = call("GET", "/api/me", token)
    assert (status, profile) == (200, {"email": alice.email, "first_name": "", "last_name": ""})

    status, _, profile = call("PATCH", "/api/me", token, {"first_name": "Alice"})

    assert (status, profile["first_name"]) == (200, "Alice")
    alice.refresh_from_db()
    assert alice.first_name == "Alice"


def test_a_note_is_made_read_changed_and_deleted(alice, token):
    status, _, note = call("POST", "/api/notes", token, {"title": "Milk", "body": "Two"})
    assert (status, note["title"], note["body"]) == (201, "Milk", "Two")
    path = f"/api/notes/{note['id']}"

    assert call("GET", path, token)[2]["title"] == "Milk"
    status, _, changed = call("PATCH", path, token, {"body": "Three"})
    assert (status, changed["title"], changed["body"]) == (200, "Milk", "Three")
    status, _, _ = call("DELETE", path, token)
    assert status == 204
    assert not Note.objects.filter(owner=alice).exists()
    assert call("GET", path, token)[0] == 404


def test_the_list_is_paginated_newest_first(alice, token):
    for number in range(5):
        Note.objects.create(owner=alice, title=f"Note {number}")

    status, _, page = call("GET", "/api/notes?limit=2&offset=1", token)

    assert status == 200
    assert page["count"] == 5
    assert [item["title"] for item in page["items"]] == ["Note 3", "Note 2"]


def test_another_user_s_note_is_not_found_for_reading_changing_or_deleting(token):
    theirs = Note.objects.create(owner=person("bob"), title="Bob's")
    path = f"/api/notes/{theirs.pk}"

    for method, body in [("GET", None), ("PATCH", {"title": "Mine"}), ("DELETE", None)]:
        status, _, error = call(method, path, token, body)
        assert (status, error) == (404, {"detail": "Not found.", "errors": []})
    theirs.refresh_from_db()
    assert theirs.title == "Bob's"
    assert call("GET", "/api/notes", token)[2] == {"count": 0, "items": []}


def test_a_request_without_a_token_or_a_session_is_refused(alice):
    status, headers, error = call("GET", "/api/me")

    assert status == 401
    assert headers["www-authenticate"] == "Bearer"
    assert error["detail"].startswith("Sign in")


def test_a_revoked_token_is_refused(alice, token):
    Token.objects.update(revoked=timezone.now())

    assert call("GET", "/api/me", token)[0] == 401


def test_an_expired_token_is_refused(alice, token):
    Token.objects.update(expires=timezone.now() - timedelta(seconds=1))

    assert call("GET", "/api/me", token)[0] == 401


def test_a_wrong_token_is_refused_and_only_a_digest_is_stored(alice, token):
    assert call("GET", "/api/me", token + "x")[0] == 401
    stored = Token.objects.get()
    assert token not in stored.digest
    assert stored.last_used is None


def test_a_token_s_use_is_recorded(alice, token):
    call("GET", "/api/me", token)

    assert Token.objects.get().last_used is not None


def test_an_invalid_body_gets_the_one_error_shape_with_its_fields(token):
    status, _, error = call("POST", "/api/notes", token, {"title": ""})

    assert status == 422
    assert error["detail"] == "The request is not valid."
    assert [item["loc"][-1] for item in error["errors"]] == ["title"]


def test_a_body_that_is_no_object_or_no_json_is_refused_with_the_one_error_shape(token):
    for body in ["a title", [], {"title": "Milk", "colour": "red"}]:
        status, _, error = call("POST", "/api/notes", token, body)
        assert (status, error["detail"]) == (422, "The request is not valid."), body

    status, _, raw = request(
        application,
        "POST",
        "/api/notes",
        headers=[(b"authorization", f"Bearer {token}".encode())],
        body=b"{not json",
    )
    assert status == 400
    assert json.loads(raw)["errors"] == []
    assert not Note.objects.exists()


def test_too_many_requests_are_throttled_with_the_one_error_shape(settings, token):
    limit = int(settings.API_THROTTLE_RATE.split("/")[0])
    for _ in range(limit):
        assert call("GET", "/api/me", token)[0] == 200

    status, headers, error = call("GET", "/api/me", token)

    assert status == 429
    assert int(headers["retry-after"]) > 0
    assert error == {"detail": "Too many requests; try again later.", "errors": []}


def test_a_session_may_post_only_with_its_csrf_token(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    browser.get("/accounts/tokens/")  # sets the CSRF cookie, as any page with a form does
    note = {"title": "From the browser"}

    refused = browser.post("/api/notes", note, content_type="application/json")
    csrf = browser.cookies["csrftoken"].value
    made = browser.post(
        "/api/notes", note, content_type="application/json", headers={"X-CSRFToken": csrf}
    )

    assert (refused.status_code, refused.json()["detail"]) == (403, "CSRF check Failed")
    assert made.status_code == 201
    assert browser.get("/api/me").json()["email"] == alice.email


def test_every_error_status_is_in_the_schema():
    status, _, schema = call("GET", "/api/openapi.json")

    assert status == 200
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"401", "422", "429"} <= documented, (method, path)
            if "{note_id}" in path:
                assert "404" in documented, (method, path)


def test_the_docs_are_served_from_the_site_s_own_files_under_its_csp():
    status, headers, _ = call_page("/api/docs")

    policy = headers["content-security-policy"]
    assert status == 200
    assert "script-src 'self'" in policy
    assert "unsafe" not in policy


def call_page(path):
    status, raw_headers, page = request(application, "GET", path)
    return status, {name.decode().lower(): value.decode() for name, value in raw_headers}, page


def test_the_docs_page_runs_no_inline_script_and_loads_nothing_from_elsewhere():
    _, _, page = call_page("/api/docs")

    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in page
    assert "https://" not in page
    # Its one inline script element is JSON data, which a browser does not run.
    assert page.count("<script>") == 0


def test_a_token_is_made_shown_once_and_revoked_on_the_tokens_page(client, alice):
    client.force_login(alice)

    made = client.post("/accounts/tokens/", {"name": "backup script", "days": 30})
    secret = made.context["secret"]
    assert secret in made.text
    assert call("GET", "/api/me", secret)[0] == 200
    assert secret not in client.get("/accounts/tokens/").text

    stored = Token.objects.get()
    client.post("/accounts/tokens/", {"revoke": stored.pk})
    assert call("GET", "/api/me", secret)[0] == 401


def test_another_user_s_token_cannot_be_revoked(client, alice):
    theirs, _ = Token.issue(person("bob"), "bob's", days=30)
    client.force_login(alice)

    assert client.post("/accounts/tokens/", {"revoke": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked is None
