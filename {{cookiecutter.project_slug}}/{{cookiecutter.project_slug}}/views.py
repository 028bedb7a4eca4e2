"""Views.

They are async: under daphne they run on the event loop, and only the database
work of the readiness check hops to a thread.

See https://docs.djangoproject.com/en/6.1/topics/async/
"""

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
    """Liveness: the process is up and answering. It checks no backing service."""
    return HttpResponse("ok", content_type="text/plain")


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        # Start the next check from a fresh connection, so readiness recovers on its own.
        connection.close()
        return False
    return True


async def cache_answers():
    try:
        await cache.aset("readyz", "ok", timeout=10)
        return await cache.aget("readyz") == "ok"
    except Exception:
        return False


@require_safe
async def readyz(request):
    """Readiness: the database and the cache answer. A 503 names the ones that do not."""
    failing = [
        name
        for name, answers in [
            ("database", await sync_to_async(database_answers)()),
            ("cache", await cache_answers()),
        ]
        if not answers
    ]
    if failing:
        return HttpResponse(
            "unavailable: " + ", ".join(failing), status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")
