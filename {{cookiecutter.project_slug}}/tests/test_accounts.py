"""Accounts through Django's test client: sign-up, the mailed confirmation, sign-in,
sign-out and a password reset by mail, as django-allauth serves them at /accounts/.

Mail lands in ``django.core.mail.outbox``{% if cookiecutter.use_tasks %}, sent by the task that the test
settings run at once{% endif %}.

See https://docs.allauth.org/en/latest/account/index.html
"""

import re
import socket

import pytest
from django.core import mail
from django.core.cache import cache

PASSWORD = "a-long-test-password-1234"
NEW_PASSWORD = "another-long-password-5678"
ADDRESS = "ada@example.com"
{%- if cookiecutter.username_type == "email" %}
SIGN_UP = {"email": ADDRESS, "password1": PASSWORD, "password2": PASSWORD}
{%- else %}
SIGN_UP = {"email": ADDRESS, "username": "ada", "password1": PASSWORD, "password2": PASSWORD}
{%- endif %}


@pytest.fixture(autouse=True)
def fresh_limits():
    """allauth's rate limits and mail cool-downs live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def link_in(message, path):
    """The path of the first link in a mail that starts with ``path``."""
    return re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]+)", message.body).group(1)


def sign_in(client, login, password=PASSWORD):
    return client.post("/accounts/login/", {"login": login, "password": password})


def signed_in_as(client):
    return client.get("/").context["user"]


@pytest.fixture
def confirmed(client):
    """Ada, signed up and her address confirmed, signed out; the outbox emptied."""
    client.post("/accounts/signup/", SIGN_UP)
    confirmation = link_in(mail.outbox[-1], "/accounts/confirm-email/")
    client.post(confirmation)
    mail.outbox.clear()
    return client


@pytest.mark.django_db
def test_a_person_signs_up_confirms_the_mailed_link_and_signs_in(client):
    page = client.get("/accounts/signup/")
    assert page.status_code == 200

    answer = client.post("/accounts/signup/", SIGN_UP)

    assert (answer.status_code, answer["Location"]) == (302, "/accounts/confirm-email/")
    [message] = mail.outbox
    assert message.to == [ADDRESS]
    assert "Confirm" in message.subject
    # Not yet: the address is unconfirmed, so the sign-in stops at "check your mail".
    assert sign_in(client, ADDRESS)["Location"] == "/accounts/confirm-email/"
    assert not signed_in_as(client).is_authenticated

    confirmation = link_in(message, "/accounts/confirm-email/")
    assert client.get(confirmation).status_code == 200
    assert client.post(confirmation).status_code == 302

    answer = sign_in(client, ADDRESS)
    assert (answer.status_code, answer["Location"]) == (302, "/")
    assert signed_in_as(client).email == ADDRESS
{%- if cookiecutter.username_type == "username" %}


@pytest.mark.django_db
def test_a_person_signs_in_with_the_username_as_well_as_the_address(confirmed):
    answer = sign_in(confirmed, "ada")

    assert answer["Location"] == "/"
    assert signed_in_as(confirmed).get_username() == "ada"
{%- endif %}


@pytest.mark.django_db
def test_a_wrong_password_signs_nobody_in(confirmed):
    answer = sign_in(confirmed, ADDRESS, "not-the-password")

    assert answer.status_code == 200
    assert "not correct" in answer.text
    assert not signed_in_as(confirmed).is_authenticated


@pytest.mark.django_db
def test_signing_out_takes_a_post_and_a_get_only_asks(confirmed):
    sign_in(confirmed, ADDRESS)

    asked = confirmed.get("/accounts/logout/")
    assert asked.status_code == 200
    assert signed_in_as(confirmed).is_authenticated

    answer = confirmed.post("/accounts/logout/")
    assert (answer.status_code, answer["Location"]) == (302, "/")
    assert not signed_in_as(confirmed).is_authenticated


@pytest.mark.django_db
def test_account_mail_has_an_html_part_in_the_site_s_colours_with_the_same_link(client):
    client.post("/accounts/signup/", SIGN_UP)

    [message] = mail.outbox
    [(html, mimetype)] = message.alternatives
    confirmation = link_in(message, "/accounts/confirm-email/")
    assert mimetype == "text/html"
    assert isinstance(html, str)
    assert "background: #064e3b" in html
    assert f'{confirmation}" rel="nofollow">' in html


@pytest.mark.django_db
def test_a_password_is_reset_through_the_mailed_link(confirmed):
    confirmed.post("/accounts/password/reset/", {"email": ADDRESS})
    [message] = mail.outbox
    reset = link_in(message, "/accounts/password/reset/key/")

    # The link's key moves from the URL to the session before the form shows.
    form = confirmed.get(reset)
    assert form.status_code == 302
    new_password = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    done = confirmed.post(form["Location"], new_password)
    # The link signs its owner in (ACCOUNT_LOGIN_ON_PASSWORD_RESET).
    assert done["Location"] == "/"
    assert signed_in_as(confirmed).email == ADDRESS

    confirmed.post("/accounts/logout/")
    assert sign_in(confirmed, ADDRESS, PASSWORD).status_code == 200
    assert sign_in(confirmed, ADDRESS, NEW_PASSWORD)["Location"] == "/"


@pytest.mark.django_db
def test_a_reset_for_an_unknown_address_reveals_nothing(client):
    answer = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert answer["Location"] == "/accounts/password/reset/done/"


@pytest.mark.django_db
def test_the_navigation_offers_sign_in_and_sign_up_then_names_who_is_signed_in(confirmed):
    anonymous = confirmed.get("/").text
    assert 'href="/accounts/login/"' in anonymous
    assert 'href="/accounts/signup/"' in anonymous

    sign_in(confirmed, ADDRESS)
    page = confirmed.get("/").text
    assert f"Signed in as {signed_in_as(confirmed).get_username()}" in page
    assert 'action="/accounts/logout/"' in page


@pytest.mark.django_db
def test_the_account_pages_use_the_site_s_layout(confirmed):
    sign_in(confirmed, ADDRESS)

    for path in ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]:
        page = confirmed.get(path)
        assert page.status_code == 200, path
        assert 'class="site-header' in page.text, path
        assert 'aria-label="Account"' in page.text, path


@pytest.fixture
def refusing_mail_server(settings):
    """Mail sent through SMTP to a loopback port on which nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }


@pytest.mark.django_db
def test_a_mail_server_that_refuses_the_mail_does_not_break_the_sign_up(
    client, refusing_mail_server, caplog
):
    answer = client.post("/accounts/signup/", SIGN_UP, follow=True)

    assert answer.status_code == 200
    assert answer.redirect_chain[0] == ("/accounts/confirm-email/", 302)
{%- if cookiecutter.use_tasks %}
    # The task failed, not the page: the worker records it, with the traceback.
    [record] = [r for r in caplog.records if r.name == "django.tasks" and r.levelname == "ERROR"]
    assert "send_account_email state=FAILED" in record.getMessage()
{%- else %}
    assert "could not send the email" in answer.text
    [record] = [r for r in caplog.records if r.name.endswith("users.adapters")]
    assert record.getMessage().startswith(f"Account email to '{ADDRESS}' not sent")
{%- endif %}


@pytest.mark.django_db
def test_the_sign_in_page_offers_a_passkey_with_allauth_s_script_from_static_files(client):
    page = client.get("/accounts/login/").text

    assert 'id="passkey_login"' in page
    assert 'src="/static/mfa/js/webauthn.js"' in page
    # Every script without a src is data (JSON), which a browser never runs: the CSP holds.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline != []
    assert all('type="application/json"' in attributes for attributes in inline)


@pytest.mark.django_db
def test_the_second_factor_pages_ask_for_the_password_again_first(confirmed):
    sign_in(confirmed, ADDRESS)

    for path in ["/accounts/2fa/totp/activate/", "/accounts/2fa/webauthn/add/"]:
        answer = confirmed.get(path)
        assert answer.status_code == 302, path
        assert answer["Location"].startswith("/accounts/reauthenticate/"), path
