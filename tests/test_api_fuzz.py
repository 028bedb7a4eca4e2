"""schemathesis, an outside property-based tester, against the API variant's production daphne.

It reads the project's own schema (/api/openapi.json), sends what the schema allows
and what it forbids, follows the links between operations (make a note, then read,
change and delete it), and runs every check it has: no 5xx, every status and body
as documented, invalid input refused, auth not ignored. It signs in with a personal
access token made through ``manage.py shell``, as a script's owner would make one
on the tokens page. Bounded in examples and time, so that it stays a test.
"""

import subprocess
import sys

from tests.production import HTTPS, deploy, production_environment
from tests.services import Daphne
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


def test_schemathesis_finds_no_failure_in_the_api_from_its_own_schema(baked_projects, tmp_path):
    project = baked_projects(WITH_API).project_path
    env = production_environment(
        project,
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
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
    token = shell.stdout.split("TOKEN ", 1)[1].strip()
    server = Daphne(project, env)
    try:
        fuzzed = subprocess.run(
            [
                *(sys.executable, "-m", "schemathesis.cli", "run"),
                f"http://127.0.0.1:{server.port}/api/openapi.json",
                *("--checks", "all"),
                # Production redirects plain HTTP; a TLS proxy on this machine would add this.
                *("--header", "X-Forwarded-Proto: {}".format(HTTPS["X-Forwarded-Proto"])),
                *("--header", f"Authorization: Bearer {token}"),
                *("--max-examples", "30", "--max-time", "30", "--request-timeout", "10"),
                *("--workers", "1", "--no-color"),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.stop()

    report = fuzzed.stdout + fuzzed.stderr
    assert fuzzed.returncode == 0, report
    assert "No issues found" in report, report
    assert "Tested: 7" in report, report
