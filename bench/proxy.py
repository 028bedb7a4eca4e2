"""Behind nginx: daphne against gunicorn, restarts, SIGTERM under load, and huge bodies.

    .venv/bin/python bench/proxy.py [--quick]

nginx runs the baked deploy/nginx.conf (ports rendered as in the template's
tests) in front of two server processes of one project (with Channels, SQLite).
Every load goes to loopback only and is bounded in time and size.

- Throughput: nginx + 2 daphne against nginx + gunicorn (wsgi.py, 2 sync workers),
  in one run. CPU ms per request counts nginx and the servers.
- Static files: passed to daphne (ServeStatic), or served by nginx from STATIC_ROOT.
- Rolling restart under load: the requests lost, before (plain SIGTERM, no retry)
  and after (the drain flag, a pause, SIGTERM, and nginx's retry).
- A hung daphne (SIGSTOP: it still accepts connections): how long GETs and POSTs
  wait, with nginx's default proxy_read_timeout (60 s) and the shipped one (10 s).
- SIGTERM to a bare daphne with requests in flight and WebSockets open.
- Four huge POSTs, through nginx and to daphne directly: daphne's resident memory.
"""

import http.client
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, suppress
from pathlib import Path

from serving import prepare_generated
from support import QUICK, cpu_seconds, free_port, load, print_table, scratch, wait_for_port

from tests.services import Nginx, render_site

SECONDS = 1 if QUICK else 5
CONNECTIONS = 16
RESTART_PAUSE = 0.5 if QUICK else 2  # the drain: between the flag and SIGTERM
IN_FLIGHT = 64
WEBSOCKETS = 20
# Each huge body, sent whole unless answered first: 500 MB as in the attack run.
BODY = (50 if QUICK else 500) * 1024 * 1024
HUNG_REQUESTS = 8


class Servers:
    """Two server processes on loopback ports, started and stopped one at a time."""

    def __init__(self, command, project, env):
        self.command, self.project, self.env = command, project, env
        self.ports = [free_port(), free_port()]
        self.processes = [self.start(index) for index in range(2)]

    def start(self, index):
        port = self.ports[index]
        env = {**self.env, "DJANGO_DRAIN_FILE": str(self.drain_file(index))}
        process = subprocess.Popen(
            [part.replace("{port}", str(port)) for part in self.command],
            cwd=self.project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(port)
        return process

    def drain_file(self, index):
        return Path(self.env["DJANGO_STATIC_ROOT"]).parent / f"draining-{index}"

    def restart(self, index, drain):
        if drain:
            self.drain_file(index).touch()
            time.sleep(RESTART_PAUSE)
        process = self.processes[index]
        process.terminate()
        process.wait(timeout=30)
        self.drain_file(index).unlink(missing_ok=True)
        self.processes[index] = self.start(index)

    def stop(self):
        for process in self.processes:
            process.terminate()
            process.wait(timeout=30)


def nginx_in_front(project, ports, extra="", static_parent=None, read_timeout=None):
    """nginx on a free port with the project's deploy/nginx.conf; extra lines go in its server.

    Without static_parent, nginx finds no static file and passes them all to daphne.
    A read_timeout replaces the shipped proxy_read_timeout of the pages.
    """
    port = free_port()
    config = (project / "deploy" / "nginx.conf").read_text()
    if read_timeout:
        config = config.replace("proxy_read_timeout 10s;", f"proxy_read_timeout {read_timeout};")
    site = render_site(config, port, ports, static_parent=static_parent)
    if extra:
        site = site.replace("    location / {", extra + "\n    location / {", 1)
    return Nginx(site, port)


def throughput(nginx, servers, path):
    url = f"http://127.0.0.1:{nginx.port}{path}"
    load(url, 1, CONNECTIONS)  # warm-up
    pids = [nginx.process.pid, *(process.pid for process in servers.processes)]
    before = cpu_seconds(pids)
    rate, _, p99, errors, requests = load(url, SECONDS, CONNECTIONS)
    cpu_ms = (cpu_seconds(pids) - before) * 1000 / max(requests, 1)
    return [f"{rate:.0f}", f"{p99:.1f}", f"{cpu_ms:.2f}", errors]


class Clients:
    """GETs through nginx, one after another per client, until stopped; counts the lost."""

    def __init__(self, port, clients=CONNECTIONS):
        self.answered = self.lost = 0
        self.running = True
        self.lock = threading.Lock()
        deadline = time.monotonic() + 120

        def client():
            while self.running and time.monotonic() < deadline:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                try:
                    connection.request("GET", "/")
                    ok = connection.getresponse().status == 200
                except OSError:
                    ok = False
                finally:
                    connection.close()
                with self.lock:
                    if ok:
                        self.answered += 1
                    else:
                        self.lost += 1

        self.threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=30)


