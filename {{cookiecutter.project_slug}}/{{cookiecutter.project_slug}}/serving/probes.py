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
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
async def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process is up and answering. It checks no backing service.

    Under ASGI, serving/liveness.py answers first; this view serves WSGI servers.
    """
    return HttpResponse("ok", content_type="text/plain")


# Set once this process has seen every migration of its code applied: migrations are
# never unapplied under running code, so later probes need not read the graph again.
migrations_seen_applied = False


def all_migrations_applied() -> bool:
    """Whether the database has every migration of this code, as ``migrate --check`` asks.

    A release whose migrations did not run would serve errors on every new column.
    Until the answer is yes, each probe reads the migration files and the
    django_migrations table again (milliseconds); afterwards, never.
    """
    global migrations_seen_applied
    if not migrations_seen_applied:
        executor = MigrationExecutor(connection)
        migrations_seen_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return migrations_seen_applied


@sync_to_async
def database_unready() -> str | None:
    """None when the database answers and is migrated, else what is wrong with it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not all_migrations_applied():
            return "migrations"
    except Exception:
        # Start the next check from a fresh connection, so readiness recovers on its own.
        connection.close()
        return "database"
    return None


@sync_to_async(thread_sensitive=False)
def cache_unready() -> str | None:
    # A thread of its own, so that it runs alongside the database check.
    try:
        cache.set("readyz", "ok", timeout=10)
        answered = cache.get("readyz") == "ok"
    except Exception:
        answered = False
    return None if answered else "cache"


async def static_files_unready() -> str | None:
    """None when collectstatic wrote the manifest that production's hashed file names need.

    Without it every page that links a static file is a 500. A stat (and, once per
    process, reading the manifest) is cheap enough for the event loop.
    """
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest is None or staticfiles_storage.exists(manifest):
        return None
    return "static files"


@require_safe
async def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers with every migration applied, and the static
    files are collected. The cache is reported, not required.

    Readiness takes a process out of the balancer, which helps only when that process
    is what is wrong: draining, a release not migrated or collected, a database it
    cannot reach. The cache is one Redis that every process shares: when it is down,
    it is down for all of them, and failing readiness everywhere would turn the
    pages that still work into a full outage. So a 200 says "ok; degraded: cache",
    and the requests that need Redis get the 503 page (serving/outages.py).

    A process about to stop says "draining" as long as its DJANGO_DRAIN_FILE exists
    (a stat, cheap on the event loop), so balancers send it nothing new while its
    requests finish. A 503 names what is not ready. Their timeouts in the settings
    bound how long a check of a service that is away can take: three seconds for
    the database, two for Redis.
    """
    if settings.DRAIN_FILE and os.path.exists(settings.DRAIN_FILE):
        return HttpResponse("unavailable: draining", status=503, content_type="text/plain")
    database, cache_down, static_files = await asyncio.gather(
        database_unready(), cache_unready(), static_files_unready()
    )
    failing = [name for name in (database, static_files) if name]
    if failing:
        return HttpResponse(
            "unavailable: " + ", ".join(failing), status=503, content_type="text/plain"
        )
    body = f"ok; degraded: {cache_down}" if cache_down else "ok"
    return HttpResponse(body, content_type="text/plain")
