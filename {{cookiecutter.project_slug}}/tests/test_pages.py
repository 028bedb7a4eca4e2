"""Every page that renders a template answers a visitor with a session, under a real daphne.

base.html shows the signed-in user, so each page reads the session and the user
from the database: proof that template views never render on the event loop.
"""

import pytest

from .conftest import ADMIN, cookies_of, in_production, sign_in

HTTPS = {"X-Forwarded-Proto": "https"}
PAGES = [
    ("/", 200),
    ("/components/", 200),
    ("/no-such-page", 404),
{%- if cookiecutter.use_channels %}
    ("/rooms/lobby/", 200),
{%- endif %}
]
NEW_ANONYMOUS_SESSION = """
from importlib import import_module
from django.conf import settings
session = import_module(settings.SESSION_ENGINE).SessionStore()
session["visited"] = True
session.create()
print(session.session_key)
"""


@pytest.fixture(scope="module")
def signed_in(daphne_prod):
    status, headers, _ = sign_in(daphne_prod)
    assert status == 302, "the administrator could not sign in"
    return {**HTTPS, "Cookie": f"sessionid={cookies_of(headers)['sessionid']}"}


@pytest.fixture(scope="module")
def anonymous_with_a_session(daphne_prod):
    session_key = in_production(daphne_prod, NEW_ANONYMOUS_SESSION).stdout.strip()
    return {**HTTPS, "Cookie": f"sessionid={session_key}"}


@pytest.mark.parametrize(("path", "expected"), PAGES)
def test_a_signed_in_user_sees_every_page_with_their_name(daphne_prod, signed_in, path, expected):
    status, _, page = daphne_prod.get(path, headers=signed_in)

    assert status == expected
    assert f"Signed in as {ADMIN['username']}" in page


@pytest.mark.parametrize(("path", "expected"), PAGES)
def test_an_anonymous_visitor_with_a_session_sees_every_page(
    daphne_prod, anonymous_with_a_session, path, expected
):
    status, _, page = daphne_prod.get(path, headers=anonymous_with_a_session)

    assert status == expected
    assert "Signed in as" not in page
