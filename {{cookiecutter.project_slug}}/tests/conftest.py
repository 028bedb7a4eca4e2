"""Fixtures that run the project the way production does: real processes, real HTTP."""

{% if cookiecutter.database == "postgresql" %}import contextlib
{% endif %}import html
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode{% if cookiecutter.database == "postgresql" %}, urlsplit{% endif %}

import pytest
from asgiref.testing import ApplicationCommunicator

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROJECT_NAME = {{ cookiecutter.project_name | python_string }}
PROD_SETTINGS = "{{ cookiecutter.project_slug }}.settings.prod"
{%- if cookiecutter.username_type == "email" %}
# People sign in with their email address, in the sign-in form's "login" field.
ADMIN = {"username": "admin@example.com", "password": "a-long-test-password-1234"}
{%- else %}
ADMIN = {"username": "admin", "password": "a-long-test-password-1234"}
{%- endif %}
LISTENING = re.compile(r"Listening on TCP address [\d.]+:(\d+)")
# The production server's sign-in limits: low, and a short window, for test_sign_in_limits.py.
LOGIN_LIMIT = {"failures": 2, "failures_per_username": 4, "seconds": 2}
{%- if cookiecutter.use_channels %}
TRUSTED_ORIGIN = "https://localhost:9443"
{%- endif %}


def production_environment(directory):
    """The process environment as production needs it, with its files under a directory.

    It starts from this process's environment without any Django or Sentry setting
    (the services' URLs stay), then adds the required variables{% if cookiecutter.database == "sqlite" %}, a database{% endif %} and a static root.
    """
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "SENTRY_"))
    }
    return {
        **inherited,
        "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
{%- if cookiecutter.database == "sqlite" %}
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
{%- endif %}
        "DJANGO_STATIC_ROOT": str(directory / "static"),
{%- if cookiecutter.use_sentry %}
        # Set, so that a DSN in the developer's .env never receives the tests' errors.
        "SENTRY_DSN": "",
{%- endif %}
    }


@pytest.fixture
def prod_env(tmp_path):
    return production_environment(tmp_path)


@pytest.fixture(scope="module")
def project_without_env_file(tmp_path_factory):
    """A copy of the project without the developer's .env, as a fresh server sees it.

    One copy serves a whole module: its tests only start the project, never write to it.
    """
    copy = tmp_path_factory.mktemp("without-env") / "project"
    shutil.copytree(
        PROJECT_ROOT,
        copy,
        ignore=shutil.ignore_patterns(".env", ".venv", "*.sqlite3", "staticfiles", "__pycache__"),
    )
    return copy


def run(args, env, cwd=PROJECT_ROOT):
    """Run a Python command of the project and return the finished process."""
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def manage(*args, env):
    """Run ``manage.py`` with the given arguments; fail with its output if it fails."""
    finished = run(["manage.py", *args], env=env)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished


