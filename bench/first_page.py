"""A new user's first minute: from ``cookiecutter`` to the dev server's first 200.

    .venv/bin/python bench/first_page.py [--quick]

The default project, through the generated README's two paths: uv (`uv sync`,
`uv run python manage.py migrate`, `uv run python manage.py runserver`) and pip
(a new venv, pip upgraded to 25.1 or newer, `pip install --group dev -e .`, then
the same two commands from `.venv/bin/`). A third row is the uv path with
`uv sync --compile-bytecode`. The package caches (uv's, pip's) are warm: a
warm-up round, not counted, fills them. Python writes its bytecode, as on a new
machine (PYTHONDONTWRITEBYTECODE is dropped). uv is this venv's, given this venv's
Python (the README's `uv sync --python "$(sh find-python.sh)"`), never a download.
Each phase's median over several rounds, and the median of the totals.

Where the uv path's seconds go: uv links the packages from its cache but compiles
no bytecode, so the first command (migrate) compiles every module it imports, once.
pip compiles at install, so its migrate shows the same command already compiled; the
difference is the compiling. runserver imports daphne (Twisted) and the rest anyway, so
moving an import out of migrate would only move its compiling into the first page.
"""

import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from support import BIN, QUICK, bake, free_port, print_table, scratch

RUNS = 1 if QUICK else 5
PYTHON = getattr(sys, "_base_executable", sys.executable)
PHASES = ["bake", "install", "first migrate", "runserver to first 200"]
PATHS = {
    "uv": (
        [[BIN / "uv", "sync", "-q", "--python", PYTHON]],
        [BIN / "uv", "run", "python", "manage.py"],
    ),
    "uv, `--compile-bytecode`": (
        [[BIN / "uv", "sync", "-q", "--compile-bytecode", "--python", PYTHON]],
        [BIN / "uv", "run", "python", "manage.py"],
    ),
    "pip": (
        [
            [PYTHON, "-m", "venv", ".venv"],
            [".venv/bin/python", "-m", "pip", "install", "-q", "-U", "pip>=25.1"],
            [".venv/bin/pip", "install", "-q", "--group", "dev", "-e", "."],
        ],
        [".venv/bin/python", "manage.py"],
    ),
}


def environment():
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "VIRTUAL_ENV", "UV_", "PYTHONDONTWRITEBYTECODE"))
    }
    return {**env, "UV_PYTHON_DOWNLOADS": "never"}


def timed(command, cwd, env):
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def first_200(manage, cwd, env):
    """Seconds from starting runserver (with its autoreloader) to the home page's first 200."""
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while True:
            assert server.poll() is None, "runserver stopped"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    if page.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.02)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def one_round(directory, install, manage, env):
    """The four phases' seconds for one new project."""
    shutil.rmtree(directory, ignore_errors=True)
    started = time.perf_counter()
    project = bake(directory)
    seconds = [time.perf_counter() - started]
    seconds.append(sum(timed(command, project, env) for command in install))
    seconds.append(timed([*manage, "migrate", "--noinput"], project, env))
    seconds.append(first_200(manage, project, env))
    return seconds


def modules_imported(project, env):
    """How many modules ``manage.py migrate`` imports (``-X importtime`` names each one)."""
    command = [".venv/bin/python", "-X", "importtime", "manage.py", "migrate", "--check"]
    finished = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    return finished.stderr.count("import time:") - 1  # less the header line


def main():
    env = environment()
    rows, phases_of = [], {}
    with scratch() as temporary:
        directory = Path(temporary) / "output"
        for name, (install, manage) in PATHS.items():
            if not QUICK:
                one_round(directory, install, manage, env)  # warms the package caches
            rounds = [one_round(directory, install, manage, env) for _ in range(RUNS)]
            phases = [statistics.median(column) for column in zip(*rounds, strict=True)]
            total = statistics.median(sum(seconds) for seconds in rounds)
            rows.append([name, *(f"{value:.2f}" for value in phases), f"{total:.2f}"])
            phases_of[name] = phases
            if name == "uv":
                modules = modules_imported(directory / "my_project", env)

    print_table(
        f"From cookiecutter to the first 200, warm package caches (median of {RUNS})",
        ["path", *(f"{phase} s" for phase in PHASES), "total s"],
        rows,
    )
    print_table("Target", ["path", "total s", "target"], [["uv", rows[0][-1], "≤ 5"]])
    uv, pip = phases_of["uv"], phases_of["pip"]
    compiling = uv[2] - pip[2]
    print_table(
        "Where the uv path's seconds go",
        ["phase", "s", "what it is"],
        [
            ["bake", f"{uv[0]:.2f}", "cookiecutter renders the template, the hook writes .env"],
            ["install", f"{uv[1]:.2f}", "uv resolves and links the packages from its cache"],
            [
                "first migrate: compiling",
                f"{compiling:.2f}",
                f"bytecode for the {modules} modules it imports (pip's migrate minus uv's)",
            ],
            ["first migrate: the rest", f"{uv[2] - compiling:.2f}", "migrate, compiled"],
            ["runserver to first 200", f"{uv[3]:.2f}", "daphne starts, the home page renders"],
        ],
    )


if __name__ == "__main__":
    main()
