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
from pathlib import Path

import pytest

from tests.conftest import BIN, UV, run, succeed, uv_environment
from tests.services import free_port
from tests.variants import TEMPLATE


def readme(directory):
    """The "Start" section of a README."""
    return (directory / "README.md").read_text().split("## Start", 1)[1].split("\n## ")[0]


def readme_commands(directory):
    """The shell commands in the "Start" section of a README, in order."""
    return re.findall(r"```sh\n(.+?)\n```", readme(directory))


def serve_with(command, cwd, env, log=None):
    """Run a README command that ends in ``runserver`` on a free port; return the home page.

    What the command prints goes to ``log`` (a path) when one is given.
    """
    assert command.endswith("manage.py runserver")
    port = free_port()
    with open(log or os.devnull, "w") as output:
        server = subprocess.Popen(
            ["bash", "-c", f"{command} 127.0.0.1:{port}"],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
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

    log = tmp_path / "set-up.log"
    assert "My Project" in serve_with(serve, cwd=default_project, env=env, log=log)
    # Installing is quiet: what prints is migrate's and runserver's, never a build banner.
    # (This machine's pip configuration names package folders that may be missing.)
    printed = [line for line in log.read_text().splitlines() if "is ignored:" not in line]
    assert not [line for line in printed if "Warning" in line or "****" in line], printed
    assert len([line for line in printed if not line.startswith("  Applying ")]) < 25, printed

    finished = run(["bash", "-c", test], cwd=default_project, env=env, timeout=600)
    assert finished.returncode == 0, finished.stdout[-4000:] + finished.stderr[-2000:]
    assert " passed" in finished.stdout


def python_312_only(tmp_path):
    """An environment whose only Python 3.12+ is a 3.12 (as on Ubuntu 24.04): pyenv's
    root holds just that version, and PATH has no python3.12 or newer of its own."""
    pyenv_root = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout
    versions = sorted(Path(pyenv_root.strip(), "versions").glob("3.12.*"))
    assert versions, "this test needs pyenv's Python 3.12 (see the README's machine facts)"
    only = tmp_path / "pyenv"
    (only / "versions").mkdir(parents=True)
    (only / "versions" / versions[-1].name).symlink_to(versions[-1])
    return uv_environment(PYENV_ROOT=str(only))


@pytest.mark.fresh_machine
def test_template_readme_generates_and_serves_the_default_project_with_only_python_312(
    tmp_path,
):
    clone = tmp_path / "clone"
    shutil.copytree(
        TEMPLATE,
        clone,
        ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", ".*_cache"),
    )
    generate_and_serve = readme_commands(clone)[0]
    project = tmp_path / "my_project"
    env = python_312_only(tmp_path)

    page = serve_with(generate_and_serve, cwd=clone, env=env)

    assert "My Project" in page
    version = succeed([".venv/bin/python", "-c", "import sys; print(sys.version)"], project).stdout
    assert version.startswith("3.12."), version
    # The dev tools are there too, for the project README's commands.
    succeed(["bash", "-c", ".venv/bin/ruff check ."], cwd=project)
    succeed(["bash", "-c", ".venv/bin/pytest --collect-only -q"], cwd=project)

    # A second run serves the project it made, as it is: the secret is the first one.
    secret = (project / ".env").read_text()
    (project / ".venv").rename(tmp_path / "first-venv")  # so the second run must rebuild it

    assert "My Project" in serve_with(generate_and_serve, cwd=clone, env=env)
    assert (project / ".env").read_text() == secret


@pytest.mark.fresh_machine
def test_the_printed_next_steps_run_in_a_new_shell_where_uv_is_not_on_path(tmp_path):
    # cookiecutter runs from the template's venv, as in the README; the new shell's PATH
    # does not have that venv, so a bare "uv" there would be "command not found".
    path = os.pathsep.join(
        entry for entry in os.environ["PATH"].split(os.pathsep) if Path(entry) != BIN
    )
    # A home of its own keeps the replay file out of the real one; uv keeps its warm cache.
    cache = succeed([UV, "cache", "dir"], cwd=tmp_path).stdout.strip()
    env = uv_environment(PATH=path, HOME=str(tmp_path), UV_CACHE_DIR=cache)
    generated = succeed(
        [BIN / "cookiecutter", "--no-input", "-o", tmp_path, TEMPLATE], tmp_path, env
    )
    steps = [line.strip() for line in generated.stdout.splitlines()[1:]]
    project = tmp_path / "my_project"
    assert steps[0] == f"cd {project}"
    set_up = [step for step in steps[1:] if "runserver" not in step and "db_worker" not in step]
    serve = next(step for step in steps if "runserver" in step).split("#")[0].strip()

    succeed(["bash", "-c", " && ".join(set_up)], cwd=project, env=env)

    assert "My Project" in serve_with(serve, cwd=project, env=env)
