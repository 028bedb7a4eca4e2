"""The welcome email: queued by a command or a request, sent by the task."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .conftest import PROJECT_NAME, cookies_of, in_production, sign_in

HTTPS = {"X-Forwarded-Proto": "https"}
WELCOME = "{{ cookiecutter.project_slug }}.users.tasks.send_welcome_email"
TASK_STATUS = """
from django.tasks import default_task_backend
print(default_task_backend.get_result({task_id!r}).status)
"""


def test_the_command_queues_a_welcome_email_that_the_task_sends(capsys):
    call_command("send_welcome_email", "ada@example.com", "grace@example.com")

    assert [message.to for message in mail.outbox] == [["ada@example.com"], ["grace@example.com"]]
    assert mail.outbox[0].subject == f"Welcome to {PROJECT_NAME}"
    assert capsys.readouterr().out.count("Queued the welcome email to ") == 2


def test_the_command_refuses_a_bad_address_and_queues_none():
    with pytest.raises(CommandError, match=r"^'not-an-address' is not an email address$"):
        call_command("send_welcome_email", "ada@example.com", "not-an-address")

    assert mail.outbox == []


@pytest.fixture(scope="module")
def staff(daphne_prod):
    """A signed-in administrator's cookies and CSRF token, as the welcome form sends them."""
    status, headers, _ = sign_in(daphne_prod)
    assert status == 302, "the administrator could not sign in"
    cookies = cookies_of(headers)
    origin = f"https://127.0.0.1:{daphne_prod.port}"
    return {
        **HTTPS,
        "Cookie": f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}",
        "X-CSRFToken": cookies["csrftoken"],
        "Origin": origin,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def post_welcome(server, address, headers):
    return server.request(
        "/welcome/", method="POST", headers=headers, data=f"address={address}".encode()
    )


def test_a_staff_request_queues_the_welcome_email_for_the_worker(daphne_prod, staff):
    status, _, body = post_welcome(daphne_prod, "ada@example.com", staff)

    assert status == 202
    task_id = json.loads(body)["task"]
    # The production settings queue it in the database, where db_worker finds it.
    queued = in_production(daphne_prod, TASK_STATUS.format(task_id=task_id)).stdout
    assert queued.strip() == "READY"


def test_the_welcome_request_refuses_a_bad_address(daphne_prod, staff):
    status, _, body = post_welcome(daphne_prod, "not-an-address", staff)

    assert status == 400
    assert json.loads(body) == {"error": "address must be an email address"}


def test_the_welcome_request_is_for_staff_only(daphne_prod, staff):
    _, headers, _ = daphne_prod.get("/accounts/login/", headers=HTTPS)
    token = cookies_of(headers)["csrftoken"]
    anonymous = {**staff, "Cookie": f"csrftoken={token}", "X-CSRFToken": token}

    status, _, body = post_welcome(daphne_prod, "ada@example.com", anonymous)

    assert status == 403
    assert json.loads(body) == {"error": "staff only"}


def claimed(seconds_ago, *worker_ids, status=TaskResultStatus.RUNNING):
    """A welcome-email task as db_worker leaves it: claimed by these workers, in order."""
    return DBTaskResult.objects.create(
        task_path=WELCOME,
        args_kwargs={"args": ["ada@example.com"], "kwargs": {}},
        backend_name="default",
        status=status,
        started_at=timezone.now() - timedelta(seconds=seconds_ago),
        worker_ids=list(worker_ids),
    )


def status_of(result):
    result.refresh_from_db()
    return result.status


@pytest.mark.django_db
def test_a_task_running_past_the_limit_goes_back_to_the_queue_and_a_recent_one_stays(capsys):
    lost = claimed(301, "dead")
    recent = claimed(60, "alive")
    finished = claimed(900, "done", status=TaskResultStatus.SUCCESSFUL)

    call_command("requeue_stale_tasks")

    assert status_of(lost) == TaskResultStatus.READY
    # Its claims stay: the next worker adds its own, and --max-attempts counts them.
    assert lost.worker_ids == ["dead"]
    assert status_of(recent) == TaskResultStatus.RUNNING
    assert status_of(finished) == TaskResultStatus.SUCCESSFUL
    out = capsys.readouterr().out
    assert f"Task id={lost.pk} path={WELCOME} worker_id=dead" in out
    assert out.endswith("1 lost task(s) recovered\n")


@pytest.mark.django_db
def test_a_starting_worker_takes_back_what_its_id_was_running_however_recent():
    mine = claimed(5, "earlier", "worker-1")
    another = claimed(5, "worker-2")

    call_command("requeue_stale_tasks", "--worker-id", "worker-1")

    assert status_of(mine) == TaskResultStatus.READY
    assert status_of(another) == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_task_that_lost_its_worker_each_time_is_failed_with_the_reason():
    lost = claimed(301, "a", "b", "c")

    call_command("requeue_stale_tasks", "--max-attempts", "3")

    assert status_of(lost) == TaskResultStatus.FAILED
    assert lost.finished_at is not None
    path = "{{ cookiecutter.project_slug }}.users.stale_tasks.WorkerLost"
    assert lost.exception_class_path == path
    assert lost.traceback == f"{path}: its worker died 3 times before it finished; not retried\n"


@pytest.mark.django_db
def test_the_liveness_check_fails_only_for_a_worker_stuck_in_a_task(capsys):
    claimed(301, "stuck")
    claimed(60, "busy")

    with pytest.raises(CommandError, match=r"^RUNNING for longer than 300 s: id=.* path="):
        call_command("check_worker", "--worker-id", "stuck")
    call_command("check_worker", "--worker-id", "busy")
    call_command("check_worker", "--worker-id", "idle")

    assert capsys.readouterr().out == "ok\nok\n"
