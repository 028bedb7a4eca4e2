"""A slug may not be a name the generated project already uses, and the rules know each one.

The rule table's lists (hooks/answer_rules.py) are kept by hand; these tests
derive the names from the largest variant itself, in its own venv, so that a new
app or dependency that the lists lack fails here instead of in a user's project.
"""

import json
import os
import subprocess

import pytest

from hooks.answer_rules import first_broken_rule
from hooks.extensions import render_default
from tests.conftest import BASE_PYTHON, UV, succeed, uv_environment
from tests.production import SECRET_KEY
from tests.services import find_binary
from tests.variants import QUESTIONS, SERVICES

# Every yes/no question on, and the services: every app and dependency at once.
LARGEST = {
    "project_name": "Billing",
    **{name: True for name, raw in QUESTIONS.items() if isinstance(raw, bool)},
    **SERVICES,
    "api": "ninja",
}

# Run with the project's settings: its app labels, the top-level modules that its
# settings, URLconf and entry points import, and the top-level modules of every
# distribution in its venv. A module without a spec (Cython's cython_runtime) was
# made in memory, not found on sys.path, so no package can shadow it.
PROBE = """
import importlib, json, sys
from importlib.metadata import packages_distributions

import django

django.setup()
from django.apps import apps
from django.conf import settings
from django.urls import get_resolver

get_resolver().url_patterns
package = settings.ROOT_URLCONF.rpartition(".")[0]
importlib.import_module(package + ".asgi")
importlib.import_module(package + ".wsgi")
print(json.dumps({
    "labels": sorted(config.label for config in apps.get_app_configs()),
    "imported": sorted(
        name for name, module in list(sys.modules.items())
        if "." not in name and getattr(module, "__spec__", None) is not None
    ),
    "installed": sorted(packages_distributions()),
}))
"""


def refused_slug(name):
    return first_broken_rule({"project_slug": name}) is not None


def unblamed_name(slug):
    """A project name that derives this slug but is not refused for it, or None."""
    name = slug.replace("_", " ").title()
    answers = {"project_name": name, "project_slug": slug}
    if render_default(QUESTIONS["project_slug"], answers) != slug:
        return None  # No name derives it (_pytest, OpenSSL): the slug's own rules refuse it.
    problem = first_broken_rule(answers, render=render_default) or ""
    blamed = problem.startswith(f"Invalid answer for project_name ({name!r}): it gives ")
    return None if blamed else name


@pytest.fixture
def used_names(cookies, tmp_path_factory):
    """{what: names} that the largest variant uses, under its dev and its prod settings."""
    result = cookies.bake(extra_context=LARGEST)
    assert result.exit_code == 0, result.exception
    project = result.project_path
    # This worker's project venv, as tests/test_variants.py keeps it: uv sync fits it.
    venv = tmp_path_factory.getbasetemp() / "project-venv"
    env = uv_environment(UV_PYTHON=BASE_PYTHON, UV_PROJECT_ENVIRONMENT=str(venv))
    succeed([UV, "sync", "--quiet"], project, env)
    prod = {
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Only a DSN makes the settings import sentry_sdk; nothing is sent.
        "SENTRY_DSN": "https://key@127.0.0.1:9/1",
    }
    names = {"labels": set(), "imported": set(), "installed": set()}
    for settings, extra in [("dev", {}), ("prod", prod)]:
        command = [UV, "run", "--no-sync", "python", "-c", PROBE]
        module = {"DJANGO_SETTINGS_MODULE": f"{project.name}.settings.{settings}"}
        finished = succeed(command, project, {**env, **module, **extra})
        for what, found in json.loads(finished.stdout).items():
            names[what].update(found)
    # The probe must have seen the project itself: its apps, its package, and Django.
    assert {"users", "pages"} <= names["labels"], names
    assert {project.name, "django"} <= names["imported"], names
    return {what: found - {project.name} for what, found in names.items()}


def test_every_name_the_largest_variant_uses_is_refused_and_so_is_the_name_that_gives_it(
    used_names,
):
    # One test, so that one xdist worker bakes and probes the variant once.
    allowed, unblamed = {}, {}
    for what, names in used_names.items():
        allowed[what] = [name for name in sorted(names) if not refused_slug(name)]
        unblamed[what] = [name for name in map(unblamed_name, sorted(names)) if name]

    assert allowed == {what: [] for what in used_names}, "add them to hooks/answer_rules.py"
    assert unblamed == {what: [] for what in used_names}


def test_postgresql_refuses_a_role_named_like_a_pg_slug_and_so_do_the_rules(tmp_path):
    # compose.yaml names PostgreSQL's superuser after the slug; initdb checks it first.
    initdb = find_binary("initdb", "/usr/lib/postgresql/*/bin/initdb")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    finished = subprocess.run(
        [*as_postgres, initdb, "-D", tmp_path / "data", "-U", "pg_site"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert finished.returncode != 0
    assert 'superuser name "pg_site" is disallowed' in finished.stderr
    assert refused_slug("pg_site")
    assert not refused_slug("pgsite")
