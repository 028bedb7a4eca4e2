"""Production refuses to start on missing or malformed configuration, and passes --deploy.

A refusal is one line that names the variable and its rule, and a non-zero exit,
whichever entry point imports the settings.
"""

import json
import subprocess
import sys

import pytest

from {{ cookiecutter.project_slug }}.settings import base

from .conftest import PROD_SETTINGS, manage, production_environment, run

DEV_SETTINGS = "{{ cookiecutter.project_slug }}.settings.dev"
ECHOED_KEY = "from-a-mounted-secret-" + "y" * 40
REQUIRED = ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"]
MALFORMED_VALUES = [
    ("DJANGO_SECURE_HSTS_SECONDS", "a year, " * 100),
    ("DJANGO_SECURE_SSL_REDIRECT", "maybe"),
    ("DJANGO_SECURE_HSTS_PRELOAD", "2"),
    ("DJANGO_ALLOWED_HOSTS", ""),
    ("DJANGO_ALLOWED_HOSTS", "example.com www.example.com"),
    ("DJANGO_ADMIN_URL", "/admin"),
    ("DJANGO_LOGIN_FAILURE_LIMIT", "five"),
    ("DJANGO_LOGIN_LOCKOUT_SECONDS", "0"),
    ("DJANGO_TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal"),
    ("DATABASE_URL", "garbage"),
    ("DATABASE_URL", "mysqlx://app:hunter2@db.internal/app"),
    ("DJANGO_EMAIL_URL", "foo"),
    ("DJANGO_EMAIL_URL", "smtp://mail.internal:notaport"),
    ("DJANGO_LOG_LEVEL", "LOUD"),
    ("DJANGO_LOG_FORMAT", "yaml"),
{%- if cookiecutter.use_sentry %}
    ("SENTRY_DSN", "https://sentry.example.com/42"),
    ("SENTRY_DSN", "https://key@sentry.example.com/project"),
{%- endif %}
]
WEAK_SECRET_KEYS = ["", "change-me", "x", "django-insecure-" + "k3y-" * 15, "ab" * 30]
APPLICATION = "{{ cookiecutter.project_slug }}.asgi:application"
SERVESTATIC = "servestatic.middleware.ServeStaticMiddleware"
# The other tests import the ASGI module; each entry point is proven on one refusal.
ENTRY_POINTS = [
    pytest.param(
        ["-m", "daphne", "-b", "127.0.0.1", "-p", "0", APPLICATION],
        "DJANGO_SECRET_KEY",
        "change-me",
        id="daphne",
    ),
    pytest.param(
        ["-c", "import {{ cookiecutter.project_slug }}.wsgi"],
        "DATABASE_URL",
        "garbage",
        id="a-WSGI-server",
    ),
    pytest.param(["manage.py", "check"], "DJANGO_LOG_LEVEL", "LOUD", id="manage.py"),
]


# Every case's settings are read in one interpreter: a fresh one per case would cost
# a second each. Each entry point is then proven to turn a refusal into one line.
READ_EACH_CASE = """
import importlib, json, os, sys
from django.core.exceptions import ImproperlyConfigured

SETTINGS = "{{ cookiecutter.project_slug }}.settings"
SHOWN = [
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "MIDDLEWARE",
]
outcomes = {}
for case, (module, env) in json.load(sys.stdin).items():
    os.environ.clear()
    os.environ.update(env)
    for name in [name for name in sys.modules if name.startswith(SETTINGS)]:
        del sys.modules[name]
    try:
        settings = importlib.import_module(module)
    except ImproperlyConfigured as error:
        outcomes[case] = f"ImproperlyConfigured: {error}"
    else:
        outcomes[case] = {name: getattr(settings, name) for name in SHOWN}
print(json.dumps(outcomes))
"""


def without(env, *names):
    return {key: value for key, value in env.items() if key not in names}


@pytest.fixture(scope="module")
def outcomes(project_without_env_file, tmp_path_factory):
    """What reading the settings gives in each case: the values, or the refusal's line."""
    files = tmp_path_factory.mktemp("secrets")
    (files / "empty").write_text("")
    (files / "secret_key").write_text(ECHOED_KEY + "\n")
    (files / "allowed_hosts").write_text("example.com\n")
    prod = production_environment(files)
    no_key = without(prod, "DJANGO_SECRET_KEY")
    cases = {
        **{f"without {name}": without(prod, name) for name in REQUIRED},
        **{f"{name}={value}": {**prod, name: value} for name, value in MALFORMED_VALUES},
        **{f"key {key!r}": {**prod, "DJANGO_SECRET_KEY": key} for key in WEAK_SECRET_KEYS},
        "key file missing": {**no_key, "DJANGO_SECRET_KEY_FILE": str(files / "absent")},
        "key file a directory": {**no_key, "DJANGO_SECRET_KEY_FILE": str(files)},
        "key file empty": {**no_key, "DJANGO_SECRET_KEY_FILE": str(files / "empty")},
        "files written by echo": {
            **without(no_key, "DJANGO_ALLOWED_HOSTS"),
            "DJANGO_SECRET_KEY_FILE": str(files / "secret_key"),
            "DJANGO_ALLOWED_HOSTS_FILE": str(files / "allowed_hosts"),
        },
        "spaces around commas": {
            **prod,
            "DJANGO_ALLOWED_HOSTS": "a.example, example.com",
            "DJANGO_CSRF_TRUSTED_ORIGINS": " https://a.example , https://example.com ",
        },
        "defaults": prod,
        "HSTS raised": {
            **prod,
            "DJANGO_SECURE_HSTS_SECONDS": str(2 * 365 * 24 * 60 * 60),
            "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
            "DJANGO_SECURE_HSTS_PRELOAD": "true",
        },
    }
    modules = {case: PROD_SETTINGS for case in cases}
    cases["dev, empty key"] = {**prod, "DJANGO_SECRET_KEY": ""}
    modules["dev, empty key"] = DEV_SETTINGS
    finished = subprocess.run(
        [sys.executable, "-c", READ_EACH_CASE],
        input=json.dumps({case: [modules[case], env] for case, env in cases.items()}),
        cwd=project_without_env_file,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)


