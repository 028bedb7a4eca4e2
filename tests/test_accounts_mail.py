"""A mail server that refuses account mail never breaks the page that sent it.

allauth, added by hand to a bake, answered a sign-up POST with a 500 when the SMTP
server refused the confirmation. Here production daphne mails through
DJANGO_EMAIL_URL to a loopback SMTP server that refuses every address at
refused.example (tests/services.py SMTPSink): with tasks, the task worker meets
the refusal and records it; without, the page says so and the log has one line.
"""

import re
import sys
from urllib.parse import urlencode

import pytest

from tests.conftest import run
from tests.production import HTTPS, cookies_of, deploy, production_environment
from tests.services import Daphne, SMTPSink
from tests.variants import variant_id

WITH_TASKS, WITHOUT_TASKS = variant_id({}), variant_id({"use_tasks": False})
PASSWORD = "a-long-test-password-1234"


@pytest.fixture
def mailing_site(request, baked_projects, tmp_path):
    project = baked_projects(request.param).project_path
    sink = SMTPSink()
    env = production_environment(
        project,
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_EMAIL_URL=sink.url,
    )
    deploy(project, env)
    server = Daphne(project, env)
    server.project, server.env, server.sink = project, env, sink
    yield server
    server.stop()
    sink.stop()


def sign_up(server, address):
    """Send the sign-up form as a browser would; return the answer and its cookies."""
    _, headers, page = server.request("/accounts/signup/", headers=HTTPS)
    cookies = cookies_of(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    origin = f"https://127.0.0.1:{server.port}"
    form = {
        "csrfmiddlewaretoken": token,
        "email": address,
        "username": address.partition("@")[0],
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    status, headers, page = server.request(
        "/accounts/signup/",
        method="POST",
        headers={
            **HTTPS,
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/accounts/signup/",
        },
        body=urlencode(form),
    )
    return status, headers, {**cookies, **cookies_of(headers)}


@pytest.mark.xdist_group(WITH_TASKS)
@pytest.mark.parametrize("mailing_site", [WITH_TASKS], indirect=True)
def test_with_tasks_the_worker_meets_the_refusal_and_the_sign_up_page_does_not(mailing_site):
    status, headers, _ = sign_up(mailing_site, "ada@refused.example")
    assert (status, headers["Location"]) == (302, "/accounts/confirm-email/")

    worker = run(
        [sys.executable, "manage.py", "db_worker", "--batch"],
        cwd=mailing_site.project,
        env=mailing_site.env,
    )

    assert worker.returncode == 0, worker.stdout + worker.stderr
    assert "send_account_email state=FAILED" in worker.stdout + worker.stderr
    assert mailing_site.sink.messages == []


@pytest.mark.xdist_group(WITHOUT_TASKS)
@pytest.mark.parametrize("mailing_site", [WITHOUT_TASKS], indirect=True)
def test_without_tasks_the_refusal_is_one_line_and_a_message_not_a_500(mailing_site):
    status, headers, cookies = sign_up(mailing_site, "ada@refused.example")
    assert (status, headers["Location"]) == (302, "/accounts/confirm-email/")

    session = "; ".join(f"{name}={value}" for name, value in cookies.items())
    status, _, page = mailing_site.request(
        "/accounts/confirm-email/", headers={**HTTPS, "Cookie": session}
    )

    assert status == 200
    assert "We could not send the email just now" in page
    logged = [line for line in mailing_site.output().splitlines() if "not sent" in line]
    assert len(logged) == 1
    assert "Account email to 'ada@refused.example' not sent" in logged[0]
    assert "Traceback" not in mailing_site.output()
