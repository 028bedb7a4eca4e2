"""Settings shared by every environment.

Every value that differs between deployments is read from the environment
(or from an optional ``.env`` file at the project root, which never overrides a
variable that is already set) through django-environ.

See https://docs.djangoproject.com/en/6.1/topics/settings/ and
https://docs.djangoproject.com/en/6.1/ref/settings/
"""

import ipaddress
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Lets Django's generic classes take type arguments at run time, as mypy wants
# them (users/forms.py): https://github.com/typeddjango/django-stubs/tree/master/ext
django_stubs_ext.monkeypatch()


def given(name: str) -> str:
    """The variable that holds a setting's value: NAME, or NAME_FILE when that is set."""
    return f"{name}_FILE" if os.environ.get(f"{name}_FILE") else name


def invalid(name: str, rule: str, value: str) -> ImproperlyConfigured:
    """The one-line error for a malformed value; never pass it a secret's value."""
    shown = value if len(value) <= 40 else value[:40] + "..."
    return ImproperlyConfigured(f"{given(name)} must {rule}, not {shown!r}")


class SecretFiles(environ.FileAwareMapping):
    """The environment, where NAME_FILE (a Docker or Kubernetes secret) stands for NAME.

    A file written by ``echo`` ends in a newline that is no part of the value, and
    a path that cannot be read is reported as the variable that names it.
    """

    def __getitem__(self, key: str) -> str:
        path = self.env.get(f"{key}_FILE")
        try:
            value: str = super().__getitem__(key)
        except (OSError, UnicodeError) as error:
            reason = "not UTF-8 text" if isinstance(error, UnicodeError) else error.strerror
            raise invalid(key, f"name a readable file ({reason})", path) from None
        return value.rstrip("\r\n") if path else value


class FileAwareEnv(environ.FileAwareEnv):
    ENVIRON = SecretFiles()


env = FileAwareEnv()
# Servers usually have no .env, and django-environ would log that it found none.
if (BASE_DIR / ".env").is_file():
    FileAwareEnv.read_env(BASE_DIR / ".env", overwrite=False)


def env_bool(name: str, default: bool) -> bool:
    """Read a true/false variable, refusing anything else instead of guessing."""
    value = env.str(name, default=str(default)).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise invalid(name, "be true or false", value)


def env_int(name: str, default: int) -> int:
    """Read a whole number, naming the variable when the value is not one."""
    value = env.str(name, default=str(default)).strip()
    try:
        return int(value)
    except ValueError:
        raise invalid(name, "be a whole number", value) from None


def env_list(name: str, default: str = env.NOTSET) -> list[str]:
    """Read a comma-separated list; spaces around the commas are no part of the items."""
    value: str = env.str(name, default=default)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if any(char.isspace() for item in items for char in item):
        raise invalid(name, "be a comma-separated list", value)
    return items


def env_url(
    name: str,
    default: str,
    schemes: Sequence[str],
    parse: Callable[[str], dict[str, Any]],
) -> dict[str, Any]:
    """Read a service URL with django-environ's parser, e.g. ``env.db_url_config``.

    A scheme with no backend in this project, or a URL that does not parse, stops
    start-up here instead of in a traceback from the backend.
    """
    value: str = env.str(name, default=default)
    try:
        if urlsplit(value).scheme in schemes:
            return parse(value)
    except ValueError:
        pass
    *others, last = [f"{scheme}://" for scheme in schemes]
    expected = f"{', '.join(others)} or {last}" if others else last
    # The password of a URL is a secret: it never reaches the error.
    raise invalid(name, f"be a valid {expected} URL", re.sub(r":[^:/@]*@", ":***@", value))


def env_secret_key(name: str, production: bool) -> str:
    """Read the secret key; what is wrong with it is named, the key itself never shown.

    An empty key is refused everywhere: Django would start, then fail every request.
    Production also refuses what the deploy check calls weak (security.W009: fewer
    than 50 characters or 5 different ones, or startproject's "django-insecure-"),
    and placeholders: https://docs.djangoproject.com/en/6.1/ref/checks/#security
    """
    key: str = env.str(name)
    if not key:
        rule = "not be empty"
    elif not production:
        return key
    elif any(placeholder in key.lower() for placeholder in ("change", "django-insecure-")):
        rule = "be random in production, not a placeholder"
    elif len(key) < 50:
        rule = "be at least 50 characters long in production"
    elif len(set(key)) < 5:
        rule = "have at least 5 different characters in production"
    else:
        return key
    generate = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    raise ImproperlyConfigured(f"{given(name)} must {rule}; generate one with: {generate}")


def env_log_level(name: str, default: str) -> str:
    """Read a logging level name, in any case."""
    value: str = env.str(name, default=default).strip().upper()
    if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise invalid(name, "be DEBUG, INFO, WARNING, ERROR or CRITICAL", value)
    return value


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    """Read one of a few words, in any case, naming them all when the value is another."""
    value: str = env.str(name, default=default).strip().lower()
    if value not in choices:
        *others, last = choices
        raise invalid(name, f"be {', '.join(others)} or {last}", value)
    return value


def env_positive_int(name: str, default: int) -> int:
    """A whole number of at least 1: zero or less would turn a limit off unseen."""
    value = env_int(name, default)
    if value < 1:
        raise invalid(name, "be at least 1", str(value))
    return value


