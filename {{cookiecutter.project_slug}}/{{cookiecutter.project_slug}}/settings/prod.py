"""Production settings: what ``asgi.py`` and ``wsgi.py`` use unless told otherwise.

Everything deployment-specific comes from the environment; a missing or
malformed value, or a weak secret key, stops start-up with one line that names
the variable (readers.py). With the required variables set, ``manage.py check
--deploy --fail-level WARNING`` passes without a single warning.

See https://docs.djangoproject.com/en/6.1/howto/deployment/checklist/
"""
{%- if cookiecutter.database == "postgresql" %}

from psycopg_pool import ConnectionPool
{%- endif %}

from .base import *  # noqa: F403
{%- if cookiecutter.database == "postgresql" %}
from .base import DATABASES
{%- endif %}
from .readers import (
    env,
    env_bool,
    env_choice,
    env_hosts,
    env_int,
    env_list,
    env_log_level,
    env_secret_key,
    env_url,
)

SECRET_KEY = env_secret_key("DJANGO_SECRET_KEY", production=True)
DEBUG = False
{%- if cookiecutter.database == "postgresql" %}

# Under ASGI, Django's docs advise a connection pool instead of persistent connections:
# https://docs.djangoproject.com/en/6.1/ref/databases/#connection-pool
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["OPTIONS"]["pool"] = {
    "min_size": 1,
    "max_size": env_int("DJANGO_DB_POOL_MAX_SIZE", default=10),
    # Waiting longer for a connection than a load balancer waits for an answer helps nobody.
    "timeout": 3,
    # Hands out no connection that a restarted server has closed.
    "check": ConnectionPool.check_connection,
}
{%- endif %}

ALLOWED_HOSTS = env_hosts("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default="")

# HTTPS: the proxy in front of daphne terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# A load balancer probes liveness and readiness over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# HSTS, staged: a browser keeps it for max-age, and a preload list entry cannot be
# taken back, so the first deploys send an hour, for this host only. Raise the
# variables once HTTPS is proven everywhere (README, "HTTPS in stages"); until then
# the deploy check's warnings for includeSubDomains (W005) and preload (W021) are
# expected, and silenced.
# https://docs.djangoproject.com/en/6.1/ref/middleware/#http-strict-transport-security
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# base.py's middleware, with ServeStatic right after SecurityMiddleware: its redirects
# cost nothing else, and static files need no session. ServeStatic is async itself and
# serves the collected, compressed and hashed files. tests/test_prod_config.py checks
# that this list stays base.py's plus ServeStatic.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servestatic.middleware.ServeStaticMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "{{ cookiecutter.project_slug }}.serving.outages.ServiceOutage",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "servestatic.storage.CompressedManifestStaticFilesStorage"},
}

# Email through SMTP, from one URL: https://docs.djangoproject.com/en/6.1/topics/email/
# django-environ also reads smtps:// as STARTTLS, where most people mean TLS from the
# first byte (port 465): only the three unambiguous schemes are accepted.
EMAIL = env_url(
    "DJANGO_EMAIL_URL",
    default="smtp://localhost:25",
    schemes=["smtp", "smtp+tls", "smtp+ssl"],
    parse=env.email_url_config,
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL["EMAIL_BACKEND"],
        "OPTIONS": {
            "host": EMAIL["EMAIL_HOST"],
            "port": EMAIL["EMAIL_PORT"],
            "username": EMAIL["EMAIL_HOST_USER"],
            "password": EMAIL["EMAIL_HOST_PASSWORD"],
            "use_tls": EMAIL.get("EMAIL_USE_TLS", False),
            "use_ssl": EMAIL.get("EMAIL_USE_SSL", False),
            # A mail server that stops answering fails the send instead of holding
            # a task worker (or a request) for ever.
            "timeout": 10,
        },
    },
}

# Logging: https://docs.djangoproject.com/en/6.1/topics/logging/#configuring-logging
# One JSON object per line on stdout, for whatever collects the logs; "plain" is for a
# person reading a terminal. python-json-logger is a formatter and nothing more, so
# LOGGING stays the standard dictConfig that Django and every library log through.
# Records made during a request carry its id (serving/request_id.py), and a refused
# Host is one warning line, not an error with a traceback (serving/logs.py).
LOG_LEVEL = env_log_level("DJANGO_LOG_LEVEL", default="INFO")
LOG_FORMAT = env_choice("DJANGO_LOG_FORMAT", default="json", choices=["json", "plain"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line_warning": {"()": "{{ cookiecutter.project_slug }}.serving.logs.OneLineWarning"},
        "request_id": {"()": "{{ cookiecutter.project_slug }}.serving.request_id.RequestIdFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger", "exc_info": "exception"},
            "timestamp": "time",
        },
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            "defaults": {"request_id": "-"},
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
            # Here, not only on the root logger: Django's "django" logger hands its INFO
            # records to this handler whatever the root logger's level.
            "level": LOG_LEVEL,
        },
    },
    "loggers": {
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
}
{%- if cookiecutter.use_sentry %}

# Error reports (serving/sentry.py): off without a DSN, and then sentry_sdk is not imported.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from ..serving.sentry import start as start_sentry

    start_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        # Empty: Sentry's own guess, the git commit of the working directory, if any.
        release=env.str("SENTRY_RELEASE", default="") or None,
    )
{%- endif %}
