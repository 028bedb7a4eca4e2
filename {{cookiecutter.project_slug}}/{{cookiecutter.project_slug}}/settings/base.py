"""Settings shared by every environment: development, tests and production.

What differs between deployments is read from the environment (or an optional
``.env`` at the project root) by the readers in ``readers.py``, which stop
start-up with one line that names a missing or malformed variable.

See https://docs.djangoproject.com/en/6.1/topics/settings/ and
https://docs.djangoproject.com/en/6.1/ref/settings/
"""

from pathlib import Path

from django.utils.csp import CSP

from .readers import (
    env,
    env_bool,
    env_networks,
    env_positive_int,
    env_secret_key,
    env_url,
    env_url_path,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_secret_key("DJANGO_SECRET_KEY", production=False)
DEBUG = False

INSTALLED_APPS = [
    # django.contrib.admin, with the admin site that can require a second factor.
    "{{ cookiecutter.project_slug }}.users.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: its collectstatic and runserver, which build the stylesheet
    # first, replace staticfiles' commands of the same names.
    "{{ cookiecutter.project_slug }}.pages",
    "django.contrib.staticfiles",
{%- if cookiecutter.use_tasks %}
    "django_tasks_db",
{%- endif %}
    "{{ cookiecutter.project_slug }}.users",
    "{{ cookiecutter.project_slug }}.backups",
{%- if cookiecutter.use_channels %}
    "{{ cookiecutter.project_slug }}.rooms",
{%- endif %}
{%- if cookiecutter.api == "ninja" %}
    "{{ cookiecutter.project_slug }}.api",
    # django-ninja's templates and static files: the API docs' Swagger UI, no CDN.
    "ninja",
{%- endif %}
    # Accounts (django-allauth): sign-up, sign-in, mail confirmation, password reset
    # and MFA. After the project's apps, so that the pages app's templates under
    # allauth/ and account/ take the place of allauth's own.
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

# Exactly what runs, in this order, under daphne and under a WSGI server alike.
# Production adds ServeStatic right after SecurityMiddleware (prod.py).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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

# Content Security Policy: https://docs.djangoproject.com/en/6.1/ref/csp/
# Enforced in tests and production; development reports violations in the browser's
# console instead (dev.py), so an inline script shows up before it breaks production.
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
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 3
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
# group_expiry: a member not renewed for five minutes leaves its group. Each room
# member renews itself every third of that (rooms/consumers.py), so a member whose
# leaving failed, or whose process died, is gone from Redis within five minutes,
# not the 24 hours of the default.
ROOM_GROUP_EXPIRY = 300
{%- if cookiecutter.use_redis %}
# In Redis, the receiver is a daphne process, which then hands each message to
# its members' queues of the same capacity; a process that falls behind loses
# messages, logged at INFO by channels_redis ("channels over capacity"), and a
# member that falls behind in its process loses the oldest ones, unlogged
# (channels_redis offers no hook for that).
# Connections to Redis per daphne process: every group_add, group_discard and
# group_send holds one while it runs, so a process needs as many as the sockets it
# opens or closes in the same moment, and a reconnect herd after a restart or a
# network blip is all of them. Past it, redis-py refuses (MaxConnectionsError);
# its default is 100. Redis's maxclients (10000) must cover processes times this,
# and each connection is a file descriptor of the process (README, Services).
REDIS_CHANNEL_LAYER_CONNECTIONS = env_positive_int("REDIS_CHANNEL_LAYER_CONNECTIONS", default=1000)
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {"address": REDIS_URL, "max_connections": REDIS_CHANNEL_LAYER_CONNECTIONS},
            ],
            "capacity": 1000,
            "expiry": 60,
            "group_expiry": ROOM_GROUP_EXPIRY,
        },
    },
}
{%- else %}
# In memory: messages reach only the clients of the same daphne process. The
# receiver is one member; its drops are logged as warnings (see rooms/layers.py).
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "{{ cookiecutter.project_slug }}.rooms.layers.ReportingInMemoryChannelLayer",
        "CONFIG": {"capacity": 1000, "expiry": 60, "group_expiry": ROOM_GROUP_EXPIRY},
    },
}
{%- endif %}
{%- endif %}
{%- if cookiecutter.use_tasks %}

# Background tasks: https://docs.djangoproject.com/en/6.1/topics/tasks/
# Queued in this database (django-tasks-db) and run by ``manage.py db_worker``:
# no broker to run. The project's tests run each task at once (test.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
{%- endif %}

# The project's own user model (users/models.py), set before the first migration:
# https://docs.djangoproject.com/en/6.1/topics/auth/customizing/#substituting-a-custom-user-model
AUTH_USER_MODEL = "users.User"

# Argon2id first: at Django's defaults it costs a sign-in about 200 ms of CPU where
# PBKDF2 costs 340, and it is memory-hard (100 MiB a check), which PBKDF2 is not
# (the template's BENCHMARKS.md, "Password hashing"). The others still check older
# hashes, which Django rewrites with Argon2 at their owner's next sign-in.
# https://docs.djangoproject.com/en/6.1/topics/auth/passwords/#using-argon2-with-django
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

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