def rolling_restart(project, env, daphne, drain, retry):
    servers = Servers(daphne, project, env)
    nginx = nginx_in_front(project, servers.ports, "" if retry else "    proxy_next_upstream off;")
    try:
        clients = Clients(nginx.port)
        time.sleep(0.5)
        for index in range(2):
            servers.restart(index, drain)
            time.sleep(0.5)
        clients.stop()
        return [clients.answered, clients.lost]
    finally:
        nginx.stop()
        servers.stop()


def hung_upstream(project, env, daphne, read_timeout):
    """SIGSTOP one of 2 daphne, then HUNG_REQUESTS GETs and as many POSTs at once.

    Returns, for each method, the statuses and the slowest answer's seconds.
    """
    servers = Servers(daphne, project, env)
    nginx = nginx_in_front(project, servers.ports, read_timeout=read_timeout)
    answers = {"GET": [], "POST": []}
    lock = threading.Lock()

    def send(method):
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=120)
        try:
            connection.request(method, "/", body=b"" if method == "POST" else None)
            status = connection.getresponse().status
        except OSError:
            status = "no answer"
        finally:
            connection.close()
        with lock:
            answers[method].append((status, time.monotonic() - started))

    try:
        servers.processes[0].send_signal(signal.SIGSTOP)
        threads = [
            threading.Thread(target=send, args=(method,))
            for method in ("GET", "POST")
            for _ in range(HUNG_REQUESTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=150)
    finally:
        servers.processes[0].send_signal(signal.SIGCONT)
        nginx.stop()
        servers.stop()
    row = []
    for method in ("GET", "POST"):
        statuses = sorted(str(status) for status, _ in answers[method])
        counts = {status: statuses.count(status) for status in statuses}
        row.append(", ".join(f"{status}: {n}" for status, n in counts.items()))
        row.append(f"{max(seconds for _, seconds in answers[method]):.1f}")
    return row


def sigterm_under_load(project, env, daphne):
    """SIGTERM to one daphne with IN_FLIGHT requests and WEBSOCKETS sockets open."""
    from websockets.sync.client import connect

    servers = Servers(daphne, project, env)
    port, process = servers.ports[0], servers.processes[0]
    servers.processes[1].terminate()
    with ExitStack() as stack:
        sockets = [
            stack.enter_context(
                connect(
                    f"ws://127.0.0.1:{port}/ws/rooms/bench/", origin=f"http://127.0.0.1:{port}"
                )
            )
            for _ in range(WEBSOCKETS)
        ]
        figures = terminate_with(process, port, sockets)
    servers.processes[1].wait(timeout=30)
    return figures


def terminate_with(process, port, sockets):
    outcomes = []

    def request():
        with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            try:
                answer = connection.recv(64)
            except OSError:
                answer = b""
            outcomes.append(answer.startswith(b"HTTP/1.1 "))

    threads = [threading.Thread(target=request) for _ in range(IN_FLIGHT)]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    exited = time.monotonic() - signalled
    for thread in threads:
        thread.join(timeout=30)
    codes = []
    for websocket in sockets:
        with suppress(Exception):  # any close: its code is what is measured
            websocket.recv(timeout=5)
        codes.append(websocket.close_code or 1006)
    without_status = outcomes.count(False)
    return [
        f"{exited:.1f}",
        f"{without_status} of {IN_FLIGHT}",
        ", ".join(f"{code} x {codes.count(code)}" for code in sorted(set(codes))),
    ]


def huge_bodies(port, pid):
    """Four concurrent huge POSTs; daphne's RSS before and a second after, and the answers."""
    before = resident_mib(pid)
    answers = []

    def post():
        with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
            connection.sendall(
                b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + f"Content-Length: {BODY}\r\n\r\n".encode()
            )
            chunk, sent = b"x" * 1024 * 1024, 0
            while sent < BODY and not select.select([connection], [], [], 0)[0]:
                try:
                    connection.sendall(chunk)
                except OSError:
                    break  # answered and closed
                sent += len(chunk)
            connection.settimeout(60)
            try:
                answers.append(connection.recv(64).split(b"\r\n")[0].decode() or "closed")
            except OSError:
                answers.append("no answer")

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    time.sleep(1)
    return before, resident_mib(pid), sorted(set(answers))


def resident_mib(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def main():
    python = sys.executable
    with scratch() as temporary:
        directory = Path(temporary)
        project, env = prepare_generated(
            directory / "generated", ["use_channels=yes"], DJANGO_SECURE_SSL_REDIRECT="false"
        )
        env = {**env, "DJANGO_SETTINGS_MODULE": f"{project.name}.settings.prod"}
        daphne = [python, "-m", "daphne", "-b", "127.0.0.1", "-p", "{port}"]
        daphne += [f"{project.name}.asgi:application"]
        gunicorn = [str(Path(python).parent / "gunicorn"), "-w", "1", "-b", "127.0.0.1:{port}"]
        gunicorn += [f"{project.name}.wsgi:application"]

        home = directory / "generated-home.html"
        stylesheet = None
        rows = []
        for name, command in [("2 daphne, asgi.py", daphne), ("2 gunicorn, wsgi.py", gunicorn)]:
            servers = Servers(command, project, env)
            nginx = nginx_in_front(project, servers.ports)
            try:
                rows.append([f"nginx + {name}: / (home)", *throughput(nginx, servers, "/")])
                if stylesheet is None:
                    page = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=10)
                    page.request("GET", "/")
                    home.write_bytes(page.getresponse().read())
                    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', home.read_bytes())
                    stylesheet = stylesheet.group(1).decode()
            finally:
                nginx.stop()
                servers.stop()
        print_table(
            f"nginx in front of 2 processes ({CONNECTIONS} connections, {SECONDS}s)",
            ["setup", "requests/s", "p99 ms", "CPU ms/request", "errors"],
            rows,
        )

        static_parent = Path(env["DJANGO_STATIC_ROOT"]).parent
        rows = []
        for name, parent in [
            ("passed to daphne (ServeStatic)", None),
            ("served by nginx", static_parent),
        ]:
            servers = Servers(daphne, project, env)
            nginx = nginx_in_front(project, servers.ports, static_parent=parent)
            try:
                rows.append([f"{stylesheet}, {name}", *throughput(nginx, servers, stylesheet)])
            finally:
                nginx.stop()
                servers.stop()
        print_table(
            "A static file through nginx",
            ["setup", "requests/s", "p99 ms", "CPU ms/request", "errors"],
            rows,
        )

        rows = [
            [name, *rolling_restart(project, env, daphne, drain, retry)]
            for name, drain, retry in [
                ("before: SIGTERM, no retry", False, False),
                ("SIGTERM, nginx retries", False, True),
                ("after: drain flag, pause, SIGTERM; nginx retries", True, True),
            ]
        ]
        print_table(
            f"Rolling restart of 2 daphne behind nginx ({CONNECTIONS} clients, GET /)",
            ["setup", "answered", "lost"],
            rows,
        )

        rows = [
            [name, *hung_upstream(project, env, daphne, timeout)]
            for name, timeout in [
                ("before: proxy_read_timeout 60s", "60s"),
                ("now: proxy_read_timeout 10s", None),
            ]
        ]
        print_table(
            f"One of 2 daphne hung (SIGSTOP); {HUNG_REQUESTS} GETs, {HUNG_REQUESTS} POSTs at once",
            ["nginx", "GET answers", "slowest GET s", "POST answers", "slowest POST s"],
            rows,
        )

        print_table(
            f"SIGTERM to one daphne with {IN_FLIGHT} requests and {WEBSOCKETS} WebSockets open",
            ["exit after s", "requests without a status line", "WebSocket close codes"],
            [sigterm_under_load(project, env, daphne)],
        )

        rows = []
        servers = Servers(daphne, project, env)
        nginx = nginx_in_front(project, servers.ports)
        try:
            for name, port, pid in [
                ("through nginx", nginx.port, servers.processes[0].pid),
                ("to daphne directly", servers.ports[0], servers.processes[0].pid),
            ]:
                before, after, answers = huge_bodies(port, pid)
                rows.append([name, f"{before:.0f}", f"{after:.0f}", ", ".join(answers)])
        finally:
            nginx.stop()
            servers.stop()
        print_table(
            f"4 concurrent POSTs of {BODY // 2**20} MB each to / (no credentials)",
            ["where", "daphne RSS before MiB", "after MiB", "answers"],
            rows,
        )


if __name__ == "__main__":
    main()
