"""Shared fixtures: each variant is baked once per test session and shared."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import PostgreSQL, Redis
from tests.variants import VARIANTS, runtime_class

BIN = Path(sys.executable).parent
# uv from the template's venv, and the interpreter that venv was made from, for uv to use.
UV = BIN / "uv"
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)
LONGEST_FIRST = {"test_variants.py", "test_fresh_machine.py"}


def shares_a_run(item):
    """Whether a test's variant runs the code of another variant (see runtime_class)."""
    callspec = getattr(item, "callspec", None)
    variant = callspec.params.get("variant") if callspec else None
    return variant is not None and runtime_class(variant) != variant


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Keep each variant's tests on one xdist worker, so that it is baked only once.

    The variants that run the same code share a worker too, and so the run of
    their project's suite (tests/test_variants.py). Those and the fresh venvs take
    longest: they go first, the variants that share another's run last, and the
    short tests fill the workers' gaps afterwards. It runs first: xdist reads the
    groups in its own hook of the same name. (With pytest 9.2, xdist 3.8 cannot
    rename node ids, so the groups are lost: tests/test_variants.py shares its
    suite runs across workers itself.)
    """
    items.sort(key=lambda item: (item.path.name not in LONGEST_FIRST, shares_a_run(item)))
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and "variant" in callspec.params:
            item.add_marker(pytest.mark.xdist_group(runtime_class(callspec.params["variant"])))


@pytest.fixture(params=list(VARIANTS))
def variant(request):
    """The id of a variant from tests/variants.py."""
    return request.param


@pytest.fixture(scope="session")
def baked_projects(cookies_session):
    """Bake results by variant id, baked on first use."""
    results = {}

    def bake(variant_id):
        if variant_id not in results:
            result = cookies_session.bake(extra_context=VARIANTS[variant_id])
            if result.exit_code == 0:
                # Taken now, before any test runs anything in the project.
                result.runtime_fingerprint = runtime_fingerprint(result.project_path)
            results[variant_id] = result
        return results[variant_id]

    return bake


@pytest.fixture
def baked(variant, baked_projects):
    """The baked project of this variant; the bake itself must have succeeded."""
    result = baked_projects(variant)
    assert result.exception is None, result.exception
    assert result.exit_code == 0
    return result.project_path


@pytest.fixture(scope="session")
def postgresql_server():
    """One PostgreSQL cluster per test process, shared by its variants' databases."""
    server = PostgreSQL()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def redis_server():
    server = Redis()
    yield server
    server.remove()


@pytest.fixture
def services(variant, request):
    """The environment that points a variant's project at the real services it uses."""
    answers = VARIANTS[variant]
    env = {}
    if answers.get("database") == "postgresql":
        server = request.getfixturevalue("postgresql_server")
        env["DATABASE_URL"] = server.create_database(f"variant_{list(VARIANTS).index(variant)}")
    if answers.get("use_redis"):
        env["REDIS_URL"] = request.getfixturevalue("redis_server").url()
    return env


def clean_environment():
    """This process's environment without what would leak into a baked project's run."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "PYTEST_", "COV_"))
    }


def uv_environment(**extra):
    """A clean environment for uv: it never downloads a Python, and no outer venv leaks in.

    Python writes its bytecode there, as on a new user's machine, so that each new venv
    compiles its packages once, not in every process.
    """
    env = {**clean_environment(), "UV_PYTHON_DOWNLOADS": "never", **extra}
    names = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON", "PYTHONDONTWRITEBYTECODE")
    for name in names:
        if name not in extra:
            env.pop(name, None)
    return env


def copy_project(project, directory):
    """A copy of a shared bake in a directory of its own, without what runs left in it."""
    copy = Path(directory) / project.name
    left = shutil.ignore_patterns(".venv", "staticfiles", "db.sqlite3*", "__pycache__")
    shutil.copytree(project, copy, ignore=left)
    return copy


def project_files(project):
    """Every file of a generated project, by relative path, with its bytes."""
    return {
        str(path.relative_to(project)): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file()
    }


# What only the packaging answers change (tests/variants.py, PACKAGING_QUESTIONS).
PACKAGING_FILES = {
    "LICENSE",
    "README.md",
    ".cookiecutter.json",
    ".env",
    "Dockerfile",
    ".dockerignore",
    "compose.yaml",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    "find-python.sh",
}
PACKAGING_LINES = ("license = ", "requires-python = ", "target-version = ", "python_version = ")
# The CI workflow and the Kubernetes manifests, and what other tests may leave in a
# shared bake (git-ignored there).
LEFT_BY_RUNS = (".github/", "deploy/kubernetes/", ".venv/", "staticfiles/", "db.sqlite3")


def runtime_fingerprint(project):
    """A digest of every file that the project's suite runs, reads or is configured by.

    Packaging files are left out, and so are the pyproject.toml lines that only
    packaging answers change: two projects with the same digest run the same code.
    """
    digest = hashlib.sha256()
    for name, content in project_files(project).items():
        if name in PACKAGING_FILES or name.startswith(LEFT_BY_RUNS) or "__pycache__" in name:
            continue
        if name == "pyproject.toml":
            lines = content.decode().splitlines(keepends=True)
            content = "".join(line for line in lines if not line.startswith(PACKAGING_LINES))
            content = content.encode()
        digest.update(name.encode() + b"\0" + content + b"\0")
    return digest.hexdigest()


def succeed(command, cwd, env=None):
    """Run a command that must succeed; fail with its output if it does not."""
    finished = run(command, cwd=cwd, env=env)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished


def run(command, cwd, timeout=300, env=None):
    """Run a command to completion and return it; output is captured as text."""
    return subprocess.run(
        command,
        cwd=cwd,
        env=env or clean_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, for fixtures that act on failures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
