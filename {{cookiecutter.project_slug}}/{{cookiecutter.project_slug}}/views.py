"""Views.

They are async: under daphne they run on the event loop, and only the readiness
check hops to threads, for the database and the cache.

See https://docs.djangoproject.com/en/6.1/topics/async/
"""

import asyncio

from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
async def home(request):
    """The home page."""
    return render(request, "pages/home.html")


@require_safe
async def healthz(request):
    """Liveness: the process is up and answering. It checks no backing service.

    Under ASGI, liveness.py answers first; this view serves WSGI servers.
    """
    return HttpResponse("ok", content_type="text/plain")


@sync_to_async
def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        # Start the next check from a fresh connection, so readiness recovers on its own.
        connection.close()
        return False
    return True


@sync_to_async(thread_sensitive=False)
def cache_answers():
    # A thread of its own, so that it runs alongside the database check.
    try:
        cache.set("readyz", "ok", timeout=10)
        return cache.get("readyz") == "ok"
    except Exception:
        return False


@require_safe
async def readyz(request):
    """Readiness: the database and the cache answer. A 503 names the ones that do not.

    Their timeouts in the settings bound how long a check of a service that is
    away can take: three seconds for the database, two for Redis.
    """
    checks = {"database": database_answers, "cache": cache_answers}
    answers = await asyncio.gather(*(check() for check in checks.values()))
    failing = [name for name, answered in zip(checks, answers, strict=True) if not answered]
    if failing:
        return HttpResponse(
            "unavailable: " + ", ".join(failing), status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")
