"""Accounts as a person meets them: Debian's chromium on a project served in production.

daphne serves the production settings behind what a TLS proxy would add
(X-Forwarded-Proto: https), at http://localhost: a passkey's relying party is the
page's host, which may not be an IP address, and Chromium counts localhost as a
secure context. Mail goes through DJANGO_EMAIL_URL to a loopback SMTP server, sent
by the task worker. Every page is checked for Content Security Policy violations.
"""

import base64
import email
import hashlib
import hmac
import re
import struct
import time

import pytest

from tests.production import deploy, manage, production_environment
from tests.services import Daphne, SMTPSink, free_port
from tests.test_browser import WITH_ROOMS, open_page  # noqa: F401 (a fixture)

PASSWORD = "a-long-test-password-1234"
CONFIRMED_PERSON = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

user = get_user_model().objects.create_user(
    {username!r}, email={email!r}, password={password!r}, is_staff={staff!r}
)
EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
"""


def serve_accounts(baked_projects, tmp_path, **settings):
    """The rooms variant in production settings at http://localhost, mailing to a sink."""
    project = baked_projects(WITH_ROOMS).project_path
    port = free_port()
    sink = SMTPSink()
    env = production_environment(
        project,
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_ALLOWED_HOSTS="localhost",
        DJANGO_CSRF_TRUSTED_ORIGINS=f"http://localhost:{port}",
        DJANGO_EMAIL_URL=sink.url,
        **settings,
    )
    deploy(project, env)
    server = Daphne(project, env, port=port)
    server.project, server.env, server.sink = project, env, sink
    server.base = f"http://localhost:{port}"
    yield server
    server.stop()
    sink.stop()


@pytest.fixture
def accounts_site(baked_projects, tmp_path):
    yield from serve_accounts(baked_projects, tmp_path)


@pytest.fixture
def site_whose_admin_requires_mfa(baked_projects, tmp_path):
    yield from serve_accounts(baked_projects, tmp_path, DJANGO_ADMIN_REQUIRES_MFA="true")


@pytest.fixture
def browser(request):
    """One page of test_browser.py's chromium, which records CSP violations and errors."""
    return request.getfixturevalue("open_page")()


def person(site, name, staff=False):
    """A confirmed account made on the server; returns its username."""
    address = f"{name}@example.com"
    script = CONFIRMED_PERSON.format(username=name, email=address, password=PASSWORD, staff=staff)
    manage(site.project, site.env, "shell", "-c", script)
    return name


def mailed_path(site, address, path):
    """Send the queued mail (the task worker, once), then the path of the link in it."""
    manage(site.project, site.env, "db_worker", "--batch")
    [received] = site.sink.received(address)
    message = email.message_from_string(received)
    [text] = [part for part in message.walk() if part.get_content_type() == "text/plain"]
    body = text.get_payload(decode=True).decode()
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", body)[1]


def sign_in_with_password(page, site, login):
    page.goto(site.base + "/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form[action='/accounts/login/'] button[type=submit]")


def open_sensitive(page, site, path):
    """Open an MFA page, giving the password again first, as allauth asks before these."""
    page.goto(site.base + path)
    if "/accounts/reauthenticate/" in page.url:
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
    assert page.url == site.base + path


def sign_out(page):
    page.click("header form button[type=submit]")
    page.locator("header a[href='/accounts/login/']").wait_for()


def signed_in_as(page):
    return page.locator(".site-user").inner_text(timeout=10_000)


