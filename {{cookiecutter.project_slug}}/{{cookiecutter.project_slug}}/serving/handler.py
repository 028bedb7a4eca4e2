"""daphne's Django handler: Django's own, with the inline middleware where it is safe.

See https://docs.djangoproject.com/en/6.1/howto/deployment/asgi/
"""

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import django
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .middleware import InlineHooks

logger = logging.getLogger(__name__)


def sync_only(paths: Iterable[str]) -> list[str]:
    """The middleware paths whose classes cannot run in an async chain."""
    return [path for path in paths if not getattr(import_string(path), "async_capable", False)]


def inline_replacements() -> dict[str, type["InlineHooks"]]:
    """Django's middleware paths to swap, with their inline subclasses, under these settings.

    A chain with a sync-only middleware runs in threads anyway: nothing is swapped.
    """
    # Imported once Django is set up: the middleware classes import models.
    from . import middleware

    blockers = sync_only(settings.MIDDLEWARE)
    if blockers:
        logger.warning(
            "%s is sync-only, so Django's middleware runs in threads under daphne "
            "(slower, still correct). Make it async-capable to get the inline hooks back.",
            ", ".join(blockers),
        )
        return {}
    return {
        path: middleware.INLINE[path]
        for path in settings.MIDDLEWARE
        if path in middleware.INLINE and middleware.INLINE[path].is_safe()
    }


class InlineMiddlewareASGIHandler(ASGIHandler):
    """Django's ASGI handler, with the middleware of middleware.py where it is safe.

    The chain is built from settings.MIDDLEWARE, in its order. settings.MIDDLEWARE
    names the swapped classes only while the chain is built, so a middleware that
    inspects its neighbours in settings.MIDDLEWARE at start-up sees the inline
    subclasses' paths.
    """

    def load_middleware(self, is_async: bool = False) -> None:
        replacements = inline_replacements()
        configured = settings.MIDDLEWARE
        settings.MIDDLEWARE = [
            f"{replacements[path].__module__}.{replacements[path].__qualname__}"
            if path in replacements
            else path
            for path in configured
        ]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = configured


def get_asgi_application() -> InlineMiddlewareASGIHandler:
    """Like django.core.asgi.get_asgi_application, with the inline middleware."""
    django.setup(set_prefix=False)
    return InlineMiddlewareASGIHandler()