class Daphne:
    """A daphne process serving the project on a free loopback port.

    A thread keeps reading what it prints (stdout and stderr), so a chatty server
    never blocks on a full pipe, and a test can read its log.
    """

    def __init__(self, env):
        self.env = env
        self.process = subprocess.Popen(
            self.command(),
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = []
        self._reader = None
        self.port = self._wait_for_port()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def command(self):
        # As the deploy files run it: no access log, so that stdout is all JSON.
        return [
            *(sys.executable, "-m", "daphne", "--access-log", "/dev/null"),
            *("-b", "127.0.0.1", "-p", "0", "{{ cookiecutter.project_slug }}.asgi:application"),
        ]

    def _wait_for_port(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            if match := LISTENING.search(line):
                return int(match.group(1))
        self.stop()
        raise AssertionError("daphne did not start listening:\n" + "".join(self.lines))

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def output(self, since=0):
        """What daphne printed from line number ``since`` on, once it has been quiet a moment."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            printed = len(self.lines)
            time.sleep(0.3)
            if len(self.lines) == printed:
                break
        return "".join(self.lines[since:])

    def logged(self, text, seconds=5):
        """The lines of the server's output that contain a text, waiting for the first."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if lines := [line for line in self.lines if text in line]:
                return lines
            time.sleep(0.05)
        return []

    def get(self, path, headers=None):
        """Send a real HTTP GET; return (status, headers, body) without following redirects."""
        return self.request(path, headers=headers)

    def request(self, path, method="GET", headers=None, data=None):
        """Send a real HTTP request; return (status, headers, body) without following redirects."""
        url = f"http://127.0.0.1:{self.port}{path}"
        request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self._reader:
            self._reader.join(timeout=10)
        self.process.stdout.close()


class Runserver(Daphne):
    """``manage.py runserver`` (daphne's, with the dev settings) on a free loopback port."""

    def command(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.chosen_port = probe.getsockname()[1]
        address = f"127.0.0.1:{self.chosen_port}"
        return [sys.executable, "manage.py", "runserver", address, "--noreload"]

    def _wait_for_port(self):
        # runserver prints its address before it listens, and no "Listening" line after.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.chosen_port), timeout=1).close()
                return self.chosen_port
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.process.kill()
        output, _ = self.process.communicate()
        raise AssertionError("runserver did not start listening:\n" + output)


def cookies_of(headers):
    """The cookies that a response sets, by name."""
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(server, username=ADMIN["username"], password=ADMIN["password"], headers=None):
    """Sign in through the site's sign-in form, bound for the admin, as a browser would.

    Returns the response; ``headers`` are added to both requests.
    """
    https = {"X-Forwarded-Proto": "https", **(headers or {})}
    _, form_headers, page = server.get("/accounts/login/?next=/admin/", headers=https)
    csrf_cookie = cookies_of(form_headers)["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    origin = f"https://127.0.0.1:{server.port}"
    form = {"login": username, "password": password, "csrfmiddlewaretoken": token}
    return server.request(
        "/accounts/login/",
        method="POST",
        headers={
            **https,
            "Cookie": f"csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        },
        data=urlencode({**form, "next": "/admin/"}).encode(),
    )


async def asgi_request(application, method, path, headers=(), body=b""):
    """One HTTP request to an ASGI application, driven directly; returns (status, headers, body).

    ``headers`` are (name, value) pairs of bytes; the response's are too. A query
    string in ``path`` goes where a server puts it.
    """
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"localhost"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": body})
    start = await communicator.receive_output(timeout=10)
    content = b""
    while True:
        message = await communicator.receive_output(timeout=10)
        content += message.get("body", b"")
        if not message.get("more_body"):
            break
    await communicator.wait()
    return start["status"], start["headers"], content.decode()


def shows_project_name(page):
    """Whether an HTML page shows the project's name, however the template escaped it."""
    return PROJECT_NAME in html.unescape(page)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# Administrators, with a cheap hash that Django takes as it is: a wrong password then
# costs a millisecond to check, not a second. Their addresses are confirmed, as
# allauth's mandatory confirmation wants before a first sign-in.
ADD_ADMINISTRATORS = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import ScryptPasswordHasher, make_password

cheap = ScryptPasswordHasher()
cheap.work_factor = 2**4
for username in {usernames!r}:
    user = get_user_model().objects.create(
{%- if cookiecutter.username_type == "email" %}
        email=username,
{%- else %}
        username=username,
        email=username + "@example.com",
{%- endif %}
        password=make_password({password!r}, hasher=cheap),
        is_staff=True,
        is_superuser=True,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
"""
# What a deploy runs before daphne starts, in one interpreter: separate commands would
# cost a second each.
DEPLOY = """
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
"""


def in_production(server_or_env, script):
    """Run Python in the project's shell with a production server's environment."""
    env = getattr(server_or_env, "env", server_or_env)
    env = {**env, "DJANGO_SETTINGS_MODULE": PROD_SETTINGS}
    return manage("shell", "--no-imports", "-c", script, env=env)


def deploy(env):
    """Migrate and collect the static files of a production server, with an administrator."""
    administrator = ADD_ADMINISTRATORS.format(
        usernames=[ADMIN["username"]], password=ADMIN["password"]
    )
    in_production(env, DEPLOY + administrator)
{%- if cookiecutter.database == "postgresql" %}


@contextlib.contextmanager
def own_database(django_db_blocker, name):
    """A database of its own on the suite's PostgreSQL server, dropped afterwards.

    A production server's data never lands in the database that DATABASE_URL names.
    """
    from django.db import connection

    name = f"{name}_{os.getpid()}"
    server = os.environ.get("DATABASE_URL", "postgres:///{{ cookiecutter.project_slug }}")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def production_database_url(django_db_blocker):
    with own_database(django_db_blocker, "test_production") as url:
        yield url
{%- endif %}


@pytest.fixture
def fresh_prod_env(tmp_path{% if cookiecutter.database == "postgresql" %}, django_db_blocker{% endif %}):
    """A production environment whose database is new and empty, as no deploy has left it."""
{%- if cookiecutter.database == "postgresql" %}
    with own_database(django_db_blocker, "test_fresh") as url:
        yield {**production_environment(tmp_path), "DATABASE_URL": url}
{%- else %}
    # production_environment's SQLite file, which nothing has created yet.
    return production_environment(tmp_path)
{%- endif %}


@pytest.fixture(scope="session")
def daphne_prod(tmp_path_factory{% if cookiecutter.database == "postgresql" %}, production_database_url{% endif %}):
    """daphne serving the production settings, deployed: migrated, static files collected."""
    env = {
        **production_environment(tmp_path_factory.mktemp("prod")),
{%- if cookiecutter.database == "postgresql" %}
        "DATABASE_URL": production_database_url,
{%- endif %}
        "DJANGO_LOGIN_FAILURE_LIMIT": str(LOGIN_LIMIT["failures"]),
        "DJANGO_LOGIN_FAILURE_LIMIT_PER_USERNAME": str(LOGIN_LIMIT["failures_per_username"]),
        "DJANGO_LOGIN_LOCKOUT_SECONDS": str(LOGIN_LIMIT["seconds"]),
        "DJANGO_DRAIN_FILE": str(tmp_path_factory.mktemp("drain") / "draining"),
{%- if cookiecutter.use_channels %}
        # Another origin of an allowed host, trusted by name (tests/test_rooms.py).
        "DJANGO_CSRF_TRUSTED_ORIGINS": TRUSTED_ORIGIN,
{%- endif %}
    }
    deploy(env)
    server = Daphne(env)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite's test database in a file, not in memory.

    Under ASGI each request's sync code runs in a thread of its own, with its own
    connection, which only a file database really closes when the request ends.
    It never outlives the test session, so it need not survive a crash.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test_database = tmp_path_factory.mktemp("db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(test_database)
        database["OPTIONS"]["init_command"] = "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF"
