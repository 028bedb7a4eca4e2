"""The sign-in limits (allauth's rate limits, settings/base.py): what they refuse, to whom,
and what they never tell or take away.

Most tests drive the sign-in form through Django's test client, each request from
the address it names (REMOTE_ADDR, as serving/proxy.py leaves it); the last ones go
through a real daphne behind a proxy on this machine, which names the client in
X-Forwarded-For as in production.
"""

import http.client
import json
import random
import re
import secrets

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache

from {{ cookiecutter.project_slug }}.users.adapters import canonical_address
from {{ cookiecutter.project_slug }}.users.models import User

from .conftest import ADD_ADMINISTRATORS, LOGIN_LIMIT, in_production, sign_in

LIMIT = 2
LIMIT_PER_LOGIN = 4
PASSWORD = "a-long-test-password-1234"
REFUSED = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def low_limits(settings):
    """Two failures per address, four per login, counted afresh for each test."""
    settings.ACCOUNT_RATE_LIMITS = {
        "login_failed": f"{LIMIT}/300s/ip,{LIMIT_PER_LOGIN}/300s/key",
    }
    cache.clear()
    yield
    cache.clear()


def person(name):
    """A confirmed account; returns what its owner types as the login."""
{%- if cookiecutter.username_type == "email" %}
    login = f"{name}@example.com"
    user = User.objects.create_user(login, password=PASSWORD)
{%- else %}
    login = name
    user = User.objects.create_user(name, email=f"{name}@example.com", password=PASSWORD)
{%- endif %}
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return login


def attempt(client, login, password, address):
    return client.post(
        "/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR=address
    )


def fail(client, login, address, times=LIMIT):
    for _ in range(times):
        answer = attempt(client, login, "not-the-password", address)
        assert answer.status_code == 200
        assert REFUSED not in answer.text


def signed_in(answer):
    return (answer.status_code, answer.get("Location")) == (302, "/")


def form_errors(answer):
    """What the page tells about the attempt: its error list, without the CSRF token."""
    return re.findall(r'role="alert">(.*?)</ul>', answer.text, flags=re.DOTALL)


@pytest.mark.django_db
def test_an_address_that_failed_too_often_is_refused_even_with_the_right_password(client):
    login = person("refused")
    fail(client, login, "10.0.0.1")

    answer = attempt(client, login, PASSWORD, "10.0.0.1")

    assert not signed_in(answer)
    assert REFUSED in answer.text


@pytest.mark.django_db
def test_once_refused_the_right_password_gets_the_same_answer_as_a_wrong_one(client):
    login = person("oracle")
    fail(client, login, "10.0.0.2")

    right = attempt(client, login, PASSWORD, "10.0.0.2")
    wrong = attempt(client, login, "another-wrong-guess", "10.0.0.2")

    assert (right.status_code, form_errors(right)) == (wrong.status_code, form_errors(wrong))
    assert form_errors(right) != []


@pytest.mark.django_db
def test_the_address_limit_covers_every_account_tried_from_it(client):
    first, second = person("first"), person("second")
    fail(client, first, "10.0.0.3", times=1)
    fail(client, second, "10.0.0.3", times=1)

    assert not signed_in(attempt(client, second, PASSWORD, "10.0.0.3"))


@pytest.mark.django_db
def test_another_address_still_signs_in_to_the_same_account(client):
    login = person("shared")
    fail(client, login, "10.0.0.4")

    assert signed_in(attempt(client, login, PASSWORD, "10.0.0.5"))


@pytest.mark.django_db
def test_a_login_that_failed_from_many_addresses_is_refused_a_password_everywhere(client):
    login, bystander = person("targeted"), person("bystander")
    for number in range(LIMIT_PER_LOGIN // LIMIT):
        fail(client, login, f"10.1.0.{number + 1}")

    assert not signed_in(attempt(client, login, PASSWORD, "10.1.1.1"))
    assert signed_in(attempt(client, bystander, PASSWORD, "10.1.1.1"))


@pytest.mark.django_db
def test_the_owner_of_a_refused_login_still_gets_in_through_a_reset_by_mail(client):
    login = person("locked")
    for number in range(LIMIT_PER_LOGIN // LIMIT):
        fail(client, login, f"10.2.0.{number + 1}")

    client.post(
        "/accounts/password/reset/", {"email": "locked@example.com"}, REMOTE_ADDR="10.2.1.1"
    )
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", str(message.body))
    assert link
    form = client.get(link[1], REMOTE_ADDR="10.2.1.1")
    new = {"password1": "a-new-long-password-42", "password2": "a-new-long-password-42"}
    answer = client.post(form["Location"], new, REMOTE_ADDR="10.2.1.1")

    # The link signed its owner in, whatever the failures counted against the login.
    assert signed_in(answer)
    assert client.get("/").context["user"].get_username() == login
    # And cleared the count of the address as a login: it signs in with the new password.
    client.post("/accounts/logout/")
    assert signed_in(attempt(client, "locked@example.com", "a-new-long-password-42", "10.2.1.2"))


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("::ffff:127.0.0.80", "127.0.0.80"),
        ("0:0:0:0:0:ffff:7f00:50", "127.0.0.80"),
        ("127.0.0.80", "127.0.0.80"),
        ("::2", "::2"),
        ("0:0:0:0:0:0:0:2", "::2"),
        ("0000:0000:0000:0000:0000:0000:0000:0002", "::2"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
    ],
)
def test_an_address_is_counted_in_one_spelling(spelling, canonical):
    assert canonical_address(spelling) == canonical


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spellings",
    [
        pytest.param(["127.0.0.80", "::ffff:127.0.0.80", "127.0.0.80"], id="IPv4-mapped"),
        pytest.param(["::2", "0:0:0:0:0:0:0:2", "0000::0002"], id="IPv6 expanded"),
        pytest.param(["2001:db8::1", "2001:DB8:0:0::1", "2001:db8::1"], id="IPv6 upper case"),
        pytest.param(["2001:db8::1", "2001:db8::ffff:2", "2001:db8::3"], id="same IPv6 /64"),
    ],
)
def test_another_spelling_of_the_same_client_does_not_escape_the_limit(client, spellings):
    login = person("spelt")
    for address in spellings[:LIMIT]:
        fail(client, login, address, times=1)

    assert not signed_in(attempt(client, login, PASSWORD, spellings[LIMIT]))


