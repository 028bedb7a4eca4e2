"""The worker is a real process: a baked project's db_worker runs what its daphne queued.

Each variant runs as production does, on SQLite and on PostgreSQL: migrated,
daphne serving, ``manage.py db_worker --interval 0.1`` as the generated README
starts it, and mail sent over SMTP to a small server on loopback.
"""

import json
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from tests.production import HTTPS, cookies_of, deploy, log_in, production_environment
from tests.services import Daphne, SMTPSink, stop
from tests.variants import variant_id

SQLITE = "defaults"
POSTGRESQL = variant_id({"database": "postgresql"})
# Waits, in one interpreter, until the tasks have finished; prints their outcomes.
OUTCOMES = """
import json, time
from django.tasks import default_task_backend

deadline = time.monotonic() + 20
while True:
    results = [default_task_backend.get_result(id) for id in {ids!r}]
    if all(result.is_finished for result in results) or time.monotonic() > deadline:
        break
    time.sleep(0.1)
outcomes = [[result.status, [error.traceback for error in result.errors]] for result in results]
print(json.dumps(outcomes))
"""
# The status of a task and the ids of the workers that claimed it, at once.
CLAIMS = """
import json
from django.tasks import default_task_backend

result = default_task_backend.get_result({id!r})
print(json.dumps([result.status, result.worker_ids]))
"""


class Worker:
    """``manage.py db_worker``, as the generated README runs it; its output is kept.

    With a worker_id, as the deploy files run it: ``--worker-id``.
    """

    def __init__(self, project, env, worker_id=None):
        identity = ["--worker-id", worker_id] if worker_id else []
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1", *identity],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def logged(self, text, seconds=10):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.output:
                return True
            time.sleep(0.05)
        return False

    def stop(self):
        # Time enough for a running task to finish, as SIGTERM lets it.
        stop(self.process, self.reader, seconds=30)

    def kill(self):
        """SIGKILL, as the out-of-memory killer or the end of a grace period sends it."""
        self.process.kill()
        self.process.wait(timeout=10)
        self.reader.join(timeout=10)
        self.process.stdout.close()


class Site:
    """A deployed project: daphne and a worker sharing one database, a staff member signed in."""

    def __init__(self, project, env):
        self.project, self.env = project, env
        deploy(project, env)
        self.web = Daphne(project, env)
        self.worker = Worker(project, env)
        session = log_in(self.web)
        # Any CSRF cookie goes with its own token; the sign-in page hands one out.
        _, headers, _ = self.web.request("/accounts/login/", headers=HTTPS)
        token = cookies_of(headers)["csrftoken"]
        self.staff = {
            **HTTPS,
            "Cookie": f"sessionid={session}; csrftoken={token}",
            "X-CSRFToken": token,
            "Origin": f"https://127.0.0.1:{self.web.port}",
            "Content-Type": "application/x-www-form-urlencoded",
        }

    def welcome(self, address):
        """Queue the welcome email through a real request; return the task's id."""
        status, _, body = self.web.request(
            "/welcome/", method="POST", headers=self.staff, body=urlencode({"address": address})
        )
        assert status == 202, body
        return json.loads(body)["task"]

    def manage(self, *command):
        """Run manage.py in the site's environment; return what it printed."""
        finished = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert finished.returncode == 0, finished.stdout + finished.stderr
        return finished.stdout

    def outcomes(self, ids):
        """(status, tracebacks) of each task, once all have finished (or 20 s have passed)."""
        printed = self.manage("shell", "--no-imports", "-c", OUTCOMES.format(ids=ids))
        return [tuple(outcome) for outcome in json.loads(printed)]

    def claims(self, task):
        """(status, worker ids that claimed it) of a task, now."""
        printed = self.manage("shell", "--no-imports", "-c", CLAIMS.format(id=task))
        return tuple(json.loads(printed))

    def stop(self):
        self.worker.stop()
        self.web.stop()


def mailbox(name, variant):
    """An address of its own for each variant: they share the mail server."""
    return f"{name}.{'postgresql' if variant == POSTGRESQL else 'sqlite'}@example.com"


@pytest.fixture(scope="module")
def smtp():
    server = SMTPSink()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sites(baked_projects, smtp, tmp_path_factory, request):
    """The running site of a variant, started on first use and kept for the module."""
    started = {}

    def site(variant):
        if variant not in started:
            project = baked_projects(variant).project_path
            directory = tmp_path_factory.mktemp("tasks")
            if variant == POSTGRESQL:
                server = request.getfixturevalue("postgresql_server")
                database = server.create_database("tasks_worker")
            else:
                database = f"sqlite:///{directory / 'db.sqlite3'}"
            env = production_environment(
                project, directory, DATABASE_URL=database, DJANGO_EMAIL_URL=smtp.url
            )
            started[variant] = Site(project, env)
        return started[variant]

    yield site
    for running in started.values():
        running.stop()


