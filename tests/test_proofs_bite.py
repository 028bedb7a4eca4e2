"""Each serving proof of the generated suite runs through the real entry point, and bites.

A proof that nothing checks is a proof that is not there: an earlier fast path
could be switched off and the generated suite still passed. Here each part of
what asgi.py and the settings compose is taken out of a copy of the default
project, and the generated test that proves it must then fail.
"""

import subprocess
import sys

import pytest

from tests.conftest import clean_environment, copy_project

# (file, what it says, what it says without the part, the generated test that must fail)
MUTATIONS = {
    "no liveness probe before Django": (
        "my_project/asgi.py",
        "application = LivenessProbe(\n",
        "application = (\n",
        "tests/test_serving.py::test_healthz_is_answered_before_django_even_for_an_unknown_host",
    ),
    "no request id": (
        "my_project/asgi.py",
        "    RequestId(\n",
        "    (\n",
        "tests/test_request_id.py::test_a_request_without_an_id_gets_a_new_one",
    ),
    "proxy headers believed from anyone": (
        "my_project/asgi.py",
        "        TrustedProxyHeaders(\n            django_application,\n"
        "            settings.TRUSTED_PROXIES,\n        )\n",
        "        django_application\n",
        "tests/test_proxy.py::test_a_direct_client_cannot_claim_https",
    ),
    "another handler than Django's own": (
        "my_project/asgi.py",
        "    django_application = get_asgi_application()\n",
        "    django_application = type('Handler', (type(get_asgi_application()),), {})()\n",
        "tests/test_asgi.py::test_http_reaches_django_s_own_asgi_handler_inside_the_wrappers",
    ),
    "readiness blind to unapplied migrations": (
        "my_project/serving/probes.py",
        '        if not all_migrations_applied():\n            return "migrations"\n',
        "",
        "tests/test_serving.py::test_readyz_fails_until_every_migration_is_applied",
    ),
    "no static files in production": (
        "my_project/settings/prod.py",
        '    "servestatic.middleware.ServeStaticMiddleware",\n',
        "",
        "tests/test_serving.py::test_daphne_serves_the_hashed_stylesheet",
    ),
    "the policy enforced in development": (
        "my_project/settings/dev.py",
        "SECURE_CSP_REPORT_ONLY = SECURE_CSP\nSECURE_CSP = {}\n",
        "",
        "tests/test_debug_toolbar.py"
        "::test_the_dev_server_reports_what_the_content_security_policy_would_block",
    ),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_the_generated_proof_fails_when_its_part_is_taken_out(mutation, baked_projects, tmp_path):
    result = baked_projects("defaults")
    assert result.exit_code == 0, result.exception
    project = copy_project(result.project_path, tmp_path)
    path, present, mutated, proof = MUTATIONS[mutation]
    source = project / path
    text = source.read_text()
    assert text.count(present) == 1, f"{path} no longer says {present!r}: update this test"
    source.write_text(text.replace(present, mutated))

    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", proof],
        cwd=project,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert finished.returncode == 1, finished.stdout[-3000:] + finished.stderr[-2000:]
    assert "1 failed" in finished.stdout, finished.stdout[-3000:]
