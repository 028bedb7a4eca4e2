"""A baked project needs nothing but its own pyproject.toml and its README's commands.

The other tests install every baked project from a lock into a venv they share,
which could hide a step that a new user must take. Here the generated README's
commands run as written, both ways (uv, and pip in a new venv), and serve the
site and run the project's tests; so does the template README's Start command.
uv is the template venv's, and never downloads a Python.
"""

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request

import pytest

from tests.conftest import UV, run, succeed, uv_environment
from tests.services import free_port
from tests.variants import TEMPLATE


def readme(directory):
    """The "Start" section of a README."""
    return (directory / "README.md").read_text().split("## Start", 1)[1].split("\n## ")[0]


def readme_commands(directory):
    """The shell commands in the "Start" section of a README, in order."""
    return re.findall(r"```sh\n(.+?)\n```", readme(directory))


def serve_with(command, cwd, env):
    """Run a README command that ends in ``runserver`` on a free port; return the home page."""
    assert command.endswith("manage.py runserver")
    port = free_port()
    server = subprocess.Popen(
        ["bash", "-c", f"{command} 127.0.0.1:{port}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        return wait_for_page(f"http://127.0.0.1:{port}/", server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def wait_for_page(url, process, seconds=300):
    """The body of the first successful GET of a URL, polling while the server starts."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the README's command stopped before serving"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(1)
    raise AssertionError(f"nothing answered at {url} within {seconds}s")


def uv_on_path(tmp_path):
    """A clean environment with the template venv's uv on PATH, and nothing else of that venv."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "uv").symlink_to(UV)
    return uv_environment(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


@pytest.fixture
def default_project(cookies):
    return cookies.bake().project_path


@pytest.mark.fresh_machine
@pytest.mark.parametrize(("path", "first_word"), [("uv", "uv"), ("pip", "PY=")])
def test_readme_commands_of_each_install_path_set_up_serve_and_test_a_project(
    default_project, tmp_path, path, first_word
):
    # The README gives the uv path's two commands, then the pip path's; pip needs no uv.
    commands = readme_commands(default_project)
    serve, test = commands[:2] if path == "uv" else commands[2:4]
    env = uv_on_path(tmp_path) if path == "uv" else uv_environment()
    assert serve.startswith(first_word)

    assert "My Project" in serve_with(serve, cwd=default_project, env=env)

    finished = run(["bash", "-c", test], cwd=default_project, env=env, timeout=600)
    assert finished.returncode == 0, finished.stdout[-4000:] + finished.stderr[-2000:]
    assert " passed" in finished.stdout


@pytest.mark.fresh_machine
def test_template_readme_generates_and_serves_the_default_project(tmp_path):
    clone = tmp_path / "clone"
    shutil.copytree(
        TEMPLATE,
        clone,
        ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", ".*_cache"),
    )
    generate_and_serve = readme_commands(clone)[0]
    project = tmp_path / "my_project"

    page = serve_with(generate_and_serve, cwd=clone, env=uv_environment())

    assert "My Project" in page
    # The dev tools are there too, for the project README's commands.
    succeed(["bash", "-c", ".venv/bin/ruff check ."], cwd=project)
    succeed(["bash", "-c", ".venv/bin/pytest --collect-only -q"], cwd=project)
