"""nginx, configured by the baked deploy/nginx.conf, in front of two daphne processes.

One nginx and two daphne processes on loopback for the module, with PostgreSQL
and Redis shared, as on a VM. The ports and the TLS lines are the only changes
to the shipped configuration (tests/services.py render_site).
"""

import asyncio
import http.client
import json
import re
import select
import signal
import socket
import ssl
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from websockets.sync.client import connect

from tests.production import deploy, production_environment
from tests.services import (
    Daphne,
    Nginx,
    free_port,
    render_site,
    self_signed_certificate,
    wait_until,
)
from tests.variants import SERVICES, VARIANTS, variant_id

BEHIND_NGINX = variant_id(SERVICES)
LOGIN_FAILURE_LIMIT = 2
# deploy/nginx.conf's proxy_read_timeout for pages, and what a loaded machine adds to it.
PAGE_READ_TIMEOUT = 10
MARGIN = 5
# deploy/nginx.conf's limit_conn: the connections that one address holds at once.
CONNECTIONS_PER_ADDRESS = 64
ATTACK_BYTES = 500 * 1024 * 1024
# How much of each attack body a client sends at most before it must have its answer.
ATTACK_SENT_AT_MOST = 8 * 1024 * 1024


class Site:
    """nginx on plain HTTP and on TLS, with the daphne processes behind it."""

    def __init__(self, project, env, directory):
        self.project, self.env = project, env
        self.daphnes = [self.start_daphne(index) for index in range(2)]
        certificate, key = self_signed_certificate(directory)
        self.port, self.tls_port = free_port(), free_port()
        config = (project / "deploy" / "nginx.conf").read_text()
        ports = [daphne.port for daphne in self.daphnes]
        tls = (self.tls_port, certificate, key)
        site = render_site(config, self.port, ports, tls=tls, static_parent=directory)
        self.nginx = Nginx(site, self.port)

    def drain_file(self, index):
        return Path(self.env["DJANGO_STATIC_ROOT"]).parent / f"draining-{index}"

    def start_daphne(self, index, port=0):
        env = {**self.env, "DJANGO_DRAIN_FILE": str(self.drain_file(index))}
        return Daphne(self.project, env, port)

    def request(self, path, method="GET", headers=None, body=None, tls=False, timeout=10):
        """One request through nginx; returns (status, headers, text), following no redirect."""
        if tls:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # throwaway
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.tls_port, timeout=timeout, context=context
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode("latin-1")
        finally:
            connection.close()

    def stop(self):
        self.nginx.stop()
        for daphne in self.daphnes:
            daphne.stop()


@pytest.fixture(scope="module")
def site(baked_projects, postgresql_server, redis_server, tmp_path_factory):
    project = baked_projects(BEHIND_NGINX).project_path
    directory = tmp_path_factory.mktemp("behind-nginx")
    env = production_environment(
        project,
        directory,
        DATABASE_URL=postgresql_server.create_database("behind_nginx"),
        REDIS_URL=redis_server.url(2),
        DJANGO_LOGIN_FAILURE_LIMIT=str(LOGIN_FAILURE_LIMIT),
    )
    deploy(project, env)
    site = Site(project, env, directory)
    yield site
    site.stop()