# Where the admin lives: https://docs.djangoproject.com/en/6.1/ref/contrib/admin/
ADMIN_URL = env_url_path("DJANGO_ADMIN_URL", default="admin/")
# Staff reach the admin only once they have a second factor (users/admin_login.py).
ADMIN_REQUIRES_MFA = env_bool("DJANGO_ADMIN_REQUIRES_MFA", default=False)

# Accounts: https://docs.allauth.org/en/latest/account/configuration.html
# Sign-in goes through allauth (/accounts/login/), whose backend also finds a user by
# email address; Django's own backend stays first for authenticate() and the shell.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# Where the sign-out button leads: https://docs.djangoproject.com/en/6.1/ref/settings/#logout-redirect-url
LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "{{ cookiecutter.project_slug }}.users.adapters.AccountAdapter"
{%- if cookiecutter.username_type == "email" %}
# The user model has no username (users/models.py): people sign in with their address.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
{%- else %}
# A username or the email address, whichever the person types.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
{%- endif %}
# Nobody signs in before following the link mailed to their address.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Signing out is a POST (the navigation bar's button); a GET shows a confirmation.
ACCOUNT_LOGOUT_ON_GET = False
# The mailed link confirms the address (a POST from its page); the person then signs
# in, so that a link opened in another browser signs nobody in there.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
# The mailed reset link signs its owner in, whatever sign-in failures others caused.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# Changing the password, an address or a second factor asks for the password again
# if the last sign-in is older than five minutes.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Second factors: an authenticator app's codes (TOTP) with recovery codes, and
# WebAuthn security keys and passkeys; a passkey alone also signs in, from the
# sign-in page. Signing up with a passkey would need codes mailed instead of
# links (ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED): off, the link stays.
# The passkey's relying party is the host the page was served from, without
# its port: the site's domain in production, localhost in development.
# https://docs.allauth.org/en/latest/mfa/configuration.html
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_PASSKEY_SIGNUP_ENABLED = False
MFA_TOTP_ISSUER = {{ cookiecutter.project_name | python_string }}
# A code is also taken in the 30 seconds before and after its own: a phone's clock a
# little off, or a code typed as it turns (RFC 6238, section 5.2). Each is used once.
MFA_TOTP_TOLERANCE = 1
ACCOUNT_EMAIL_SUBJECT_PREFIX = {{ ("[" ~ cookiecutter.project_name ~ "] ") | python_string }}

# Email: https://docs.djangoproject.com/en/6.1/ref/settings/#default-from-email
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL",
    default="webmaster@{{ cookiecutter.domain_name }}",
)
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Backups (backups/, manage.py backup_database): where they go, and how many of the
# newest are kept; backup_database deletes the older ones once a new one is complete.
BACKUP_DIR = env.path("DJANGO_BACKUP_DIR", default=BASE_DIR / "backups")
BACKUP_KEEP = env_positive_int("DJANGO_BACKUP_KEEP", default=7)

# The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (serving/proxy.py):
# addresses or networks. Default: a proxy on the same machine.
TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES", default="127.0.0.1,::1")

# While this file exists, /readyz answers 503 "draining" (serving/probes.py): a stop hook
# creates it, so that balancers stop sending new requests before the process stops.
# Empty: never draining. The path is read once; the file is looked for per request.
DRAIN_FILE = env.str("DJANGO_DRAIN_FILE", default="")

# Sign-in limits: allauth's rate limits, counted in the default cache, for the site's
# sign-in and the admin's alike (urls.py). An address (IPv6: its /64, an IPv4-mapped
# address as IPv4; users/adapters.py) is refused for LOGIN_LOCKOUT_SECONDS after
# LOGIN_FAILURE_LIMIT failed sign-ins, whatever account they tried; what was typed
# as the login, after LOGIN_FAILURE_LIMIT_PER_USERNAME failures from any addresses.
# Once refused, the right password gets the same answer as a wrong one. Passkey
# sign-in and a password reset by mail have no per-account limit: nobody else's
# failures keep a person out through them (README, "Sign-in limits").
# https://docs.allauth.org/en/latest/account/rate_limits.html
LOGIN_FAILURE_LIMIT = env_positive_int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_USERNAME = env_positive_int(
    "DJANGO_LOGIN_FAILURE_LIMIT_PER_USERNAME", default=50
)
LOGIN_LOCKOUT_SECONDS = env_positive_int("DJANGO_LOGIN_LOCKOUT_SECONDS", default=15 * 60)
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"{LOGIN_FAILURE_LIMIT}/{LOGIN_LOCKOUT_SECONDS}s/ip,"
        f"{LOGIN_FAILURE_LIMIT_PER_USERNAME}/{LOGIN_LOCKOUT_SECONDS}s/key"
    ),
}
ALLAUTH_RATE_LIMIT_IPV6_PREFIX = 64
{%- if cookiecutter.api == "ninja" %}

# The API (api/, django-ninja): https://django-ninja.dev/
API_TITLE = {{ (cookiecutter.project_name ~ " API") | python_string }}
# Requests per user, and per client address, counted in the default cache (api/security.py).
# https://django-ninja.dev/guides/throttling/
API_THROTTLE_RATE = env.str("DJANGO_API_THROTTLE_RATE", default="120/m")
{%- endif %}