@pytest.mark.parametrize("variant", [SQLITE, POSTGRESQL])
def test_the_worker_runs_the_task_that_a_request_queued(sites, variant, smtp):
    site = sites(variant)

    address = mailbox("ada", variant)

    task = site.welcome(address)

    assert site.outcomes([task]) == [("SUCCESSFUL", [])]
    [message] = smtp.received(address)
    assert "Subject: Welcome to My Project" in message


@pytest.mark.parametrize("variant", [SQLITE, POSTGRESQL])
def test_a_failing_task_is_recorded_with_its_traceback_and_the_worker_goes_on(
    sites, variant, smtp
):
    site = sites(variant)

    refused = site.welcome(f"nobody@{smtp.REFUSED}")
    after = site.welcome(mailbox("grace", variant))

    [(status, [traceback]), next_one] = site.outcomes([refused, after])
    assert status == "FAILED"
    assert "smtplib.SMTPRecipientsRefused" in traceback
    assert next_one == ("SUCCESSFUL", [])
    assert site.worker.process.poll() is None
    # The failure is logged at ERROR, with its traceback, where production reads logs.
    assert f"Task id={refused} path=my_project.users.tasks.send_welcome_email state=FAILED" in (
        site.worker.output
    )


@pytest.mark.parametrize("variant", [SQLITE])
def test_on_sqlite_requests_and_the_worker_write_at_once_without_a_locked_database(sites, variant):
    site = sites(variant)
    addresses = [mailbox(f"user{number}", variant) for number in range(60)]

    # Eight clients at once queue tasks (a write each) while the worker claims and
    # finishes the earlier ones (three writes each).
    with ThreadPoolExecutor(max_workers=8) as clients:
        tasks = list(clients.map(site.welcome, addresses))

    assert site.outcomes(tasks) == [("SUCCESSFUL", [])] * len(tasks)
    assert "database is locked" not in site.worker.output


@pytest.mark.parametrize("variant", [SQLITE])
def test_sigterm_lets_the_running_task_finish_before_the_worker_exits(sites, variant, smtp):
    site = sites(variant)
    site.worker.stop()
    # The mail server takes two seconds over this one: the task is running when the signal comes.
    task = site.welcome(f"ada@{smtp.SLOW}")
    site.worker = worker = Worker(site.project, site.env)
    running = f"Task id={task} path=my_project.users.tasks.send_welcome_email state=RUNNING"
    assert worker.logged(running)

    worker.process.send_signal(signal.SIGTERM)

    assert worker.process.wait(timeout=15) == 0
    assert "shutting down gracefully" in worker.output
    assert site.outcomes([task]) == [("SUCCESSFUL", [])]
    assert smtp.received(f"ada@{smtp.SLOW}")


@pytest.mark.parametrize("variant", [SQLITE, POSTGRESQL])
def test_a_task_whose_worker_was_killed_runs_again_when_a_worker_restarts(sites, variant, smtp):
    site = sites(variant)
    site.worker.stop()
    # The mail server keeps the first message, then stops answering: the task is
    # mid-send, its mail already out, when the worker is killed.
    address = mailbox("lost", variant).replace("@example.com", f"@{smtp.HANG}")
    task = site.welcome(address)
    worker_id = f"worker-{variant}"
    killed = Worker(site.project, site.env, worker_id=worker_id)
    deadline = time.monotonic() + 15
    while not smtp.received(address) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert smtp.received(address), killed.output

    killed.kill()

    # What django-tasks-db leaves: RUNNING, claimed by a worker that is gone.
    assert site.claims(task) == ("RUNNING", [worker_id])
    # What the deploy files run before the worker starts again under the same id.
    requeued = site.manage("requeue_stale_tasks", "--worker-id", worker_id)
    assert f"Task id={task} path=my_project.users.tasks.send_welcome_email" in requeued
    site.worker = Worker(site.project, site.env, worker_id=worker_id)
    assert site.outcomes([task]) == [("SUCCESSFUL", [])]
    # At least once: the mail went out with the killed attempt and again with this one.
    assert len(smtp.received(address)) == 2
    assert site.claims(task) == ("SUCCESSFUL", [worker_id, worker_id])
