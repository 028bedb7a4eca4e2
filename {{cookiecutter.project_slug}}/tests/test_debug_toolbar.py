"""The dev server: the Django Debug Toolbar on every page for this machine (absent in prod),
and the Content Security Policy reported rather than enforced.

One real ``manage.py runserver`` (daphne's, with the dev settings) serves the module.

See https://django-debug-toolbar.readthedocs.io/en/latest/
"""

import json
import os
import re

import pytest

from .conftest import Runserver, in_production, run

DEV_SETTINGS = "{{ cookiecutter.project_slug }}.settings.dev"
REQUEST_ID = re.compile(r'data-request-id="([0-9a-f]+)"')


@pytest.fixture(scope="module")
def runserver(tmp_path_factory):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": DEV_SETTINGS,
{%- if cookiecutter.database == "sqlite" %}
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('runserver') / 'db.sqlite3'}",
{%- endif %}
    }
    server = Runserver(env)
    yield server
    server.stop()


def test_the_toolbar_shows_on_a_page_served_by_runserver(runserver):
    status, _, page = runserver.get("/")

    assert status == 200
    assert 'id="djDebugToolbarHandle"' in page
    request_id = REQUEST_ID.search(page).group(1)
    query = f"request_id={request_id}&panel_id=VersionsPanel"
    status, _, panel = runserver.get(f"/__debug__/render_panel/?{query}")
    assert status == 200
    assert "Django" in json.loads(panel)["content"]


def test_an_async_view_answers_under_the_toolbar_which_records_it(runserver):
    status, headers, body = runserver.get("/readyz")

    # Its database is whatever the dev settings name, migrated or not: either answer
    # is the async view's own.
    assert (status, body) in {(200, "ok"), (503, "unavailable: migrations")}
    # The toolbar's history panel names the request it recorded; its headers panel shows it.
    query = f"request_id={headers['djdt-request-id']}&panel_id=HeadersPanel"
    status, _, panel = runserver.get(f"/__debug__/render_panel/?{query}")
    assert status == 200
    assert "/readyz" in json.loads(panel)["content"]


def test_the_dev_server_reports_what_the_content_security_policy_would_block(runserver):
    _, headers, _ = runserver.get("/")

    # Production's policy, in the header that makes the browser report instead of block.
    assert "script-src 'self'" in headers["Content-Security-Policy-Report-Only"]
    assert "Content-Security-Policy" not in headers


def test_the_dev_settings_without_the_dev_group_stop_in_one_line():
    # As in a venv without the dev group: the toolbar cannot be found.
    without_toolbar = (
        "import runpy, sys\n"
        "sys.modules['debug_toolbar'] = None\n"
        "sys.argv = ['manage.py', 'check']\n"
        "runpy.run_path('manage.py', run_name='__main__')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": DEV_SETTINGS}
    finished = run(["-c", without_toolbar], env=env)

    assert finished.returncode == 1
    assert finished.stderr.splitlines() == [
        "ImproperlyConfigured: the dev settings need the dev dependency group: "
        "uv sync, or pip install --group dev -e ."
    ]


def test_prod_has_no_toolbar_and_never_imports_it(prod_env):
    finished = in_production(
        prod_env,
        "import sys\n"
        "from django.conf import settings\n"
        "from django.urls import Resolver404, resolve\n"
        "print([name for name in settings.INSTALLED_APPS if 'debug_toolbar' in name])\n"
        "print([name for name in settings.MIDDLEWARE if 'debug_toolbar' in name])\n"
        "try:\n"
        "    resolve('/__debug__/render_panel/')\n"
        "    print('resolved')\n"
        "except Resolver404:\n"
        "    print('no __debug__')\n"
        "print([name for name in sys.modules if name.startswith('debug_toolbar')])\n",
    )

    assert finished.stdout.splitlines() == ["[]", "[]", "no __debug__", "[]"]
