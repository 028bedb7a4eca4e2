"""The production settings, with a page that fails (sentry_urls.py): for test_sentry.py."""

from {{ cookiecutter.project_slug }}.settings.prod import *  # noqa: F403

ROOT_URLCONF = "tests.sentry_urls"
