"""daphne's handler runs Django's middleware inline, and leaves the settings as they were."""

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator

from {{ cookiecutter.project_slug }}.handlers import InlineMiddlewareASGIHandler

HOME = {
    "type": "http",
    "method": "GET",
    "path": "/",
    "query_string": b"",
    "headers": [(b"host", b"localhost")],
    "server": ("localhost", 80),
}


def test_the_handler_swaps_in_the_inline_middleware_and_restores_the_settings(settings):
    configured = list(settings.MIDDLEWARE)

    handler = InlineMiddlewareASGIHandler()

    assert configured == settings.MIDDLEWARE
    # The CSRF middleware's process_view is awaited on the event loop, not sent to a thread.
    assert [hook.__name__ for hook in handler._view_middleware] == ["process_view_inline"]


@async_to_sync
async def get_home():
    communicator = ApplicationCommunicator(InlineMiddlewareASGIHandler(), HOME)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(timeout=10)
    body = await communicator.receive_output(timeout=10)
    await communicator.wait()
    return start, body


@pytest.mark.django_db(transaction=True)
def test_a_request_goes_through_the_inline_middleware():
    start, body = get_home()

    assert start["status"] == 200
    assert (b"X-Frame-Options", b"DENY") in start["headers"]
    assert b"It works." in body["body"]
