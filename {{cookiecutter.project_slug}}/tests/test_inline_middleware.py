"""daphne's handler runs Django's middleware inline only where that is safe.

Each test drives the project's real ASGI handler (serving/handler.py) with
asgiref's ApplicationCommunicator, under settings that make an inline hook
unsafe: the page must still answer as Django's own handler would.
"""

import asyncio
import logging

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpResponseForbidden

from {{ cookiecutter.project_slug }}.serving import handler
from {{ cookiecutter.project_slug }}.serving.middleware import INLINE

CSRF_COOKIE = "a" * 32
CSRF = "django.middleware.csrf.CsrfViewMiddleware"
SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
MESSAGES = "django.contrib.messages.middleware.MessageMiddleware"
ran_on_event_loop: list[bool] = []


@async_to_sync
async def request(method, path, headers=(), body=b""):
    """One request through a newly built handler; returns (status, body)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
    }
    communicator = ApplicationCommunicator(handler.InlineMiddlewareASGIHandler(), scope)
    await communicator.send_input({"type": "http.request", "body": body})
    start = await communicator.receive_output(timeout=10)
    content = b""
    while True:
        message = await communicator.receive_output(timeout=10)
        content += message.get("body", b"")
        if not message.get("more_body"):
            break
    await communicator.wait()
    return start["status"], content.decode()


def on_event_loop():
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def csrf_failure_that_counts_users(request, reason=""):
    """A CSRF_FAILURE_VIEW that uses the database, as a custom one may."""
    return HttpResponseForbidden(f"refused; {get_user_model().objects.count()} users")


class RecordingUploadHandler(MemoryFileUploadHandler):
    """Records whether the request body is parsed on the event loop."""

    def handle_raw_input(self, *args, **kwargs):
        ran_on_event_loop.append(on_event_loop())
        return super().handle_raw_input(*args, **kwargs)


class SessionStore(DatabaseSessionStore):
    """A session engine of a project's own, whose constructor queries the database."""

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self.users_at_start = get_user_model().objects.count()


class QueryingMessageStorage(FallbackStorage):
    """A message storage of a project's own, whose constructor queries the database."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.users_at_start = get_user_model().objects.count()


def sync_only_middleware(get_response):
    """A plain function middleware: Django treats it as sync-only."""

    def middleware(request):
        return get_response(request)

    return middleware


def session_cookie():
    session = DatabaseSessionStore()
    session["visits"] = 1
    session.create()
    return (b"cookie", f"sessionid={session.session_key}".encode())


def test_django_s_middleware_runs_inline_under_the_project_s_settings(settings):
    swapped = set(handler.inline_replacements())

    assert swapped == set(settings.MIDDLEWARE) & set(INLINE)
    assert "django.contrib.auth.middleware.AuthenticationMiddleware" in swapped


def test_building_the_handler_leaves_the_settings_as_they_were(settings):
    configured = list(settings.MIDDLEWARE)

    handler.InlineMiddlewareASGIHandler()

    assert configured == settings.MIDDLEWARE


@pytest.mark.django_db(transaction=True)
def test_a_page_answers_when_csrf_tokens_live_in_the_session(settings):
    settings.CSRF_USE_SESSIONS = True

    status, _ = request("GET", "/", headers=[session_cookie()])

    assert status == 200
    assert CSRF not in handler.inline_replacements()


@pytest.mark.django_db(transaction=True)
def test_a_refused_post_reaches_a_failure_view_that_uses_the_database(settings):
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_failure_that_counts_users"

    status, body = request("POST", "/", headers=[(b"cookie", f"csrftoken={CSRF_COOKIE}".encode())])

    assert (status, body) == (403, "refused; 0 users")


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_body_is_parsed_off_the_event_loop(settings):
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingUploadHandler"]
    ran_on_event_loop.clear()
    boundary = "boundary"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="upload"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
        f"{'x' * 100_000}\r\n--{boundary}--\r\n"
    ).encode()
    headers = [
        (b"cookie", f"csrftoken={CSRF_COOKIE}".encode()),
        (b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
        (b"content-length", str(len(body)).encode()),
    ]

    status, _ = request("POST", "/", headers=headers, body=body)

    assert status == 403  # no CSRF token in the form
    assert ran_on_event_loop == [False]


@pytest.mark.django_db(transaction=True)
def test_a_session_engine_of_the_project_s_own_runs_in_a_thread(settings):
    settings.SESSION_ENGINE = __name__

    status, _ = request("GET", "/", headers=[session_cookie()])

    assert status == 200
    assert SESSIONS not in handler.inline_replacements()


@pytest.mark.django_db(transaction=True)
def test_a_message_storage_of_the_project_s_own_runs_in_a_thread(settings):
    settings.MESSAGE_STORAGE = f"{__name__}.QueryingMessageStorage"

    status, _ = request("GET", "/")

    assert status == 200
    assert MESSAGES not in handler.inline_replacements()


@pytest.mark.django_db(transaction=True)
def test_a_sync_only_middleware_turns_the_inline_hooks_off_with_a_warning(settings, caplog):
    path = f"{__name__}.sync_only_middleware"
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, path]

    with caplog.at_level(logging.WARNING):
        status, _ = request("GET", "/")

    assert status == 200
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{path} is sync-only")


@pytest.mark.django_db(transaction=True)
def test_readyz_fails_while_the_static_files_are_not_collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }

    status, body = request("GET", "/readyz")

    assert (status, body) == (503, "unavailable: static files")