def resident_mib(process):
    status = Path(f"/proc/{process.pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


class Load:
    """Clients sending GETs through nginx one after another, until stopped; counts failures."""

    def __init__(self, site, clients=4, path="/", tls=True):
        self.answered, self.failed = [], []
        self.running = True
        self.deadline = time.monotonic() + 60  # bounded, whatever happens to the test

        def client():
            while self.running and time.monotonic() < self.deadline:
                try:
                    status, _, _ = site.request(path, tls=tls)
                except OSError as error:
                    self.failed.append(repr(error))
                    continue
                (self.answered if status == 200 else self.failed).append(status)

        self.threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=20)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_variant_ships_a_configuration_that_nginx_accepts(baked, variant):
    config = (baked / "deploy" / "nginx.conf").read_text()

    accepted, said = Nginx(render_site(config, 8080, [8001, 8002])).check()

    assert accepted, said


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_both_daphne_processes_answer_through_nginx(site):
    answered_by = {site.request("/healthz")[1]["X-Upstream"] for _ in range(6)}

    assert answered_by == {f"127.0.0.1:{daphne.port}" for daphne in site.daphnes}


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_the_request_id_is_the_clients_or_else_the_one_nginx_makes(site):
    _, given, _ = site.request("/readyz", headers={"X-Request-ID": "deploy-check-1"})
    _, made, _ = site.request("/readyz")

    assert given["X-Request-ID"] == "deploy-check-1"
    # nginx's $request_id: 32 hexadecimal digits, which Django takes as they are.
    assert re.fullmatch(r"[0-9a-f]{32}", made["X-Request-ID"])


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_plain_http_is_redirected_and_what_nginx_calls_https_is_not(site):
    forged = {"X-Forwarded-Proto": "https"}

    status, headers, _ = site.request("/", headers=forged)
    tls_status, _, page = site.request("/", tls=True)

    # A client's own X-Forwarded-Proto is overwritten by nginx's $scheme.
    assert (status, headers["Location"]) == (301, f"https://127.0.0.1:{site.port}/")
    assert tls_status == 200
    assert "<html" in page


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_nginx_serves_the_collected_static_files_and_passes_the_others(site):
    _, _, page = site.request("/", tls=True)
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)

    status, headers, _ = site.request(stylesheet, headers={"Accept-Encoding": "gzip"})
    missing, missing_headers, _ = site.request("/static/css/no-such-file.css", tls=True)

    assert (status, headers["Content-Type"], headers["Content-Encoding"]) == (
        200,
        "text/css",
        "gzip",
    )
    assert "immutable" in headers["Cache-Control"]
    assert missing == 404
    # The first never reached daphne; the second did. (The response header, not the
    # access log: nginx writes its log line after the client may have read the answer.)
    assert "X-Upstream" not in headers
    assert missing_headers["X-Upstream"] in {f"127.0.0.1:{d.port}" for d in site.daphnes}


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_a_forged_x_forwarded_for_does_not_become_the_client_address(site):
    # The sign-in limit counts failures per REMOTE_ADDR: were each forged address
    # believed, every attempt would come from a new client and none be refused.
    _, headers, page = site.request("/accounts/login/", tls=True)
    csrf_cookie = headers["Set-Cookie"].split("csrftoken=")[1].split(";")[0]
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    origin = f"https://127.0.0.1:{site.tls_port}"

    refusals = []
    for attempt in range(LOGIN_FAILURE_LIMIT + 1):
        status, _, page = site.request(
            "/accounts/login/",
            method="POST",
            tls=True,
            headers={
                "Cookie": f"csrftoken={csrf_cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "X-Forwarded-For": f"203.0.113.{attempt + 1}",
            },
            body=f"login=nobody&password=wrong&csrfmiddlewaretoken={token}",
        )
        refusals.append((status, "Too many failed login attempts" in page))

    assert refusals == [(200, False)] * LOGIN_FAILURE_LIMIT + [(200, True)]


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_a_room_message_crosses_processes_through_nginx(site):
    url = f"ws://127.0.0.1:{site.port}/ws/rooms/behind-nginx/"

    with (
        connect(url, origin=f"http://127.0.0.1:{site.port}") as sender,
        connect(url, origin=f"http://127.0.0.1:{site.port}") as listener,
    ):
        upstreams = {socket.response.headers["X-Upstream"] for socket in (sender, listener)}
        sender.send(json.dumps({"message": "through nginx"}))

        assert len(upstreams) == 2, upstreams
        assert json.loads(listener.recv(timeout=10)) == {
            "author": "anonymous",
            "message": "through nginx",
        }


