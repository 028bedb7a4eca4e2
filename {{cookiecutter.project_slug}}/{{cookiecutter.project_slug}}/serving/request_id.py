"""A request id on every request, its response and every log record made meanwhile.

The id comes from the request's ``X-Request-ID`` when that is a sane token (set
by a proxy or a calling service, so one id follows a request across services),
and is a new random one otherwise: a client must not be able to smuggle line
breaks, markup or megabytes into the logs through it. The response carries it
back in ``X-Request-ID``, for a person who reports an error to quote.

It lives in a context variable, set here at the ASGI layer: every coroutine and
every ``sync_to_async`` thread of the request sees it (asgiref copies the
context), so ``RequestIdFilter`` stamps it on the records that Django logs in
those threads too, such as ``django.request``'s errors. WebSocket connections
get one as well, for the records their consumers make; their handshake answer
carries no header. Under WSGI (wsgi.py) records carry no id: daphne serves this
project.

See https://docs.python.org/3/library/contextvars.html and
https://asgi.readthedocs.io/en/latest/specs/www.html
"""

import logging
import re
import uuid
from collections.abc import Iterable
from contextvars import ContextVar

from .asgi_types import Application, Message, Receive, Scope, Send

HEADER = b"x-request-id"
SANE = re.compile(rb"[A-Za-z0-9._-]{1,64}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def incoming_or_new(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """The request's one sane X-Request-ID, or a new id."""
    given = [value for name, value in headers if name == HEADER]
    if len(given) == 1 and SANE.fullmatch(given[0]):
        return given[0].decode("ascii")
    return uuid.uuid4().hex


class RequestId:
    """Wraps an ASGI application; gives each HTTP request and WebSocket its id."""

    def __init__(self, application: Application) -> None:
        self.application = application

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.application(scope, receive, send)
            return
        value = incoming_or_new(scope["headers"])
        header = (HEADER, value.encode("ascii"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        token = request_id.set(value)
        try:
            await self.application(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Stamps the current request's id on a record as ``request_id`` (LOGGING in settings)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if (value := request_id.get()) is not None:
            record.request_id = value
        return True