def env_networks(name: str, default: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Read comma-separated IP addresses or networks (CIDR), naming the variable if one is not."""
    networks = []
    for item in env_list(name, default=default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise invalid(name, "list IP addresses or networks", item) from None
    return networks


SECRET_KEY = env_secret_key("DJANGO_SECRET_KEY", production=False)
DEBUG = False

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
{%- if cookiecutter.use_tasks %}
    "django_tasks_db",
{%- endif %}
    "{{ cookiecutter.project_slug }}",
    "{{ cookiecutter.project_slug }}.users",
{%- if cookiecutter.use_channels %}
    "{{ cookiecutter.project_slug }}.rooms",
{%- endif %}
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "{{ cookiecutter.project_slug }}.urls"
WSGI_APPLICATION = "{{ cookiecutter.project_slug }}.wsgi.application"
ASGI_APPLICATION = "{{ cookiecutter.project_slug }}.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.csp",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: https://docs.djangoproject.com/en/6.1/ref/settings/#databases
{%- if cookiecutter.database == "postgresql" %}
DATABASES = {
    "default": env_url(
        "DATABASE_URL",
        default="postgres:///{{ cookiecutter.project_slug }}",
        schemes=["postgres", "postgresql"],
        parse=env.db_url_config,
    ),
}
# A stopped or unreachable server fails the request fast instead of hanging it.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
{%- else %}
DATABASES = {
    "default": env_url(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        schemes=["sqlite"],
        parse=env.db_url_config,
    ),
}
# SQLite as a real single-machine database: readers never block the writer (WAL),
# a writer waits for the lock instead of failing at once, and a transaction takes
# the write lock up front rather than failing to upgrade it half-way.
DATABASES["default"]["OPTIONS"] = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
}
{%- endif %}

# Cache: https://docs.djangoproject.com/en/6.1/topics/cache/
{%- if cookiecutter.use_redis %}
REDIS_URL = env.str("REDIS_URL", default="redis://localhost:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Fail fast when Redis is away instead of hanging the request.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    },
}
{%- else %}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
{%- endif %}
{%- if cookiecutter.use_channels %}

# Channel layer: https://channels.readthedocs.io/en/stable/topics/channel_layers.html
# capacity: how many messages may wait for one receiver before the layer drops
# the newest ones (the default, 100, loses messages as soon as more than a
# hundred arrive at once). expiry: a message still waiting after a minute is dropped.
{%- if cookiecutter.use_redis %}
# In Redis, the receiver is a daphne process, which then hands each message to
# its members' queues of the same capacity; a process that falls behind loses
# messages, logged at INFO by channels_redis ("channels over capacity"), and a
# member that falls behind in its process loses the oldest ones, unlogged
# (channels_redis offers no hook for that).
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "capacity": 1000, "expiry": 60},
    },
}
{%- else %}
# In memory: messages reach only the clients of the same daphne process. The
# receiver is one member; its drops are logged as warnings (see rooms/layers.py).
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "{{ cookiecutter.project_slug }}.rooms.layers.ReportingInMemoryChannelLayer",
        "CONFIG": {"capacity": 1000, "expiry": 60},
    },
}
{%- endif %}
{%- endif %}
{%- if cookiecutter.use_tasks %}

# Background tasks: https://docs.djangoproject.com/en/6.1/topics/tasks/
# Queued in this database (django-tasks-db) and run by ``manage.py db_worker``:
# no broker to run. The project's tests run each task at once (tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
{%- endif %}

# The project's own user model (users/models.py), set before the first migration:
# https://docs.djangoproject.com/en/6.1/topics/auth/customizing/#substituting-a-custom-user-model
AUTH_USER_MODEL = "users.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalization: https://docs.djangoproject.com/en/6.1/topics/i18n/
LANGUAGE_CODE = "en-us"
TIME_ZONE = "{{ cookiecutter.timezone }}"
USE_I18N = True
USE_TZ = True

# Static files: https://docs.djangoproject.com/en/6.1/howto/static-files/
STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")

ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/"):
    raise ImproperlyConfigured(
        f"DJANGO_ADMIN_URL must be a relative path ending in '/', not {ADMIN_URL!r}"
    )

DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL",
    default="webmaster@{{ cookiecutter.domain_name }}",
)
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (serving/proxy.py):
# addresses or networks. Default: a proxy on the same machine.
TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES", default="127.0.0.1,::1")

# While this file exists, /readyz answers 503 "draining" (views.readyz): a stop hook
# creates it, so that balancers stop sending new requests before the process stops.
# Empty: never draining. The path is read once; the file is looked for per request.
DRAIN_FILE = env.str("DJANGO_DRAIN_FILE", default="")

# Failed logins (login_limit.py): an address is refused for LOGIN_LOCKOUT_SECONDS
# after LOGIN_FAILURE_LIMIT failures within that time; a username, for every
# address, after LOGIN_FAILURE_LIMIT_PER_USERNAME.
LOGIN_FAILURE_LIMIT = env_positive_int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_USERNAME = env_positive_int(
    "DJANGO_LOGIN_FAILURE_LIMIT_PER_USERNAME", default=50
)
LOGIN_LOCKOUT_SECONDS = env_positive_int("DJANGO_LOGIN_LOCKOUT_SECONDS", default=15 * 60)