@pytest.mark.django_db
def test_another_ipv6_network_is_another_client(client):
    login = person("neighbour")
    fail(client, login, "2001:db8:0:1::1")

    assert signed_in(attempt(client, login, PASSWORD, "2001:db8:0:2::1"))


@pytest.mark.django_db
def test_a_failed_sign_in_is_logged_in_one_line_without_the_password(client, caplog):
    login = person("logged")

    fail(client, login, "::ffff:10.3.0.1", times=1)

    [record] = [r for r in caplog.records if r.name.endswith("users.adapters")]
    assert record.levelname == "WARNING"
    assert record.getMessage() == f"Failed sign-in from 10.3.0.1 for {login!r}"
    assert "not-the-password" not in caplog.text


@pytest.mark.django_db
def test_the_admin_s_own_password_form_signs_nobody_in(client, admin_client):
    login = person("insider")
    credentials = {"username": login, "password": PASSWORD}

    anonymous = client.post("/admin/login/", credentials)
    staff = admin_client.post("/admin/login/?next=/admin/users/", credentials)

    assert anonymous["Location"] == "/accounts/login/?next=%2Fadmin%2Flogin%2F"
    assert not client.get("/").context["user"].is_authenticated
    # A staff member goes on to the admin, still signed in as themselves.
    assert staff["Location"] == "/admin/users/"
    assert admin_client.get("/").context["user"].is_superuser


@pytest.mark.django_db
def test_the_admin_refuses_a_signed_in_person_who_is_not_staff(client):
    login = person("visitor")
    attempt(client, login, PASSWORD, "10.4.0.1")

    assert client.get("/admin/login/").status_code == 403
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_where_the_settings_say_so_the_admin_refuses_staff_without_a_second_factor(
    admin_client, admin_user, settings
):
    settings.ADMIN_REQUIRES_MFA = True

    refused = admin_client.get("/admin/")
    assert refused["Location"] == "/admin/login/?next=/admin/"
    page = admin_client.get(refused["Location"])
    assert page.status_code == 403
    assert 'href="/accounts/2fa/"' in page.text

    Authenticator.objects.create(
        user=admin_user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    assert admin_client.get("/admin/").status_code == 200


class Client:
    """A browser on an address of its own, behind the proxy on this machine.

    ``forged`` is what the client itself writes in X-Forwarded-For; the proxy
    appends the address it sees, as nginx's ``$proxy_add_x_forwarded_for`` does.
    It sends requests as conftest's ``Daphne`` does, so ``sign_in`` drives it.
    """

    def __init__(self, server):
        self.port = server.port
        self.address = "10." + ".".join(str(random.randint(1, 254)) for _ in range(3))
        self.forged = None

    def get(self, path, headers=None):
        return self.request(path, headers=headers)

    def request(self, path, method="GET", headers=None, data=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        forwarded_for = f"{self.forged}, {self.address}" if self.forged else self.address
        headers = {**(headers or {}), "X-Forwarded-For": forwarded_for}
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def accounts(daphne_prod):
    """Administrators of the production daphne (conftest.py: 2 failures per address)."""
    suffix = secrets.token_hex(4)
{%- if cookiecutter.username_type == "email" %}
    logins = {role: f"{role}-{suffix}@example.com" for role in ["forged", "proxied"]}
{%- else %}
    logins = {role: f"{role}-{suffix}" for role in ["forged", "proxied"]}
{%- endif %}
    script = ADD_ADMINISTRATORS.format(usernames=list(logins.values()), password=PASSWORD)
    in_production(daphne_prod, script)
    return logins


def test_a_client_cannot_escape_the_limit_by_writing_x_forwarded_for(daphne_prod, accounts):
    client = Client(daphne_prod)
    for attempt_number in range(LOGIN_LIMIT["failures"]):
        client.forged = f"203.0.113.{attempt_number + 1}"
        status, _, page = sign_in(client, accounts["forged"], "not-the-password")
        assert (status, REFUSED in page) == (200, False)

    client.forged = "203.0.113.99"
    status, _, page = sign_in(client, accounts["forged"], PASSWORD)

    assert (status, REFUSED in page) == (200, True)


def test_behind_the_proxy_one_client_s_failures_do_not_refuse_another(daphne_prod, accounts):
    guesser, owner = Client(daphne_prod), Client(daphne_prod)
    for _ in range(LOGIN_LIMIT["failures"]):
        sign_in(guesser, accounts["proxied"], "not-the-password")
    assert REFUSED in sign_in(guesser, accounts["proxied"], PASSWORD)[2]

    status, headers, _ = sign_in(owner, accounts["proxied"], PASSWORD)

    assert (status, headers["Location"]) == (302, "/admin/")
    logged = daphne_prod.logged(f"Failed sign-in from {guesser.address} ")
    assert json.loads(logged[0])["level"] == "WARNING"
