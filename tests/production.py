"""A baked project set up the way production runs it: migrated, static files collected."""

import json
import re
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.conftest import clean_environment, run

SECRET_KEY = "test-only-" + "k" * 50
# Keyed by username_type: what the administrator signs in with is ADMIN[username_type].
ADMIN = {
    "username": "admin",
    "email": "admin@example.com",
    "password": "a-long-test-password-1234",
}
HTTPS = {"X-Forwarded-Proto": "https"}


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
    """collectstatic, as a deploy runs it: without it (or migrate) /readyz says "not ready"."""
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
    # allauth's mandatory confirmation: the administrator's address, confirmed as by its link.
    manage(project, env, "shell", "-c", CONFIRM_ADMIN_ADDRESS)


CONFIRM_ADMIN_ADDRESS = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

user = get_user_model().objects.get(email={ADMIN["email"]!r})
EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
"""


def cookies_of(headers):
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in_form(server, name, password, headers=None):
    """The headers and body of a sign-in (allauth's form) that passes the CSRF check."""
    headers = {**HTTPS, **(headers or {})}
    _, answer_headers, page = server.request("/accounts/login/", headers=headers)
    csrf_cookie = cookies_of(answer_headers)["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    origin = f"https://127.0.0.1:{server.port}"
    form = {"login": name, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
    return {
        **headers,
        "Cookie": f"csrftoken={csrf_cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": f"{origin}/accounts/login/",
    }, urlencode(form)


def log_in(server, name=ADMIN["username"]):
    """Sign in, bound for the admin, through one server as a browser would; return the session.

    ``name`` is what the sign-in form's first field takes (see ``sign_in_name``).
    """
    headers, body = sign_in_form(server, name, ADMIN["password"])
    status, headers, _ = server.request(
        "/accounts/login/", method="POST", headers=headers, body=body
    )
    assert (status, headers["Location"]) == (302, "/admin/")
    return cookies_of(headers)["sessionid"]
