"""Production refuses to start on missing or malformed configuration, and passes --deploy."""

import pytest

from .conftest import PROD_SETTINGS, manage, run

PRINT_SECRET_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"
REQUIRED = ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"]
MALFORMED = [
    ("DJANGO_SECURE_HSTS_SECONDS", "a year"),
    ("DJANGO_SECURE_SSL_REDIRECT", "maybe"),
    ("DJANGO_SECURE_HSTS_PRELOAD", "2"),
    ("DJANGO_ALLOWED_HOSTS", ""),
    ("DJANGO_ADMIN_URL", "/admin"),
    ("DJANGO_LOGIN_FAILURE_LIMIT", "five"),
    ("DJANGO_LOGIN_LOCKOUT_SECONDS", "0"),
]


def start_asgi(env, cwd):
    """Import the ASGI application the way daphne does, in a fresh interpreter."""
    return run(["-c", "import {{ cookiecutter.project_slug }}.asgi"], env=env, cwd=cwd)


@pytest.mark.parametrize("name", REQUIRED)
def test_prod_refuses_to_start_without_a_required_variable(
    name, prod_env, project_without_env_file
):
    env = {key: value for key, value in prod_env.items() if key != name}

    finished = start_asgi(env, cwd=project_without_env_file)

    assert finished.returncode != 0
    assert finished.stderr.count("\n") == 1, finished.stderr
    assert "ImproperlyConfigured" in finished.stderr
    assert name in finished.stderr


@pytest.mark.parametrize(("name", "value"), MALFORMED)
def test_prod_refuses_a_malformed_value_naming_the_variable(
    name, value, prod_env, project_without_env_file
):
    finished = start_asgi({**prod_env, name: value}, cwd=project_without_env_file)

    assert finished.returncode != 0
    assert finished.stderr.count("\n") == 1, finished.stderr
    assert name in finished.stderr


def test_secret_key_can_come_from_a_file(prod_env, project_without_env_file, tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text("from-a-mounted-secret-" + "y" * 40)
    env = {key: value for key, value in prod_env.items() if key != "DJANGO_SECRET_KEY"}
    env["DJANGO_SECRET_KEY_FILE"] = str(secret_file)

    finished = run(
        ["-c", f"import {{ cookiecutter.project_slug }}.asgi; {PRINT_SECRET_KEY}"],
        env=env,
        cwd=project_without_env_file,
    )

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == secret_file.read_text()


def test_manage_py_reports_missing_configuration_in_one_line(prod_env, project_without_env_file):
    env = {key: value for key, value in prod_env.items() if key != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = PROD_SETTINGS

    finished = run(["manage.py", "check"], env=env, cwd=project_without_env_file)

    assert finished.returncode == 1
    assert finished.stderr.strip().splitlines() == [
        "ImproperlyConfigured: Set the DJANGO_SECRET_KEY environment variable"
    ]


def test_deploy_check_passes_without_a_single_warning(prod_env):
    env = {**prod_env, "DJANGO_SETTINGS_MODULE": PROD_SETTINGS}

    finished = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert "System check identified no issues" in finished.stdout
