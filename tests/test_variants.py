"""Every variant goes through the same proofs: it bakes, reads as hand-written, and works."""

import hashlib
import json
import os
import re
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from filelock import FileLock
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import BASE_PYTHON, BIN, UV, copy_project, run, uv_environment
from tests.variants import VARIANTS

# The baked project's own tests that prove serving, settings and configuration.
# Each one must run and pass in every variant: a skip or a missing test fails.
REQUIRED_PROJECT_TESTS = [
    "test_entry_point_uses_its_default_settings_module",
    "test_exported_settings_module_wins_over_the_default",
    "test_prod_refuses_to_start_without_a_required_variable",
    "test_deploy_check_passes_without_a_single_warning",
    "test_daphne_serves_the_home_page_behind_an_https_proxy",
    "test_daphne_serves_the_hashed_stylesheet",
    "test_healthz_answers_a_plain_http_probe",
    "test_healthz_is_answered_before_django_even_for_an_unknown_host",
    "test_http_reaches_django_s_own_asgi_handler_inside_the_wrappers",
    "test_a_page_answers_when_csrf_tokens_live_in_the_session",
    "test_a_signed_in_user_sees_every_page_with_their_name",
    "test_an_anonymous_visitor_with_a_session_sees_every_page",
    "test_a_direct_client_cannot_claim_https",
    "test_readyz_answers_ok_while_the_database_and_cache_answer",
    "test_readyz_fails_until_every_migration_is_applied",
    "test_production_logs_one_json_object_per_line",
    "test_log_records_made_during_a_request_carry_its_id",
    "test_the_toolbar_shows_on_a_page_served_by_runserver",
    "test_an_async_view_answers_under_the_toolbar_which_records_it",
    "test_the_dev_server_reports_what_the_content_security_policy_would_block",
    "test_prod_runs_base_s_middleware_with_servestatic_right_after_security",
    "test_hsts_starts_at_an_hour_for_this_host_only_and_is_never_preloaded_unasked",
    "test_prod_has_no_toolbar_and_never_imports_it",
    "test_the_dev_settings_without_the_dev_group_stop_in_one_line",
]
JINJA = re.compile(r"\{\{|\{%|\{#|cookiecutter\.")


