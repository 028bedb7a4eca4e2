"""Two proxies in front of daphne: a balancer, then the shipped nginx with its realip lines.

The balancer (a second nginx, sending from 127.0.0.60 as a machine of its own
would) appends each client's address to X-Forwarded-For, as load balancers do.
The shipped deploy/nginx.conf, its realip lines uncommented for that address,
takes the client's address from it: each client then meets the sign-in limits
alone, instead of every client sharing the balancer's address.
"""

import re

import pytest

from tests.production import (
    ADMIN,
    deploy,
    production_environment,
    sign_in_form,
    sign_in_name,
)
from tests.services import Daphne, Nginx, free_port, http_request, render_site
from tests.variants import variant_id

DEFAULTS = variant_id({})
BALANCER_ADDRESS = "127.0.0.60"
# The production default: five failures per address.
LOGIN_FAILURE_LIMIT = 5
REFUSED = "Too many failed login attempts"
BALANCER = """
server {{
    listen 127.0.0.1:{port};
    location / {{
        proxy_pass http://127.0.0.1:{upstream};
        proxy_bind {address};
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto https;
    }}
}}
"""


def behind_a_balancer(config, address):
    """The shipped configuration with its balancer lines uncommented, for one address."""
    changes = [
        ("# set_real_ip_from 10.0.0.0/8;", f"set_real_ip_from {address};"),
        ("# real_ip_header X-Forwarded-For;", "real_ip_header X-Forwarded-For;"),
        ("# real_ip_recursive on;", "real_ip_recursive on;"),
        ("    proxy_set_header X-Forwarded-Proto $scheme;\n", ""),
        (
            "# proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;",
            "proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;",
        ),
    ]
    for old, new in changes:
        assert config.count(old) == 1, f"deploy/nginx.conf: expected one {old!r}"
        config = config.replace(old, new)
    return config


class Client:
    """A browser on a loopback address of its own, reaching the site through the balancer."""

    def __init__(self, address, port):
        self.address, self.port = address, port

    def request(self, path, method="GET", headers=None, body=None):
        return http_request(self.port, path, method, headers, body, source=self.address)

    def sign_in(self, name, password):
        headers, body = sign_in_form(self, name, password)
        return self.request("/accounts/login/", method="POST", headers=headers, body=body)


@pytest.fixture
def balanced_site(baked_projects, tmp_path):
    """daphne behind the shipped nginx behind a balancer; yields the balancer's port."""
    project = baked_projects(DEFAULTS).project_path
    env = production_environment(
        project, tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    deploy(project, env)
    daphne = Daphne(project, env)
    nginx_port, balancer_port = free_port(), free_port()
    config = (project / "deploy" / "nginx.conf").read_text()
    shipped = render_site(
        behind_a_balancer(config, BALANCER_ADDRESS), nginx_port, [daphne.port] * 2
    )
    nginx = Nginx(shipped, nginx_port)
    balancer = Nginx(
        BALANCER.format(port=balancer_port, upstream=nginx_port, address=BALANCER_ADDRESS),
        balancer_port,
    )
    yield balancer_port, sign_in_name(project), daphne
    balancer.stop()
    nginx.stop()
    daphne.stop()


@pytest.mark.xdist_group(DEFAULTS)
def test_five_failures_by_one_client_do_not_refuse_another_behind_two_proxies(balanced_site):
    port, name, daphne = balanced_site
    guesser, owner = Client("127.0.0.71", port), Client("127.0.0.72", port)
    for _ in range(LOGIN_FAILURE_LIMIT):
        status, _, page = guesser.sign_in(name, "not-the-password")
        assert (status, REFUSED in page) == (200, False)

    # The guesser is refused, even with the right password; the owner is not.
    assert REFUSED in guesser.sign_in(name, ADMIN["password"])[2]
    status, headers, _ = owner.sign_in(name, ADMIN["password"])

    assert (status, headers["Location"]) == (302, "/admin/")
    # daphne saw each client's own address, never the balancer's.
    logged = daphne.output()
    assert re.search(r"Failed sign-in from 127\.0\.0\.71 ", logged)
    assert f"Failed sign-in from {BALANCER_ADDRESS}" not in logged