def send_huge_body(port):
    """A POST announcing 500 MB, streamed until an answer comes; returns its status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
            + f"Content-Length: {ATTACK_BYTES}\r\n\r\n".encode()
        )
        chunk, sent = b"x" * 65536, 0
        while sent < ATTACK_SENT_AT_MOST:
            if select.select([connection], [], [], 0)[0]:
                break
            try:
                connection.sendall(chunk)
            except OSError:
                break  # nginx answered and closed: the answer is waiting to be read
            sent += len(chunk)
        return connection.recv(4096).split(b"\r\n")[0].decode()


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_huge_bodies_get_413_from_nginx_and_daphne_memory_stays_flat(site):
    before = [resident_mib(daphne.process) for daphne in site.daphnes]
    answers = []
    clients = [
        threading.Thread(target=lambda: answers.append(send_huge_body(site.port)))
        for _ in range(4)
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=30)

    after = [resident_mib(daphne.process) for daphne in site.daphnes]
    assert answers == ["HTTP/1.1 413 Request Entity Too Large"] * 4
    assert all(grown < 10 for grown in map(float.__sub__, after, before)), (before, after)


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_killing_one_daphne_loses_at_most_the_requests_in_flight(site):
    load = Load(site, clients=4)
    time.sleep(0.5)
    killed = site.daphnes[0]
    killed.process.send_signal(signal.SIGKILL)
    answered_at_kill = len(load.answered)
    time.sleep(1)
    load.stop()
    site.daphnes[0] = site.start_daphne(0, port=killed.port)
    killed.stop()

    assert len(load.failed) <= 4, load.failed
    assert len(load.answered) > answered_at_kill + 10


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_a_rolling_restart_behind_nginx_loses_no_request(site):
    load = Load(site, clients=2)
    for index, old in enumerate(list(site.daphnes)):
        # What deploy/systemd does on stop: the drain flag, a pause, then SIGTERM.
        # nginx itself never asks /readyz: its retry of the requests that the stop
        # cuts on the other process is what loses none.
        drain_file = site.drain_file(index)
        drain_file.touch()
        time.sleep(0.3)
        old.stop()
        drain_file.unlink()
        site.daphnes[index] = site.start_daphne(index, port=old.port)
    load.stop()

    assert load.failed == []
    assert len(load.answered) > 20


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_nginx_names_no_version_in_its_answers_or_its_own_error_pages(site):
    # A version in the Server header or an error page tells a scanner which CVEs to try.
    _, proxied, _ = site.request("/healthz")
    own_status, own, page = site.request("/" + "x" * 9000)  # longer than nginx reads

    assert own_status == 414
    assert proxied["Server"] == own["Server"] == "nginx"
    assert "nginx/" not in page


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_a_hung_daphne_delays_a_get_by_the_page_read_timeout_at_most(site):
    # SIGSTOP: the kernel still accepts its connections, but nothing answers, as when
    # an event loop blocks. Each GET sent to it must go to the other process in time.
    hung = site.daphnes[0]
    answers = []

    def get():
        started = time.monotonic()
        try:
            status, headers, _ = site.request("/readyz", timeout=PAGE_READ_TIMEOUT + 2 * MARGIN)
            upstreams = headers["X-Upstream"]
        except OSError as error:
            status, upstreams = repr(error), ""
        answers.append((status, time.monotonic() - started, upstreams))

    hung.process.send_signal(signal.SIGSTOP)
    try:
        clients = [threading.Thread(target=get) for _ in range(6)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=PAGE_READ_TIMEOUT + 3 * MARGIN)
    finally:
        hung.process.send_signal(signal.SIGCONT)

    assert [status for status, _, _ in answers] == [200] * 6, answers
    assert max(seconds for _, seconds, _ in answers) < PAGE_READ_TIMEOUT + MARGIN, answers
    # Some of them were sent to the hung process first, and retried on the other.
    assert any("," in upstreams for _, _, upstreams in answers), answers


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_one_address_holds_a_bounded_number_of_connections(site):
    # Open WebSockets count for as long as they stay open, as a flood's would.
    url = f"ws://127.0.0.1:{site.port}/ws/rooms/many/"
    with ExitStack() as stack:
        for _ in range(CONNECTIONS_PER_ADDRESS):
            stack.enter_context(connect(url, origin=f"http://127.0.0.1:{site.port}"))
        refused = site.request("/readyz")[0]

    assert refused == 429
    # nginx frees each connection's place as the socket's close reaches it.
    wait_until(lambda: site.request("/readyz")[0] == 200, "an answer once they closed", 10)


# A herd of sockets through nginx, 200 per daphne process: twice what redis-py's
# pool gives one process by default. Each client address holds 50 (under limit_conn).
HERD = 400
HERD_ADDRESSES = [f"127.0.0.{host}" for host in range(2, 10)]


async def open_herd(url, origin):
    """HERD WebSockets opened at once, from several loopback addresses; (sockets, refusals)."""
    from websockets.asyncio.client import connect as connect_async

    async def one(index):
        address = HERD_ADDRESSES[index % len(HERD_ADDRESSES)]
        try:
            return await connect_async(
                url, origin=origin, local_addr=(address, 0), open_timeout=20
            )
        except Exception as error:
            return error

    results = await asyncio.gather(*(one(index) for index in range(HERD)))
    sockets = [result for result in results if not isinstance(result, Exception)]
    refused = [repr(result) for result in results if isinstance(result, Exception)]
    return sockets, refused


def room_members(site, room):
    """How many members the room's group holds in Redis, and the seconds before it expires."""
    import redis

    key = f"asgi:group:room.{room}"
    with redis.Redis.from_url(site.env["REDIS_URL"]) as connection:
        return connection.zcard(key), connection.ttl(key)


