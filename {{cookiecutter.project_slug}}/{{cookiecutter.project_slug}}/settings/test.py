"""Settings for the project's own tests (pyproject.toml names them to pytest-django).

The stack of production: the same apps and middleware, and the Content Security
Policy enforced, so that what breaks there breaks here first. Only what makes a
test slow or reach outside changes.

See https://docs.djangoproject.com/en/6.1/topics/testing/overview/
"""

from .base import *  # noqa: F403

# Django's test client asks for "testserver"; the tests that drive the ASGI app, "localhost".
ALLOWED_HOSTS = ["testserver", "localhost"]

# Hashing a password takes a good part of a second by design, and tests sign in often.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Mail stays in memory, in django.core.mail.outbox.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
{%- if cookiecutter.use_tasks %}

# A task runs when it is enqueued, in the test's process: no worker to start. The
# production server that some tests start queues them in the database, as it should.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
{%- endif %}
