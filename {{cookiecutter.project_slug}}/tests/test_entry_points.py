"""Each entry point picks its own default settings, and an exported value always wins."""

import pytest

from .conftest import PROD_SETTINGS, run

DEV_SETTINGS = "{{ cookiecutter.project_slug }}.settings.dev"
PRINT_SETTINGS = "from django.conf import settings; print(settings.SETTINGS_MODULE)"


def settings_module_of(entry_point, env):
    """The settings module that an entry point ends up with, loaded in a fresh interpreter."""
    if entry_point == "manage.py":
        finished = run(["manage.py", "shell", "--no-imports", "-c", PRINT_SETTINGS], env=env)
    else:
        finished = run(["-c", f"import {entry_point}; {PRINT_SETTINGS}"], env=env)
    assert finished.returncode == 0, finished.stderr
    return finished.stdout.strip()


@pytest.mark.parametrize(
    ("entry_point", "default"),
    [
        ("manage.py", DEV_SETTINGS),
        ("{{ cookiecutter.project_slug }}.asgi", PROD_SETTINGS),
        ("{{ cookiecutter.project_slug }}.wsgi", PROD_SETTINGS),
    ],
)
def test_entry_point_uses_its_default_settings_module(entry_point, default, prod_env):
    assert settings_module_of(entry_point, prod_env) == default


@pytest.mark.parametrize(
    ("entry_point", "exported"),
    [
        ("manage.py", PROD_SETTINGS),
        ("{{ cookiecutter.project_slug }}.asgi", DEV_SETTINGS),
        ("{{ cookiecutter.project_slug }}.wsgi", DEV_SETTINGS),
    ],
)
def test_exported_settings_module_wins_over_the_default(entry_point, exported, prod_env):
    env = {**prod_env, "DJANGO_SETTINGS_MODULE": exported}
    assert settings_module_of(entry_point, env) == exported
