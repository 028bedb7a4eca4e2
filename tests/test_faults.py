"""When a backing service stops, liveness holds, readiness says so at once, then recovers.

The project runs on servers of this test's own, so that stopping them touches no
other test.
"""

import time

import pytest

from tests.production import collect_static, manage, production_environment
from tests.services import Daphne, PostgreSQL, Redis, wait_until
from tests.variants import variant_id

WITH_SERVICES = variant_id({"database": "postgresql", "use_redis": True})


def probe(server, path):
    """(status, body, seconds taken) of one plain-HTTP probe, as a load balancer sends it."""
    started = time.monotonic()
    status, _, body = server.request(path, timeout=10)
    return status, body, time.monotonic() - started


@pytest.fixture
def served_with_own_services(baked_projects, tmp_path):
    project = baked_projects(WITH_SERVICES).project_path
    database, cache = PostgreSQL(), Redis()
    env = production_environment(
        project,
        tmp_path,
        DATABASE_URL=database.create_database("faults"),
        REDIS_URL=cache.url(),
    )
    # What /readyz needs besides the services: the migrations applied, the files collected.
    manage(project, env, "migrate", "--noinput")
    collect_static(project, env)
    server = Daphne(project, env)
    yield server, database, cache
    server.stop()
    cache.remove()
    database.remove()


@pytest.mark.xdist_group(WITH_SERVICES)
def test_readiness_follows_the_database_and_the_cache_while_liveness_holds(
    served_with_own_services,
):
    server, database, cache = served_with_own_services
    assert probe(server, "/readyz")[:2] == (200, "ok")

    for name, service in [("database", database), ("cache", cache)]:
        service.stop()
        assert probe(server, "/healthz")[:2] == (200, "ok")
        status, body, seconds = probe(server, "/readyz")
        print(f"readyz with the {name} stopped: {status} in {seconds:.2f}s")
        assert (status, body) == (503, f"unavailable: {name}")

        service.start()
        wait_until(lambda: probe(server, "/readyz")[0] == 200, f"readiness after the {name}")
