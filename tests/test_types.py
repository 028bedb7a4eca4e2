"""Every variant's generated code, package and tests, passes mypy as the project configures it.

mypy's django plugin imports the project's settings, so the check runs in the
bake with the template venv's mypy (which has the project's dependencies and
the dev group's django-stubs and debug toolbar), as a developer's venv would.

Cold, the plugin makes mypy check Django's stubs and the standard library's
(about 10 s of CPU); warm, a variant takes about 2 s. The cache is only reusable
under the same INSTALLED_APPS (the plugin drops it otherwise), so there is one
per xdist worker (never two processes on one cache) and per set of apps.
"""

import time

from tests.conftest import BIN, run
from tests.variants import QUESTIONS, VARIANTS


def installed_apps_key(variant, project):
    """What decides the project's INSTALLED_APPS, and so whether a warm cache can serve it."""
    answers = {**QUESTIONS, **VARIANTS[variant]}
    return f"{project.name}-tasks{answers['use_tasks']}-channels{answers['use_channels']}"


def test_mypy_passes_on_the_package_and_its_tests(baked, variant, tmp_path_factory):
    cache = tmp_path_factory.getbasetemp() / "mypy-cache" / installed_apps_key(variant, baked)
    start = time.monotonic()
    # As the CI workflows and the pre-commit hook run it: pyproject.toml says what to check.
    finished = run([BIN / "mypy", "--cache-dir", cache], cwd=baked)
    seconds = time.monotonic() - start
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert finished.stdout.startswith("Success: no issues found"), finished.stdout
    print(f"mypy: {seconds:.1f} s for {variant}")
