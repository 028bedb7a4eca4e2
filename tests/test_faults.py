"""When a backing service stops, liveness holds, readiness says so at once, then recovers.

The project runs on servers of this test's own, so that stopping them touches no
other test.
"""

import time

import pytest

from tests.production import collect_static, manage, production_environment, sign_in_form
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
def test_readiness_follows_the_database_and_reports_the_cache_while_liveness_holds(
    served_with_own_services,
):
    server, database, cache = served_with_own_services
    assert probe(server, "/readyz")[:2] == (200, "ok")

    # The database: this process is not ready. Redis, shared by every process: it says so,
    # but stays in the balancer, where the pages that need no Redis still answer.
    expected = {"database": (503, "unavailable: database"), "cache": (200, "ok; degraded: cache")}
    for name, service in [("database", database), ("cache", cache)]:
        service.stop()
        assert probe(server, "/healthz")[:2] == (200, "ok")
        status, body, seconds = probe(server, "/readyz")
        print(f"readyz with the {name} stopped: {status} in {seconds:.2f}s")
        assert (status, body) == expected[name]

        service.start()
        wait_until(lambda: probe(server, "/readyz")[:2] == (200, "ok"), f"readiness after {name}")


@pytest.mark.xdist_group(WITH_SERVICES)
def test_a_request_that_needs_a_stopped_service_gets_the_503_page_and_one_line(
    served_with_own_services,
):
    server, database, cache = served_with_own_services
    for name, service, line in [
        ("cache", cache, "Redis is unavailable"),
        ("database", database, "the database is unavailable"),
    ]:
        headers, form = sign_in_form(server, "ada", "wrong")
        seen = len(server.lines)
        service.stop()
        # A failed sign-in needs both: the user table, and the sign-in limits' count.
        status, _, body = server.request(
            "/accounts/login/", method="POST", headers=headers, body=form
        )
        printed = server.output(since=seen)
        service.start()

        assert status == 503, (name, status, body[:300])
        assert "Back in a moment" in body
        assert line in printed
        assert "Traceback" not in printed
        wait_until(lambda: probe(server, "/readyz")[:2] == (200, "ok"), f"readiness after {name}")
