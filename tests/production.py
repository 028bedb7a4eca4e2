"""A baked project set up the way production runs it: migrated, static files collected."""

import json
import sys

from tests.conftest import clean_environment, run

SECRET_KEY = "test-only-" + "k" * 50
# Keyed by username_type: what the administrator signs in with is ADMIN[username_type].
ADMIN = {
    "username": "admin",
    "email": "admin@example.com",
    "password": "a-long-test-password-1234",
}


def production_environment(project, directory, **services):
    """The environment of the project's production settings, with its services' URLs."""
    return {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": f"{project.name}.settings.prod",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(directory / "static"),
        **services,
    }


def manage(project, env, *command):
    """Run the project's manage.py; fail with its output if it fails."""
    finished = run([sys.executable, "manage.py", *command], cwd=project, env=env)
    assert finished.returncode == 0, finished.stdout + finished.stderr


def sign_in_name(project):
    """What the administrator types in the login form's first field: a username or an email."""
    answers = json.loads((project / ".cookiecutter.json").read_text())["default_context"]
    return ADMIN[answers["username_type"]]


def collect_static(project, env):
    """collectstatic, as a deploy runs it: without it /readyz says the site is not ready."""
    manage(project, env, "collectstatic", "--noinput")


def deploy(project, env):
    """What a deploy runs before starting daphne, and an administrator to log in as."""
    manage(project, env, "migrate", "--noinput")
    collect_static(project, env)
    # createsuperuser reads the user model's USERNAME_FIELD and REQUIRED_FIELDS from these.
    administrator = {
        **env,
        "DJANGO_SUPERUSER_USERNAME": ADMIN["username"],
        "DJANGO_SUPERUSER_EMAIL": ADMIN["email"],
        "DJANGO_SUPERUSER_PASSWORD": ADMIN["password"],
    }
    manage(project, administrator, "createsuperuser", "--noinput")
