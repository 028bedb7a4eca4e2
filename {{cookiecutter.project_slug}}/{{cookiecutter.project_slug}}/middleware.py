"""Django's middleware, run on the event loop instead of a thread under ASGI.

Under ASGI, Django runs each ``MiddlewareMixin`` hook through ``sync_to_async``:
a hop to a thread and back, twice per middleware, on every request. Measured
under daphne (BENCHMARKS.md), those hops cost more than the rest of the request
cycle. The hooks of the middleware below do no I/O in this project's settings
(CSRF tokens live in cookies, not sessions), so here they run inline. Sessions
and messages run inline unless the request changed them, when saving them may
reach the database: then they hop to a thread as Django would.

settings.MIDDLEWARE names Django's classes, as ``check --deploy`` expects;
handlers.py swaps in these subclasses when it builds daphne's handler. Under
WSGI, Django's classes run as they are.

See https://docs.djangoproject.com/en/6.1/topics/http/middleware/#asynchronous-support
"""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware


class InlineHooks:
    """Runs a middleware's process_request, process_view and process_response inline."""

    def __init__(self, get_response):
        super().__init__(get_response)
        if self.async_mode and hasattr(self, "process_view"):
            # Django hops to a thread for a sync process_view; an async one it awaits.
            process_view = self.process_view

            async def process_view_inline(request, view, args, kwargs):
                return process_view(request, view, args, kwargs)

            self.process_view = process_view_inline

    async def __acall__(self, request):
        response = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or await self.get_response(request)
        if hasattr(self, "process_response"):
            if self.response_needs_io(request):
                return await sync_to_async(self.process_response)(request, response)
            response = self.process_response(request, response)
        return response

    def response_needs_io(self, request):
        return False


class Security(InlineHooks, SecurityMiddleware):
    pass


class Common(InlineHooks, CommonMiddleware):
    pass


class Csrf(InlineHooks, CsrfViewMiddleware):
    pass


class XFrameOptions(InlineHooks, XFrameOptionsMiddleware):
    pass


class ContentSecurityPolicy(InlineHooks, ContentSecurityPolicyMiddleware):
    pass


class Session(InlineHooks, SessionMiddleware):
    def response_needs_io(self, request):
        # A modified session is saved; an untouched or only-read one is not.
        return request.session.modified or settings.SESSION_SAVE_EVERY_REQUEST


class Messages(InlineHooks, MessageMiddleware):
    def response_needs_io(self, request):
        # Stored messages may overflow their cookie into the session.
        storage = getattr(request, "_messages", None)
        return storage is not None and (storage.used or storage.added_new)


# Django's middleware, by its settings.MIDDLEWARE path, and its inline subclass.
INLINE = {
    "django.middleware.security.SecurityMiddleware": Security,
    "django.contrib.sessions.middleware.SessionMiddleware": Session,
    "django.middleware.common.CommonMiddleware": Common,
    "django.middleware.csrf.CsrfViewMiddleware": Csrf,
    "django.contrib.messages.middleware.MessageMiddleware": Messages,
    "django.middleware.clickjacking.XFrameOptionsMiddleware": XFrameOptions,
    "django.middleware.csp.ContentSecurityPolicyMiddleware": ContentSecurityPolicy,
}
