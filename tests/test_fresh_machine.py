"""A baked project needs nothing but its own pyproject.toml and its README's commands.

The other tests run every baked suite in the template's venv, which would hide a
dependency that the generated pyproject.toml forgot. Here a new venv is built
from PyPI exactly as the generated README says, then the README's commands serve
the site and run the project's tests.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import clean_environment, run
from tests.services import free_port
from tests.variants import TEMPLATE

PYTHON_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"


def readme_commands(directory):
    """The shell commands in the "Start" section of a README, in order."""
    start = (directory / "README.md").read_text().split("## Start", 1)[1].split("\n## ")[0]
    return re.findall(r"```sh\n(.+?)\n```", start)


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


@pytest.mark.fresh_machine
def test_readme_commands_set_up_serve_and_test_a_project_in_a_new_venv(cookies, tmp_path):
    # The README names python<version>; give that name to the interpreter running us.
    project = cookies.bake(extra_context={"python_version": PYTHON_VERSION}).project_path
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / f"python{PYTHON_VERSION}").symlink_to(sys._base_executable)
    env = {**clean_environment(), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("VIRTUAL_ENV", None)
    set_up_and_serve, test = readme_commands(project)

    assert "My Project" in serve_with(set_up_and_serve, cwd=project, env=env)

    finished = run(["bash", "-c", test], cwd=project, env=env, timeout=600)
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

    page = serve_with(generate_and_serve, cwd=clone, env=clean_environment())

    assert "My Project" in page
    assert (tmp_path / "my_project" / "manage.py").is_file()
