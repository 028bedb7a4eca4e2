"""Fixtures that run the project the way production does: real processes, real HTTP."""

import html
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROJECT_NAME = {{ cookiecutter.project_name | python_string }}
PROD_SETTINGS = "{{ cookiecutter.project_slug }}.settings.prod"
LISTENING = re.compile(r"Listening on TCP address [\d.]+:(\d+)")


def production_environment(directory):
    """The process environment as production needs it, with its files under a directory.

    It starts from this process's environment without any Django setting (the
    services' URLs stay), then adds the required variables{% if cookiecutter.database == "sqlite" %}, a database{% endif %} and a static root.
    """
    inherited = {
        name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")
    }
    return {
        **inherited,
        "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
{%- if cookiecutter.database == "sqlite" %}
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
{%- endif %}
        "DJANGO_STATIC_ROOT": str(directory / "static"),
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

    ``output`` collects what it prints (stdout and stderr) once it listens.
    """

    def __init__(self, env):
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "daphne", "--proxy-headers", "-b", "127.0.0.1", "-p", "0"),
                "{{ cookiecutter.project_slug }}.asgi:application",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output = []
        self._reader = None
        self.port = self._wait_for_port()
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()

    def _wait_for_port(self):
        deadline = time.monotonic() + 30
        output = []
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            output.append(line)
            if match := LISTENING.search(line):
                return int(match.group(1))
        self.stop()
        raise AssertionError("daphne did not start listening:\n" + "".join(output))

    def _read_output(self):
        for line in self.process.stdout:
            self.output.append(line)

    def output_after(self, seen):
        """The lines printed after the first ``seen`` ones, once daphne falls quiet."""
        deadline = time.monotonic() + 5
        while len(self.output) == seen and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        return self.output[seen:]

    def get(self, path, headers=None):
        """Send a real HTTP GET; return (status, headers, body) without following redirects."""
        url = f"http://127.0.0.1:{self.port}{path}"
        request = urllib.request.Request(url, headers=headers or {})
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


def shows_project_name(page):
    """Whether an HTML page shows the project's name, however the template escaped it."""
    return PROJECT_NAME in html.unescape(page)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def daphne_prod(tmp_path_factory):
    """daphne serving the production settings, static files collected as in a deploy."""
    env = production_environment(tmp_path_factory.mktemp("prod"))
    manage("collectstatic", "--noinput", env={**env, "DJANGO_SETTINGS_MODULE": PROD_SETTINGS})
    server = Daphne(env)
    yield server
    server.stop()