def refusal(outcome):
    """The one line of a refused start-up."""
    assert isinstance(outcome, str), f"started with {outcome}"
    assert "\n" not in outcome
    assert outcome.startswith("ImproperlyConfigured: ")
    return outcome


@pytest.mark.parametrize("name", REQUIRED)
def test_prod_refuses_to_start_without_a_required_variable(name, outcomes):
    assert name in refusal(outcomes[f"without {name}"])


@pytest.mark.parametrize(("name", "value"), MALFORMED_VALUES)
def test_prod_refuses_a_malformed_value_naming_the_variable(name, value, outcomes):
    line = refusal(outcomes[f"{name}={value}"])

    assert line.startswith(f"ImproperlyConfigured: {name} must ")
    assert len(line) < 200, "a long value is shortened"
    assert "hunter2" not in line, "a URL's password is hidden"


@pytest.mark.parametrize("key", WEAK_SECRET_KEYS)
def test_prod_refuses_a_weak_secret_key_without_showing_it(key, outcomes):
    line = refusal(outcomes[f"key {key!r}"])

    assert line.startswith("ImproperlyConfigured: DJANGO_SECRET_KEY must ")
    assert "secrets.token_urlsafe" in line
    assert ", not '" not in line


@pytest.mark.parametrize("problem", ["missing", "a directory", "empty"])
def test_prod_refuses_an_unusable_secret_key_file_naming_it(problem, outcomes):
    line = refusal(outcomes[f"key file {problem}"])

    assert line.startswith("ImproperlyConfigured: DJANGO_SECRET_KEY_FILE must ")


def test_secret_files_written_by_echo_give_the_values_without_the_newline(outcomes):
    echoed = outcomes["files written by echo"]

    assert (echoed["SECRET_KEY"], echoed["ALLOWED_HOSTS"]) == (ECHOED_KEY, ["example.com"])


def test_prod_ignores_spaces_around_the_commas_of_a_list(outcomes):
    spaced = outcomes["spaces around commas"]

    assert spaced["ALLOWED_HOSTS"] == ["a.example", "example.com"]
    assert spaced["CSRF_TRUSTED_ORIGINS"] == ["https://a.example", "https://example.com"]


def hsts(outcome):
    names = ["SECONDS", "INCLUDE_SUBDOMAINS", "PRELOAD"]
    return [outcome[f"SECURE_HSTS_{name}"] for name in names]


def test_hsts_starts_at_an_hour_for_this_host_only_and_is_never_preloaded_unasked(outcomes):
    # A browser keeps HSTS for max-age, and a preload list entry cannot be taken back.
    assert hsts(outcomes["defaults"]) == [3600, False, False]


def test_the_variables_raise_hsts_once_https_is_proven(outcomes):
    assert hsts(outcomes["HSTS raised"]) == [2 * 365 * 24 * 60 * 60, True, True]


def test_dev_refuses_an_empty_secret_key_too(outcomes):
    # Development takes any other key: it serves only the developer's own machine.
    assert "DJANGO_SECRET_KEY must not be empty" in refusal(outcomes["dev, empty key"])


@pytest.mark.parametrize(("command", "name", "value"), ENTRY_POINTS)
def test_every_entry_point_stops_with_the_one_line(
    command, name, value, prod_env, project_without_env_file
):
    env = {**prod_env, name: value, "DJANGO_SETTINGS_MODULE": PROD_SETTINGS}

    finished = run(command, env=env, cwd=project_without_env_file)

    assert finished.returncode != 0
    assert refusal(finished.stderr.rstrip("\n")).startswith(f"ImproperlyConfigured: {name} must ")


def test_manage_py_reports_missing_configuration_in_one_line(prod_env, project_without_env_file):
    env = without(prod_env, "DJANGO_SECRET_KEY")
    env["DJANGO_SETTINGS_MODULE"] = PROD_SETTINGS

    finished = run(["manage.py", "check"], env=env, cwd=project_without_env_file)

    assert finished.returncode == 1
    assert finished.stderr.strip().splitlines() == [
        "ImproperlyConfigured: Set the DJANGO_SECRET_KEY environment variable"
    ]


def test_prod_runs_base_s_middleware_with_servestatic_right_after_security(outcomes):
    middleware = outcomes["defaults"]["MIDDLEWARE"]

    assert middleware == [base.MIDDLEWARE[0], SERVESTATIC, *base.MIDDLEWARE[1:]]


def test_deploy_check_passes_without_a_single_warning(prod_env):
    env = {**prod_env, "DJANGO_SETTINGS_MODULE": PROD_SETTINGS}

    finished = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert "System check identified no issues" in finished.stdout
