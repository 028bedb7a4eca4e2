"""daphne's Django handler: Django's own, with the middleware of middleware.py.

See https://docs.djangoproject.com/en/6.1/howto/deployment/asgi/
"""

import django
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler


class InlineMiddlewareASGIHandler(ASGIHandler):
    """Django's ASGI handler, running middleware.INLINE in place of Django's classes.

    The chain is built from settings.MIDDLEWARE, in its order; only the classes
    that middleware.py extends are swapped, and only while the chain is built.
    """

    def load_middleware(self, is_async=False):
        from .middleware import INLINE

        configured = settings.MIDDLEWARE
        settings.MIDDLEWARE = [
            f"{INLINE[path].__module__}.{INLINE[path].__name__}" if path in INLINE else path
            for path in configured
        ]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = configured


def get_asgi_application():
    """Like django.core.asgi.get_asgi_application, with the inline middleware."""
    django.setup(set_prefix=False)
    return InlineMiddlewareASGIHandler()