def errors_in(output):
    """The lines of daphne's output that are errors or tracebacks.

    The application logs JSON; the plain lines are daphne's access log (the tests'
    daphne keeps it) and whatever writes past logging, such as a traceback.
    """
    errors = []
    for line in output.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            if not re.match(r"[\d.]+:\d+ - - \[", line):
                errors.append(line)
            continue
        if record.get("level") in {"ERROR", "CRITICAL"} or "exception" in record:
            errors.append(line)
    return errors


@pytest.mark.xdist_group(BEHIND_NGINX)
def test_a_herd_of_sockets_joins_and_leaves_a_room_at_once_without_an_error(site):
    url = f"ws://127.0.0.1:{site.port}/ws/rooms/herd/"
    origin = f"http://127.0.0.1:{site.port}"
    since = [len(daphne.lines) for daphne in site.daphnes]

    async def herd():
        sockets, refused = await open_herd(url, origin)
        members = room_members(site, "herd")
        # A message on its way while every member leaves: some sockets close under it.
        if sockets:
            await sockets[0].send(json.dumps({"message": "everyone out"}))
        await asyncio.gather(*(socket.close() for socket in sockets))
        return len(sockets), refused, members

    opened, refused, members = asyncio.run(asyncio.wait_for(herd(), timeout=60))

    assert (opened, refused) == (HERD, [])
    # Had a member's leaving failed, the layer would drop it within minutes, not a day.
    count, expires_in = members
    assert count == HERD
    settings = (site.project / site.project.name / "settings/base.py").read_text()
    group_expiry = int(re.search(r"^ROOM_GROUP_EXPIRY = (\d+)$", settings, re.MULTILINE)[1])
    assert group_expiry < 3600
    assert 0 < expires_in <= group_expiry
    # Every member leaves its group (the discard is retried once), none lingers.
    wait_until(lambda: room_members(site, "herd")[0] == 0, "an empty room", 15)
    outputs = [daphne.output(since=line) for daphne, line in zip(site.daphnes, since, strict=True)]
    assert [errors_in(output) for output in outputs] == [[], []]
