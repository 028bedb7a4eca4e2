"""The welcome email: queued by a command or a request, sent by the task."""

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import PROJECT_NAME, cookies_of, in_production, sign_in

HTTPS = {"X-Forwarded-Proto": "https"}
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
    _, headers, _ = daphne_prod.get("/admin/login/", headers=HTTPS)
    token = cookies_of(headers)["csrftoken"]
    anonymous = {**staff, "Cookie": f"csrftoken={token}", "X-CSRFToken": token}

    status, _, body = post_welcome(daphne_prod, "ada@example.com", anonymous)

    assert status == 403
    assert json.loads(body) == {"error": "staff only"}
