"""Production refuses to start on missing or malformed configuration, and passes --deploy.

A refusal is one line that names the variable and its rule, and a non-zero exit,
whichever entry point imports the settings.
"""

import pytest

from .conftest import PROD_SETTINGS, manage, run

PRINT_SETTINGS = "from django.conf import settings; print({})"
REQUIRED = ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"]
MALFORMED = [
    pytest.param("DJANGO_SECURE_HSTS_SECONDS", "a year, " * 100, id="a-long-value"),
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
]
WEAK_SECRET_KEYS = [
    pytest.param("", id="empty"),
    pytest.param("change-me", id="the-placeholder"),
    pytest.param("x", id="short"),
    pytest.param("django-insecure-" + "k3y-" * 15, id="made-by-startproject"),
    pytest.param("ab" * 30, id="few-different-characters"),
]
APPLICATION = "{{ cookiecutter.project_slug }}.asgi:application"
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


def start_asgi(env, cwd):
    """Import the ASGI application the way daphne does, in a fresh interpreter."""
    return run(["-c", "import {{ cookiecutter.project_slug }}.asgi"], env=env, cwd=cwd)


def refusal(finished):
    """The single line that a refused start-up printed."""
    assert finished.returncode != 0
    lines = finished.stderr.splitlines()
    assert len(lines) == 1, finished.stderr
    assert lines[0].startswith("ImproperlyConfigured: ")
    return lines[0]


def without(env, name):
    return {key: value for key, value in env.items() if key != name}


@pytest.mark.parametrize("name", REQUIRED)
def test_prod_refuses_to_start_without_a_required_variable(
    name, prod_env, project_without_env_file
):
    finished = start_asgi(without(prod_env, name), cwd=project_without_env_file)

    assert name in refusal(finished)


@pytest.mark.parametrize(("name", "value"), MALFORMED)
def test_prod_refuses_a_malformed_value_naming_the_variable(
    name, value, prod_env, project_without_env_file
):
    finished = start_asgi({**prod_env, name: value}, cwd=project_without_env_file)

    line = refusal(finished)
    assert line.startswith(f"ImproperlyConfigured: {name} must ")
    assert len(line) < 200, "a long value is shortened"
    assert "hunter2" not in line, "a URL's password is hidden"


@pytest.mark.parametrize("key", WEAK_SECRET_KEYS)
def test_prod_refuses_a_weak_secret_key_without_showing_it(
    key, prod_env, project_without_env_file
):
    finished = start_asgi({**prod_env, "DJANGO_SECRET_KEY": key}, cwd=project_without_env_file)

    line = refusal(finished)
    assert line.startswith("ImproperlyConfigured: DJANGO_SECRET_KEY must ")
    assert "secrets.token_urlsafe" in line
    assert ", not '" not in line


@pytest.mark.parametrize("problem", ["missing", "a directory", "empty"])
def test_prod_refuses_an_unusable_secret_key_file_naming_it(
    problem, prod_env, project_without_env_file, tmp_path
):
    (tmp_path / "empty").write_text("")
    path = {"missing": tmp_path / "absent", "a directory": tmp_path, "empty": tmp_path / "empty"}
    env = without(prod_env, "DJANGO_SECRET_KEY")
    env["DJANGO_SECRET_KEY_FILE"] = str(path[problem])

    finished = start_asgi(env, cwd=project_without_env_file)

    assert refusal(finished).startswith("ImproperlyConfigured: DJANGO_SECRET_KEY_FILE must ")


def test_secret_files_written_by_echo_give_the_values_without_the_newline(
    prod_env, project_without_env_file, tmp_path
):
    key = "from-a-mounted-secret-" + "y" * 40
    (tmp_path / "secret_key").write_text(key + "\n")
    (tmp_path / "allowed_hosts").write_text("example.com\n")
    env = without(without(prod_env, "DJANGO_SECRET_KEY"), "DJANGO_ALLOWED_HOSTS")
    env["DJANGO_SECRET_KEY_FILE"] = str(tmp_path / "secret_key")
    env["DJANGO_ALLOWED_HOSTS_FILE"] = str(tmp_path / "allowed_hosts")
    shown = PRINT_SETTINGS.format("settings.SECRET_KEY, settings.ALLOWED_HOSTS")

    finished = run(
        ["-c", f"import {{ cookiecutter.project_slug }}.asgi; {shown}"],
        env=env,
        cwd=project_without_env_file,
    )

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == f"{key} ['example.com']\n"


def test_prod_ignores_spaces_around_the_commas_of_a_list(prod_env, project_without_env_file):
    env = {
        **prod_env,
        "DJANGO_ALLOWED_HOSTS": "a.example, example.com",
        "DJANGO_CSRF_TRUSTED_ORIGINS": " https://a.example , https://example.com ",
    }
    shown = PRINT_SETTINGS.format("settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS")

    finished = run(
        ["-c", f"import {{ cookiecutter.project_slug }}.asgi; {shown}"],
        env=env,
        cwd=project_without_env_file,
    )

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == (
        "['a.example', 'example.com'] ['https://a.example', 'https://example.com']\n"
    )


@pytest.mark.parametrize(("command", "name", "value"), ENTRY_POINTS)
def test_every_entry_point_stops_with_the_one_line(
    command, name, value, prod_env, project_without_env_file
):
    env = {**prod_env, name: value, "DJANGO_SETTINGS_MODULE": PROD_SETTINGS}

    finished = run(command, env=env, cwd=project_without_env_file)

    assert refusal(finished).startswith(f"ImproperlyConfigured: {name} must ")


def test_manage_py_reports_missing_configuration_in_one_line(prod_env, project_without_env_file):
    env = without(prod_env, "DJANGO_SECRET_KEY")
    env["DJANGO_SETTINGS_MODULE"] = PROD_SETTINGS

    finished = run(["manage.py", "check"], env=env, cwd=project_without_env_file)

    assert finished.returncode == 1
    assert finished.stderr.strip().splitlines() == [
        "ImproperlyConfigured: Set the DJANGO_SECRET_KEY environment variable"
    ]


def test_dev_refuses_an_empty_secret_key_too(prod_env, project_without_env_file):
    # Development takes any other key: it serves only the developer's own machine.
    env = {**prod_env, "DJANGO_SECRET_KEY": ""}

    finished = run(["manage.py", "check"], env=env, cwd=project_without_env_file)

    assert "DJANGO_SECRET_KEY must not be empty" in refusal(finished)


def test_deploy_check_passes_without_a_single_warning(prod_env):
    env = {**prod_env, "DJANGO_SETTINGS_MODULE": PROD_SETTINGS}

    finished = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert "System check identified no issues" in finished.stdout
