"""Every variant's generated code, package and tests, passes mypy as the project configures it.

mypy's django plugin imports the project's settings, so the check runs in the
bake with the template venv's mypy (which has the project's dependencies and
the dev group's django-stubs and debug toolbar), as a developer's venv would.

A variant that differs from another only in answers that change no Python file
and no mypy setting (license, use_docker, ci) would repeat that one's check: it
is skipped (CHECKED_VARIANTS).

Cold, the plugin makes mypy check Django's stubs and the standard library's
(about 10 s of CPU); warm, a variant takes 2 to 5 s. The cache is only reusable
under the same INSTALLED_APPS (the plugin drops it otherwise), so there is one
per xdist worker (never two processes on one cache) and per set of apps.
"""

import time

import pytest

from tests.conftest import BIN, run
from tests.variants import PACKAGING_QUESTIONS, QUESTIONS, VARIANTS, variant_id

# Answers that change no Python file and no mypy setting (python_version sets mypy's).
UNCHECKED_ANSWERS = PACKAGING_QUESTIONS - {"python_version"}


def checks_as(variant):
    """The variant whose check this one's would repeat: its answers less UNCHECKED_ANSWERS."""
    answers = {k: v for k, v in VARIANTS[variant].items() if k not in UNCHECKED_ANSWERS}
    same = variant_id(answers)
    return same if same in VARIANTS else variant


CHECKED_VARIANTS = [variant for variant in VARIANTS if checks_as(variant) == variant]


def installed_apps_key(variant, project):
    """What decides the project's INSTALLED_APPS, and so whether a warm cache can serve it."""
    answers = {**QUESTIONS, **VARIANTS[variant]}
    return f"{project.name}-tasks{answers['use_tasks']}-channels{answers['use_channels']}"


@pytest.mark.parametrize("variant", CHECKED_VARIANTS)
def test_mypy_passes_on_the_package_and_its_tests(baked, variant, tmp_path_factory):
    cache = tmp_path_factory.getbasetemp() / "mypy-cache" / installed_apps_key(variant, baked)
    start = time.monotonic()
    # As the CI workflows and the pre-commit hook run it: pyproject.toml says what to check.
    finished = run([BIN / "mypy", "--cache-dir", cache], cwd=baked)
    seconds = time.monotonic() - start
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert finished.stdout.startswith("Success: no issues found"), finished.stdout
    print(f"mypy: {seconds:.1f} s for {variant}")
