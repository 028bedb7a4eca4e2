"""The probes that orchestrators and load balancers ask: liveness and readiness.

Both are ``async def``: they await I/O (or nothing) and render no template. Under
daphne, ``/healthz`` is answered by liveness.py before Django; the view here serves
WSGI servers. ``/readyz`` goes through Django, because it checks Django's services.

See https://docs.djangoproject.com/en/6.1/topics/async/#async-views
"""

import asyncio
import os

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
async def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process is up and answering. It checks no backing service.

    Under ASGI, serving/liveness.py answers first; this view serves WSGI servers.
    """
    return HttpResponse("ok", content_type="text/plain")


@sync_to_async
def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        # Start the next check from a fresh connection, so readiness recovers on its own.
        connection.close()
        return False
    return True


@sync_to_async(thread_sensitive=False)
def cache_answers() -> bool:
    # A thread of its own, so that it runs alongside the database check.
    try:
        cache.set("readyz", "ok", timeout=10)
        return bool(cache.get("readyz") == "ok")
    except Exception:
        return False


async def static_files_collected() -> bool:
    """Whether collectstatic wrote the manifest that production's hashed file names need.

    Without it every page that links a static file is a 500. A stat (and, once per
    process, reading the manifest) is cheap enough for the event loop.
    """
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    return manifest is None or staticfiles_storage.exists(manifest)


@require_safe
async def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database and the cache answer, and the static files are collected.

    A process about to stop says "draining" as long as its DJANGO_DRAIN_FILE exists
    (a stat, cheap on the event loop), so balancers send it nothing new while its
    requests finish. A 503 names what is not ready. Their timeouts in the settings bound how long a
    check of a service that is away can take: three seconds for the database, two
    for Redis.
    """
    if settings.DRAIN_FILE and os.path.exists(settings.DRAIN_FILE):
        return HttpResponse("unavailable: draining", status=503, content_type="text/plain")
    checks = {
        "database": database_answers,
        "cache": cache_answers,
        "static files": static_files_collected,
    }
    answers = await asyncio.gather(*(check() for check in checks.values()))
    failing = [name for name, answered in zip(checks, answers, strict=True) if not answered]
    if failing:
        return HttpResponse(
            "unavailable: " + ", ".join(failing), status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")
