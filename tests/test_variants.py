"""Every variant goes through the same proofs: it bakes, reads as hand-written, and works."""

import json
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from filelock import FileLock

from tests.conftest import BIN, clean_environment, run

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
    "test_django_s_middleware_runs_inline_under_the_project_s_settings",
    "test_a_page_answers_when_csrf_tokens_live_in_the_session",
    "test_a_signed_in_user_sees_every_page_with_their_name",
    "test_an_anonymous_visitor_with_a_session_sees_every_page",
    "test_a_direct_client_cannot_claim_https",
    "test_readyz_answers_ok_while_the_database_and_cache_answer",
    "test_production_logs_one_json_object_per_line",
    "test_log_records_made_during_a_request_carry_its_id",
    "test_the_toolbar_shows_on_a_page_served_by_runserver",
    "test_async_views_and_the_inline_middleware_keep_working_under_the_toolbar",
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


def run_suite(project, services):
    """Run a project's own suite; return its exit status, the ends of its output and outcomes."""
    with tempfile.TemporaryDirectory() as directory:
        report = Path(directory) / "report.xml"
        finished = run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}"],
            cwd=project,
            env={**clean_environment(), **services},
        )
        cases = ET.parse(report).getroot().iter("testcase") if report.exists() else []
        outcomes = {
            case.get("name"): [
                child.tag for child in case if child.tag in {"skipped", "failure", "error"}
            ]
            for case in cases
        }
    output = finished.stdout[-4000:] + finished.stderr[-2000:]
    return {"returncode": finished.returncode, "output": output, "outcomes": outcomes}


def shared_suite_run(fingerprint, project, services, tmp_path_factory):
    """The run of the suite of every project with this runtime fingerprint, on any worker.

    The first test to get here runs it; the others, on this xdist worker or the
    other, read its outcome from the directory that the workers share.
    """
    shared = tmp_path_factory.getbasetemp().parent
    with FileLock(shared / f"suite-{fingerprint}.lock"):
        recorded = shared / f"suite-{fingerprint}.json"
        if not recorded.exists():
            recorded.write_text(json.dumps(run_suite(project, services)))
        return json.loads(recorded.read_text())


def test_the_projects_own_suite_passes_with_every_proof(
    variant, baked, baked_projects, services, tmp_path_factory
):
    # A variant whose code is byte-for-byte another's, as baked, shares that suite's run.
    fingerprint = baked_projects(variant).runtime_fingerprint
    suite = shared_suite_run(fingerprint, baked, services, tmp_path_factory)

    assert suite["returncode"] == 0, suite["output"]
    assert {name: tags for name, tags in suite["outcomes"].items() if tags} == {}
    ran = {name.partition("[")[0] for name in suite["outcomes"]}
    assert set(REQUIRED_PROJECT_TESTS) <= ran
