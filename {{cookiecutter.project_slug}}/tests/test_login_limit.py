"""Failed admin logins are logged, and refused after too many, through a real daphne.

Each client comes through a proxy on this machine (127.0.0.1, trusted by
default), which names the client's address in X-Forwarded-For, as in production.
Addresses and usernames are drawn afresh per run: tests that share a Redis
cache never count each other's failures.
"""

import http.client
import json
import random
import secrets
import time

import pytest

from .conftest import ADD_ADMINISTRATORS, LOGIN_LIMIT, in_production, sign_in

LIMIT = LOGIN_LIMIT["failures"]
LIMIT_PER_USERNAME = LOGIN_LIMIT["failures_per_username"]
WINDOW = LOGIN_LIMIT["seconds"]
PASSWORD = "a-long-test-password-1234"
HTTPS = {"X-Forwarded-Proto": "https"}
{%- if cookiecutter.username_type == "email" %}
WRONG = "Please enter the correct email address and password"
{%- else %}
WRONG = "Please enter the correct username and password"
{%- endif %}


@pytest.fixture(scope="module")
def users():
    """Usernames (what the login form calls its first field) by the test, new for each run."""
    suffix = secrets.token_hex(4)
    roles = ["refused", "shared", "patient", "targeted", "bystander", "logged", "forged"]
{%- if cookiecutter.username_type == "email" %}
    return {role: f"{role}-{suffix}@example.com" for role in roles}
{%- else %}
    return {role: f"{role}-{suffix}" for role in roles}
{%- endif %}


@pytest.fixture(scope="module")
def server(daphne_prod, users):
    """The production daphne (conftest.py: a low limit, a short window), with these users."""
    administrators = ADD_ADMINISTRATORS.format(usernames=list(users.values()), password=PASSWORD)
    in_production(daphne_prod, administrators)
    return daphne_prod


class Client:
    """A browser on an address of its own, behind the proxy, logging in as a person would.

    ``forged`` is what the client itself writes in X-Forwarded-For; the proxy
    appends the address it sees, as nginx's ``$proxy_add_x_forwarded_for`` does.
    It sends requests as ``Daphne`` does, so conftest's ``sign_in`` drives it.
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
        headers = {**HTTPS, "X-Forwarded-For": forwarded_for, **(headers or {})}
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

    def log_in(self, username, password):
        """Send the login form; return the answer's status, headers and page."""
        return sign_in(self, username, password)

    def fail(self, username, times=LIMIT):
        for _ in range(times):
            status, _, page = self.log_in(username, "not-the-password")
            assert (status, WRONG in page) == (200, True)


def signed_in(answer):
    status, headers, _ = answer
    return (status, headers["Location"]) == (302, "/admin/")


def test_a_client_that_failed_too_often_is_refused_even_with_the_right_password(server, users):
    client = Client(server)
    client.fail(users["refused"])

    status, headers, page = client.log_in(users["refused"], PASSWORD)

    assert status == 429
    assert 1 <= int(headers["Retry-After"]) <= WINDOW
    assert "Too many failed logins" in page


def test_another_client_still_signs_in_to_the_same_account(server, users):
    guesser, owner = Client(server), Client(server)
    guesser.fail(users["shared"])
    assert guesser.log_in(users["shared"], PASSWORD)[0] == 429

    assert signed_in(owner.log_in(users["shared"], PASSWORD))


def test_the_refusal_ends_after_its_window(server, users):
    client = Client(server)
    client.fail(users["patient"])
    status, headers, _ = client.log_in(users["patient"], PASSWORD)
    assert status == 429

    time.sleep(int(headers["Retry-After"]))

    # Checked again, not refused: a wrong password is told so.
    status, _, page = client.log_in(users["patient"], "not-the-password")
    assert (status, WRONG in page) == (200, True)


def test_a_username_that_failed_from_many_clients_is_refused_to_every_client(server, users):
    for _ in range(LIMIT_PER_USERNAME // LIMIT):
        Client(server).fail(users["targeted"])
    newcomer = Client(server)

    assert newcomer.log_in(users["targeted"], PASSWORD)[0] == 429
    assert signed_in(newcomer.log_in(users["bystander"], PASSWORD))


def test_a_failed_login_is_logged_in_one_line_without_the_password(server, users):
    client = Client(server)

    client.fail(users["logged"], times=1)

    [line] = server.logged(f"for username '{users['logged']}'")
    record = json.loads(line)
    assert record["level"] == "WARNING"
    assert record["message"].startswith(f"Failed login from {client.address} ")
    assert "not-the-password" not in server.output()


def test_a_client_cannot_escape_the_limit_by_writing_x_forwarded_for(server, users):
    client = Client(server)
    for attempt in range(LIMIT):
        client.forged = f"203.0.113.{attempt + 1}"
        client.fail(users["forged"], times=1)

    client.forged = "203.0.113.99"
    assert client.log_in(users["forged"], PASSWORD)[0] == 429
