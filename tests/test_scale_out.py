"""Two daphne processes of one project, sharing PostgreSQL and Redis, act as one site."""

import json

import pytest
from websockets.sync.client import connect

from tests.production import HTTPS, deploy, log_in, production_environment, sign_in_name
from tests.services import Daphne
from tests.variants import SERVICES, variant_id

SCALE_OUT = variant_id(SERVICES)


@pytest.fixture(scope="module")
def two_processes(baked_projects, postgresql_server, redis_server, tmp_path_factory):
    project = baked_projects(SCALE_OUT).project_path
    env = production_environment(
        project,
        tmp_path_factory.mktemp("scale-out"),
        DATABASE_URL=postgresql_server.create_database("scale_out"),
        REDIS_URL=redis_server.url(1),
    )
    deploy(project, env)
    servers = [Daphne(project, env), Daphne(project, env)]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def admin_name(baked_projects):
    return sign_in_name(baked_projects(SCALE_OUT).project_path)


@pytest.mark.xdist_group(SCALE_OUT)
def test_a_session_opened_on_one_process_is_valid_on_the_other(two_processes, admin_name):
    first, second = two_processes

    session = log_in(first, admin_name)

    status, _, page = second.request(
        "/admin/", headers={**HTTPS, "Cookie": f"sessionid={session}"}
    )
    assert status == 200
    assert "Site administration" in page
    status, headers, _ = second.request("/admin/", headers=HTTPS)
    assert (status, headers["Location"]) == (302, "/admin/login/?next=/admin/")
    status, headers, _ = second.request("/admin/login/?next=/admin/", headers=HTTPS)
    assert (status, headers["Location"]) == (302, "/accounts/login/?next=%2Fadmin%2F")


@pytest.mark.xdist_group(SCALE_OUT)
def test_a_room_message_crosses_from_one_process_to_the_other(two_processes, admin_name):
    first, second = two_processes
    session = log_in(first, admin_name)

    with (
        connect(
            f"ws://127.0.0.1:{first.port}/ws/rooms/scale/",
            origin=first.origin,
            additional_headers={"Cookie": f"sessionid={session}"},
        ) as sender,
        connect(f"ws://127.0.0.1:{second.port}/ws/rooms/scale/", origin=second.origin) as listener,
    ):
        sender.send(json.dumps({"message": "across processes"}))

        assert json.loads(listener.recv(timeout=10)) == {
            "author": admin_name,
            "message": "across processes",
        }
