"""A clean 503 page when a service that a request needs is down.

When the database or Redis stops answering, a view that needs it raises a
connection error. Django would answer 500 and log a traceback per request: an
outage would look like a bug and flood the logs. This middleware answers 503 with
the site's own page and a ``Retry-After``, and logs one WARNING line. A request
that needs no such service (most anonymous pages) goes on answering 200.

See https://docs.djangoproject.com/en/6.1/topics/http/middleware/#process-exception
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin

logger = logging.getLogger(__name__)

# What a service that is away raises, by class name (found in the exception's MRO),
# so that a project without Redis imports nothing of it: a database that refuses or
# drops connections, and a Redis that does or that times out.
OUTAGES = {
    "django.db.utils.OperationalError": "the database",
    "redis.exceptions.ConnectionError": "Redis",
    "redis.exceptions.TimeoutError": "Redis",
}
RETRY_AFTER_SECONDS = 30


def unavailable_service(exception: Exception) -> str | None:
    """The service whose outage raised this exception, or None for any other error."""
    for kind in type(exception).__mro__:
        if service := OUTAGES.get(f"{kind.__module__}.{kind.__qualname__}"):
            return service
    return None


class ServiceOutage(MiddlewareMixin):
    """Turns a backing service's connection error into the 503 page (templates/503.html).

    MiddlewareMixin makes it both sync and async capable, and it has only
    ``process_exception``: a request that raises nothing pays no thread hop for it.
    """

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        service = unavailable_service(exception)
        if service is None:
            return None
        logger.warning(
            "503 for %s %s: %s is unavailable (%s: %s)",
            request.method,
            request.path,
            service,
            type(exception).__name__,
            (str(exception).strip().splitlines() or [""])[0],
        )
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
