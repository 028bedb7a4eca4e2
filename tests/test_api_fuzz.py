"""schemathesis, an outside property-based tester, against the API variant's production daphne.

It reads the project's own schema (/api/openapi.json), sends what the schema allows
and what it forbids, follows the links between operations (make a note, then read,
change and delete it), and runs every check it has: no 5xx, every status and body
as documented, invalid input refused, auth not ignored. It signs in with a personal
access token made through ``manage.py shell``, as a script's owner would make one
on the tokens page. Bounded in examples and time, so that it stays a test.

The same server shows the API's docs to Debian's chromium, which must run
Swagger UI from the site's own files without one Content Security Policy violation.
"""

import subprocess
import sys

import pytest

from tests.production import HTTPS, deploy, production_environment
from tests.services import Daphne
from tests.test_browser import open_page  # noqa: F401 (a fixture, with its CSP watch)
from tests.variants import variant_id

WITH_API = variant_id({"api": "ninja"})
MAKE_TOKEN = """
from django.contrib.auth import get_user_model

from {package}.api.models import Token

user = get_user_model().objects.create_user(
    "fuzzer", email="fuzzer@example.com", password="a-long-fuzzing-password-1234"
)
print("TOKEN", Token.issue(user, "schemathesis", days=1)[1])
"""


@pytest.fixture(scope="module")
def api_site(baked_projects, tmp_path_factory):
    """The API variant deployed and served by daphne in production settings; and a token."""
    project = baked_projects(WITH_API).project_path
    directory = tmp_path_factory.mktemp("api-site")
    env = production_environment(
        project,
        directory,
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
        # The throttle is proven by the project's own tests; here it would only cut the run short.
        DJANGO_API_THROTTLE_RATE="1000000/m",
    )
    deploy(project, env)
    shell = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", MAKE_TOKEN.format(package=project.name)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    server = Daphne(project, env)
    server.token = shell.stdout.split("TOKEN ", 1)[1].strip()
    server.directory = directory
    yield server
    server.stop()


@pytest.mark.xdist_group(WITH_API)
def test_schemathesis_finds_no_failure_in_the_api_from_its_own_schema(api_site):
    fuzzed = subprocess.run(
        [
            *(sys.executable, "-m", "schemathesis.cli", "run"),
            f"{api_site.origin}/api/openapi.json",
            *("--checks", "all"),
            # Production redirects plain HTTP; a TLS proxy on this machine would add this.
            *("--header", "X-Forwarded-Proto: {}".format(HTTPS["X-Forwarded-Proto"])),
            *("--header", f"Authorization: Bearer {api_site.token}"),
            *("--max-examples", "30", "--max-time", "30", "--request-timeout", "10"),
            *("--workers", "1", "--no-color"),
        ],
        cwd=api_site.directory,
        capture_output=True,
        text=True,
        timeout=120,
    )

    report = fuzzed.stdout + fuzzed.stderr
    assert fuzzed.returncode == 0, report
    assert "No issues found" in report, report
    assert "Tested: 7" in report, report


@pytest.mark.xdist_group(WITH_API)
def test_the_api_docs_show_every_operation_in_chromium_without_a_csp_violation(api_site, request):
    page = request.getfixturevalue("open_page")()
    page.goto(api_site.origin + "/api/docs")
    page.wait_for_selector(".opblock")
    page.click(".opblock-summary >> nth=0")  # opens one: Swagger UI draws its details

    assert page.locator(".opblock").count() == 7
    assert page.csp_violations == []
    assert page.console_errors == []
    assert all(request.url.startswith(api_site.origin) for request in page.loaded)
