"""Django's own middleware, with the hooks that do no I/O run on daphne's event loop.

Under ASGI, Django runs each ``MiddlewareMixin`` hook through ``sync_to_async``:
a hop to a thread and back, twice per middleware, on every request. Measured
under daphne (BENCHMARKS.md), those hops cost more than the rest of the request
cycle. The subclasses below run a hook in place when, under the settings their
``is_safe`` accepts, it only reads headers and cookies or sets up lazy objects.
A hook that may reach a database, a cache or the request body on this request
still goes to a thread, as Django would send it.

Each class is Django's own, so its behaviour is Django's; only where the hook
runs changes. handler.py swaps them in for daphne; WSGI runs Django's classes.

See https://docs.djangoproject.com/en/6.1/topics/http/middleware/#asynchronous-support
"""

from collections.abc import Awaitable, Callable
from typing import Any, cast

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils.deprecation import MiddlewareMixin

type AsyncGetResponse = Callable[[HttpRequest], Awaitable[HttpResponseBase]]

# Methods whose CSRF check only accepts: no body read, no failure view.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# Django's session engines, whose SessionStore() reads nothing until the session is used.
# ("file" is left out: its constructor checks the storage directory on disk.)
INLINE_SESSION_ENGINES = frozenset(
    f"django.contrib.sessions.backends.{name}"
    for name in ("db", "cache", "cached_db", "signed_cookies")
)
INLINE_MESSAGE_STORAGES = frozenset(
    f"django.contrib.messages.storage.{name}"
    for name in ("fallback.FallbackStorage", "cookie.CookieStorage", "session.SessionStorage")
)


class InlineHooks(MiddlewareMixin):
    """Runs process_request and process_response in place, in an async chain.

    A subclass says when the response hook may do I/O (``response_needs_io``); then
    it goes to a thread. In a sync chain the class behaves exactly as Django's.
    """

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        super().__init__(get_response)
        self.on_event_loop = iscoroutinefunction(get_response)

    @classmethod
    def is_safe(cls) -> bool:
        """Whether the hooks do no I/O under the current settings."""
        return True

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.on_event_loop:
            return self.inline(request)
        return super().__call__(request)

    async def inline(self, request: HttpRequest) -> HttpResponseBase:
        # In an async chain, the next handler is a coroutine function.
        get_response = cast("AsyncGetResponse", self.get_response)
        response: HttpResponseBase | None = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or await get_response(request)
        if hasattr(self, "process_response"):
            if self.response_needs_io(request):
                response = await sync_to_async(self.process_response)(request, response)
            else:
                response = self.process_response(request, response)
        return response

    def response_needs_io(self, request: HttpRequest) -> bool:
        return False


class Security(InlineHooks, SecurityMiddleware):
    pass


class Common(InlineHooks, CommonMiddleware):
    pass


class XFrameOptions(InlineHooks, XFrameOptionsMiddleware):
    pass


class ContentSecurityPolicy(InlineHooks, ContentSecurityPolicyMiddleware):
    pass


class Authentication(InlineHooks, AuthenticationMiddleware):
    """Its hook only puts a lazy ``request.user`` in place; the view loads it, in a thread."""


class Csrf(InlineHooks, CsrfViewMiddleware):
    """The token comes from a cookie. A safe method is checked inline, any other in a thread.

    Checking a POST reads the body (a large upload is parsed and written to disk)
    and may call CSRF_FAILURE_VIEW, which may use the database.
    """

    @classmethod
    def is_safe(cls) -> bool:
        # With the token in the session, reading it may reach the session store.
        return not settings.CSRF_USE_SESSIONS

    # Async where Django's is sync: Django awaits a coroutine hook as it is (an override
    # that the stubs, which type Django's own method, cannot express).
    async def process_view(  # type: ignore[override]
        self,
        request: HttpRequest,
        callback: Callable[..., HttpResponseBase],
        callback_args: tuple[Any, ...],
        callback_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        check = super().process_view
        if request.method in SAFE_METHODS:
            return check(request, callback, callback_args, callback_kwargs)
        return await sync_to_async(check)(request, callback, callback_args, callback_kwargs)


class Session(InlineHooks, SessionMiddleware):
    """The session is loaded by whatever reads it (in a thread); saved in a thread when changed."""

    @classmethod
    def is_safe(cls) -> bool:
        return settings.SESSION_ENGINE in INLINE_SESSION_ENGINES

    def response_needs_io(self, request: HttpRequest) -> bool:
        session = getattr(request, "session", None)
        return session is None or session.modified or bool(settings.SESSION_SAVE_EVERY_REQUEST)


class Messages(InlineHooks, MessageMiddleware):
    """Messages that were read or added are stored in a thread: they may reach the session."""

    @classmethod
    def is_safe(cls) -> bool:
        return settings.MESSAGE_STORAGE in INLINE_MESSAGE_STORAGES

    def response_needs_io(self, request: HttpRequest) -> bool:
        storage = getattr(request, "_messages", None)
        # Attributes of Django's storages; should they ever go, take the thread.
        return bool(getattr(storage, "used", True) or getattr(storage, "added_new", True))


# Django's middleware, by its settings.MIDDLEWARE path, and its inline subclass.
INLINE: dict[str, type[InlineHooks]] = {
    "django.middleware.security.SecurityMiddleware": Security,
    "django.contrib.sessions.middleware.SessionMiddleware": Session,
    "django.middleware.common.CommonMiddleware": Common,
    "django.middleware.csrf.CsrfViewMiddleware": Csrf,
    "django.contrib.auth.middleware.AuthenticationMiddleware": Authentication,
    "django.contrib.messages.middleware.MessageMiddleware": Messages,
    "django.middleware.clickjacking.XFrameOptionsMiddleware": XFrameOptions,
    "django.middleware.csp.ContentSecurityPolicyMiddleware": ContentSecurityPolicy,
}
