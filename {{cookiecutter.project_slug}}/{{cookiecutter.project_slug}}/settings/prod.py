"""Production settings: what ``asgi.py`` and ``wsgi.py`` use unless told otherwise.

Everything deployment-specific comes from the environment; a missing or
malformed value, or a weak secret key, stops start-up with one line that
names the variable (the readers are in base.py). With the
required variables set, ``manage.py check --deploy --fail-level WARNING``
passes without a single warning.

See https://docs.djangoproject.com/en/6.1/howto/deployment/checklist/
"""

import logging

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
{%- if cookiecutter.database == "postgresql" %}
from psycopg_pool import ConnectionPool
{%- endif %}

from .base import *  # noqa: F403
from .base import (
{%- if cookiecutter.database == "postgresql" %}
    DATABASES,
{%- endif %}
    MIDDLEWARE,
    env,
    env_bool,
    env_choice,
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

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name at least one host")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default="")

# HTTPS: the proxy in front of daphne terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# A load balancer probes liveness and readiness over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

# Content Security Policy: https://docs.djangoproject.com/en/6.1/ref/csp/
# Inline code runs only with the per-request nonce, as the admin's few inline tags have.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Every middleware runs on daphne's event loop: ServeStatic is async itself and
# serves the collected, compressed and hashed files; under daphne, handlers.py
# runs Django's own without a thread hop per hook (middleware.py).
MIDDLEWARE = [
    MIDDLEWARE[0],  # SecurityMiddleware comes first, so its redirects cost nothing else.
    "servestatic.middleware.ServeStaticMiddleware",
    *MIDDLEWARE[1:],
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
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


def as_one_line_warning(record: logging.LogRecord) -> bool:
    """Log a refused Host as what it is: a client's mistake in one line, not a server error.

    Scanners send unknown Host headers all day; Django logs each at ERROR with its
    traceback, which floods the logs and alerts on errors. The message names the host.
    """
    record.levelno, record.levelname = logging.WARNING, "WARNING"
    record.exc_info = record.exc_text = None
    return True


# Logging: https://docs.djangoproject.com/en/6.1/topics/logging/#configuring-logging
# One JSON object per line on stdout, for whatever collects the logs; "plain" is for a
# person reading a terminal. python-json-logger is a formatter and nothing more, so
# LOGGING stays the standard dictConfig that Django and every library log through
# (structlog would bring a second logging pipeline to configure beside this one).
# Records made during a request carry its id (serving/request_id.py).
LOG_LEVEL = env_log_level("DJANGO_LOG_LEVEL", default="INFO")
LOG_FORMAT = env_choice("DJANGO_LOG_FORMAT", default="json", choices=["json", "plain"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line_warning": {
            "()": "django.utils.log.CallbackFilter",
            "callback": as_one_line_warning,
        },
        "request_id": {
            "()": "{{ cookiecutter.project_slug }}.serving.request_id.RequestIdFilter",
        },
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

# Error reports (sentry.py): off without a DSN, and then sentry_sdk is not even imported.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from ..sentry import start as start_sentry

    start_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        # Empty: Sentry's own guess, the git commit of the working directory, if any.
        release=env.str("SENTRY_RELEASE", default="") or None,
    )
{%- endif %}