def totp(secret, counter):
    """The six-digit code of RFC 6238 for a base32 secret and a 30-second counter."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


@pytest.mark.xdist_group(WITH_ROOMS)
def test_a_person_signs_up_confirms_the_mailed_link_and_signs_in(accounts_site, browser):
    site, page = accounts_site, browser
    page.goto(site.base + "/")
    page.click("header a[href='/accounts/signup/']")
    page.fill("#id_email", "ada@example.com")
    page.fill("#id_username", "ada")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main form[action='/accounts/signup/'] button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")

    page.goto(site.base + mailed_path(site, "ada@example.com", "/accounts/confirm-email/"))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/login/")
    sign_in_with_password(page, site, "ada")

    assert signed_in_as(page) == "Signed in as ada"
    assert page.csp_violations == []
    assert page.console_errors == []


@pytest.mark.xdist_group(WITH_ROOMS)
def test_a_person_resets_a_forgotten_password_by_mail(accounts_site, browser):
    site, page = accounts_site, browser
    person(site, "grace")
    page.goto(site.base + "/accounts/password/reset/")
    page.fill("#id_email", "grace@example.com")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/password/reset/done/")

    page.goto(site.base + mailed_path(site, "grace@example.com", "/accounts/password/reset/key/"))
    page.fill("#id_password1", "a-new-long-password-42")
    page.fill("#id_password2", "a-new-long-password-42")
    page.click("main form button[type=submit]")

    assert signed_in_as(page) == "Signed in as grace"
    assert page.csp_violations == []


def enrol_an_authenticator_app(page, site):
    """Activate TOTP for the signed-in person; returns its secret."""
    open_sensitive(page, site, "/accounts/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", totp(secret, int(time.time()) // 30))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/2fa/(recovery-codes/)?$"))
    return secret


@pytest.mark.xdist_group(WITH_ROOMS)
def test_a_person_enrols_an_authenticator_app_and_signs_in_with_its_code(accounts_site, browser):
    site, page = accounts_site, browser
    person(site, "alan")
    sign_in_with_password(page, site, "alan")
    secret = enrol_an_authenticator_app(page, site)
    sign_out(page)

    sign_in_with_password(page, site, "alan")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    # The next period's code: the one just used for enrolment is never taken twice.
    page.fill("#id_code", totp(secret, int(time.time()) // 30 + 1))
    page.click("main form button[type=submit]")

    assert signed_in_as(page) == "Signed in as alan"
    assert page.csp_violations == []
    assert page.console_errors == []


@pytest.mark.xdist_group(WITH_ROOMS)
def test_where_the_settings_say_so_the_admin_refuses_staff_until_they_have_a_second_factor(
    site_whose_admin_requires_mfa, browser
):
    site, page = site_whose_admin_requires_mfa, browser
    person(site, "grace", staff=True)
    sign_in_with_password(page, site, "grace")

    refused = page.goto(site.base + "/admin/")
    assert refused.status == 403
    assert page.locator("main a[href='/accounts/2fa/']").count() >= 1

    enrol_an_authenticator_app(page, site)
    page.goto(site.base + "/admin/")
    assert page.locator("#site-name").is_visible()
    assert page.csp_violations == []


@pytest.mark.xdist_group(WITH_ROOMS)
def test_a_person_registers_a_passkey_and_signs_in_with_it_alone(accounts_site, browser):
    site, page = accounts_site, browser
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    person(site, "hedy")
    sign_in_with_password(page, site, "hedy")
    open_sensitive(page, site, "/accounts/2fa/webauthn/add/")
    page.fill("#id_name", "This laptop")
    page.check("#id_passwordless")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(re.compile(r"/accounts/2fa/(webauthn/|recovery-codes/)?$"))
    sign_out(page)

    page.goto(site.base + "/accounts/login/")
    page.click("#passkey_login")

    assert signed_in_as(page) == "Signed in as hedy"
    assert page.csp_violations == []
    assert page.console_errors == []


@pytest.mark.xdist_group(WITH_ROOMS)
def test_no_account_page_breaks_the_content_security_policy(accounts_site, browser):
    site, page = accounts_site, browser
    paths = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
    for path in paths:
        assert page.goto(site.base + path).status == 200, path
    person(site, "barbara")
    sign_in_with_password(page, site, "barbara")
    signed_in_as(page)
    for path in ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]:
        assert page.goto(site.base + path).status == 200, path
    for path in [
        "/accounts/2fa/totp/activate/",
        "/accounts/2fa/webauthn/add/",
        "/accounts/2fa/recovery-codes/generate/",
    ]:
        open_sensitive(page, site, path)
        page.wait_for_load_state("networkidle")
    assert page.goto(site.base + "/accounts/logout/").status == 200

    assert page.csp_violations == []
    assert page.console_errors == []