def text_files(project):
    for path in sorted(project.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield path, path.read_text(encoding="utf-8")


def test_no_jinja_reaches_the_generated_project(baked):
    residue = []
    for path, text in text_files(baked):
        django_template = path.suffix == ".html" and "templates" in path.parts
        for number, line in enumerate(text.splitlines(), start=1):
            if django_template and "cookiecutter." not in line and "raw %}" not in line:
                continue
            if JINJA.search(line):
                residue.append(f"{path.relative_to(baked)}:{number}: {line.strip()}")
    assert residue == []


def test_generated_text_has_no_template_debris(baked):
    debris = []
    for path, text in text_files(baked):
        name = path.relative_to(baked)
        if text.startswith("\n") or "\n\n\n\n" in text:
            debris.append(f"{name}: stray blank lines")
        if text and not text.endswith("\n"):
            debris.append(f"{name}: no newline at the end")
        if any(line != line.rstrip() for line in text.splitlines()):
            debris.append(f"{name}: trailing white space")
    assert debris == []


def test_ruff_check_passes(baked):
    finished = run([BIN / "ruff", "check", "--no-cache", "."], cwd=baked)
    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_ruff_format_leaves_the_code_as_it_is(baked):
    finished = run([BIN / "ruff", "format", "--check", "--no-cache", "."], cwd=baked)
    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_only_the_chosen_license_remains(baked):
    assert (baked / "LICENSE").is_file()
    assert not (baked / "_licenses").exists()


def run_suite(project, services, environment):
    """Run a project's own suite the uv way; return its exit status, output ends and outcomes.

    In a copy of the project: `uv lock`, `uv sync --locked`, then `uv run pytest`.
    The environment is this xdist worker's, reused from variant to variant: `uv sync`
    makes it match the lock exactly (it removes what the lock lacks), and compiles the
    bytecode of what it installs (as pip does), so that the suite's many processes
    need not, even where PYTHONDONTWRITEBYTECODE is set: each package once per worker.
    """
    with tempfile.TemporaryDirectory() as directory:
        copy = copy_project(project, directory)
        report = Path(directory) / "report.xml"
        env = uv_environment(
            **services, UV_PYTHON=BASE_PYTHON, UV_PROJECT_ENVIRONMENT=str(environment)
        )
        for command in (
            [UV, "lock"],
            [UV, "sync", "--locked", "--compile-bytecode"],
            [UV, "run", "--locked", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}"],
        ):
            finished = run(command, cwd=copy, env=env)
            if finished.returncode:
                break
        cases = ET.parse(report).getroot().iter("testcase") if report.exists() else []
        outcomes = {
            case.get("name"): [
                child.tag for child in case if child.tag in {"skipped", "failure", "error"}
            ]
            for case in cases
        }
    output = finished.stdout[-4000:] + finished.stderr[-2000:]
    return {"returncode": finished.returncode, "output": output, "outcomes": outcomes}


def shared_run(name, compute, tmp_path_factory):
    """The result of a run that several variants share, made once on any xdist worker.

    The first test to get here runs it; the others, on this worker or another, read
    its result from the directory that the workers share.
    """
    # Under xdist each worker's base directory is in the session's; alone, it is the session's.
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    with FileLock(shared / f"{name}.lock"):
        recorded = shared / f"{name}.json"
        if not recorded.exists():
            recorded.write_text(json.dumps(compute()))
        return json.loads(recorded.read_text())


def test_the_projects_own_suite_passes_with_every_proof(
    variant, baked, baked_projects, services, tmp_path_factory
):
    # A variant whose code is byte-for-byte another's, as baked, shares that suite's run.
    fingerprint = baked_projects(variant).runtime_fingerprint
    environment = tmp_path_factory.getbasetemp() / "project-venv"
    suite = shared_run(
        f"suite-{fingerprint}",
        lambda: run_suite(baked, services, environment),
        tmp_path_factory,
    )

    assert suite["returncode"] == 0, suite["output"]
    assert {name: tags for name, tags in suite["outcomes"].items() if tags} == {}
    ran = {name.partition("[")[0] for name in suite["outcomes"]}
    assert set(REQUIRED_PROJECT_TESTS) <= ran
    answers = VARIANTS[variant]
    if answers.get("database") == "postgresql" and answers.get("username_type") == "email":
        assert "test_finding_a_user_by_email_in_another_case_uses_the_unique_index" in ran


def resolved_by_uv_and_pip(project):
    """The distributions that uv locks and that pip would install, for this machine.

    pip runs the README's install (`--group dev -e .`) as a dry run: the two read the
    same pyproject.toml, its dependencies and its dev group, on their own.
    """
    with tempfile.TemporaryDirectory() as directory:
        copy = copy_project(project, directory)
        env = uv_environment(UV_PYTHON=BASE_PYTHON)
        locked = run([UV, "lock"], cwd=copy, env=env)
        if locked.returncode:
            return {"uv": locked.stderr, "pip": None}
        exported = run(
            [UV, "export", "--locked", "--no-emit-project", "--no-hashes", "--no-annotate"],
            cwd=copy,
            env=env,
        )
        lines = exported.stdout.splitlines()
        requirements = [Requirement(line) for line in lines if line and line[0] not in "# "]
        report = Path(directory) / "report.json"
        pip = [BIN / "python", "-m", "pip", "install", "--dry-run", "--ignore-installed"]
        installed = run(
            [*pip, "--quiet", "--report", report, "--group", "dev", "-e", "."], cwd=copy
        )
        if installed.returncode:
            return {"uv": exported.stdout, "pip": installed.stderr[-2000:]}
        items = json.loads(report.read_text())["install"]
    return {
        "uv": sorted(
            canonicalize_name(requirement.name)
            for requirement in requirements
            if requirement.marker is None or requirement.marker.evaluate()
        ),
        "pip": sorted(
            canonicalize_name(item["metadata"]["name"])
            for item in items
            if not item.get("download_info", {}).get("dir_info", {}).get("editable")
        ),
    }


def resolution_inputs(project):
    """What a resolver reads from pyproject.toml: Python, dependencies, dependency groups."""
    data = tomllib.loads((project / "pyproject.toml").read_text())
    inputs = [data["project"][key] for key in ("requires-python", "dependencies")]
    text = json.dumps([*inputs, data.get("dependency-groups")], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def test_pip_installs_the_same_distributions_that_uv_locks(baked, tmp_path_factory):
    # Variants whose pyproject.toml asks for the same things share one resolution.
    resolved = shared_run(
        f"resolve-{resolution_inputs(baked)}",
        lambda: resolved_by_uv_and_pip(baked),
        tmp_path_factory,
    )

    assert resolved["pip"] == resolved["uv"]
    assert {"django", "daphne", "pytest", "pytest-django", "ruff"} <= set(resolved["uv"])
