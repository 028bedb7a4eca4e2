"""asgi.py serves Django's own ASGI handler inside the serving wrappers, driven directly.

Each test sends a request to the project's real ASGI application with asgiref's
ApplicationCommunicator, as daphne would, without a server process.
"""

import pytest
from asgiref.sync import async_to_sync
from django.contrib.sessions.backends.db import SessionStore
from django.core.handlers.asgi import ASGIHandler

from {{ cookiecutter.project_slug }}.asgi import application

from .conftest import asgi_request

request = async_to_sync(asgi_request)


def innermost(wrapper):
    """The application at the end of a chain of wrappers that each hold ``application``."""
    while hasattr(wrapper, "application"):
        wrapper = wrapper.application
    return wrapper


def test_http_reaches_django_s_own_asgi_handler_inside_the_wrappers():
    handler = innermost(application)
{%- if cookiecutter.use_channels %}
    handler = handler.application_mapping["http"]
{%- endif %}

    # Exactly Django's class: settings.MIDDLEWARE is what runs, as Django runs it.
    assert type(handler) is ASGIHandler


@pytest.mark.django_db(transaction=True)
def test_a_page_answers_when_csrf_tokens_live_in_the_session(settings):
    settings.CSRF_USE_SESSIONS = True
    session = SessionStore()
    session["visits"] = 1
    session.create()
    cookie = (b"cookie", f"sessionid={session.session_key}".encode())

    status, _, page = request(application, "GET", "/", headers=[cookie])

    assert status == 200
    assert "It works." in page
