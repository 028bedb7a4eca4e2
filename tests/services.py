"""Real backing services for the tests: PostgreSQL and Redis on loopback, free ports.

Each server lives in a temporary directory and stops when its test or session
ends. A missing server binary skips the tests that need it, naming the binary;
under CI (CI=true) it fails them instead, because .ci/run installs every binary.
"""

import glob
import http.client
import os
import re
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

import pytest


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def find_binary(name, *patterns):
    """The path of a server binary, from PATH or the given glob patterns."""
    found = shutil.which(name) or next(
        (path for pattern in patterns for path in sorted(glob.glob(pattern), reverse=True)), None
    )
    if found:
        return found
    message = f"{name} is not installed (apt-get install it, or run .ci/run)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def wait_until(answers, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not start within {seconds}s")


def answers_on(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class PostgreSQL:
    """A throwaway PostgreSQL cluster. As root it runs as the postgres user, as it must."""

    def __init__(self):
        # Debian keeps the server binaries off PATH, under the version's directory.
        self.initdb = find_binary("initdb", "/usr/lib/postgresql/*/bin/initdb")
        self.pg_ctl = find_binary("pg_ctl", "/usr/lib/postgresql/*/bin/pg_ctl")
        self.directory = tempfile.mkdtemp(prefix="test-postgresql-")
        self.as_owner = []
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.port = free_port()
        self._run(self.initdb, "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()

    @property
    def data(self):
        return os.path.join(self.directory, "data")

    def _run(self, *command):
        subprocess.run(
            [*self.as_owner, *command], check=True, capture_output=True, text=True, timeout=120
        )

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = os.path.join(self.directory, "server.log")
        self._run(self.pg_ctl, "-D", self.data, "-l", log, "-o", options, "-w", "start")

    def stop(self):
        self._run(self.pg_ctl, "-D", self.data, "-m", "fast", "-w", "stop")

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name):
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


class Redis:
    """A throwaway redis-server that keeps nothing on disk."""

    def __init__(self):
        self.binary = find_binary("redis-server")
        self.port = free_port()
        self.start()

    def start(self):
        address = ["--port", str(self.port), "--bind", "127.0.0.1"]
        in_memory_only = ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [self.binary, *address, *in_memory_only],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: answers_on(self.port), "redis-server")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def url(self, database=0):
        return f"redis://127.0.0.1:{self.port}/{database}"

    def remove(self):
        self.stop()


class Daphne:
    """A daphne process serving a baked project's ASGI application on a free loopback port."""

    def __init__(self, project, env, port=0):
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "daphne", "-b", "127.0.0.1"),
                *("-p", str(port), f"{project.name}.asgi:application"),
            ],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        output = []
        for line in self.process.stdout:
            output.append(line)
            if match := re.search(r"Listening on TCP address [\d.]+:(\d+)", line):
                self.port = int(match.group(1))
                break
        else:
            raise AssertionError("daphne did not start:\n" + "".join(output))
        # Keep reading, so that a full pipe never blocks the server; a test can read it.
        self.lines = output
        self.reader = threading.Thread(target=self.keep_reading, daemon=True)
        self.reader.start()

    def keep_reading(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def output(self, since=0, quiet=0.5):
        """What the server printed from line ``since`` on, once it has been quiet a moment."""
        printed = -1
        while printed != len(self.lines):
            printed = len(self.lines)
            time.sleep(quiet)
        return "".join(self.lines[since:])

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def request(self, path, method="GET", headers=None, body=None, timeout=10):
        return http_request(self.port, path, method, headers, body, timeout=timeout)

    def stop(self):
        stop(self.process, self.reader)


def http_request(port, path, method="GET", headers=None, body=None, timeout=10, source=None):
    """One real HTTP request to loopback; returns (status, headers, text), follows no redirect.

    ``source``: the loopback address to send from (127.0.0.2 and up are a client of their own).
    """
    source_address = (source, 0) if source else None
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=source_address
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def stop(process, reader, seconds=10):
    """Stop a server process with SIGTERM (SIGKILL after some seconds), and its output reader."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    reader.join(timeout=10)
    process.stdout.close()


class SMTPSink:
    """A mail server on loopback that keeps what it receives: the SMTP that smtplib speaks.

    Like a real server it refuses a recipient it has no mailbox for: every address
    at REFUSED (550). It takes its time over a message to an address at SLOW. The
    first message to each address at HANG it keeps, then holds its reply for
    hang_seconds, as a server that stops answering does; later ones it accepts.
    """

    REFUSED = "refused.example"
    SLOW = "slow.example"
    HANG = "hang.example"

    def __init__(self, slow_seconds=2, hang_seconds=30):
        self.messages = []
        self.slow_seconds = slow_seconds
        self.hang_seconds = hang_seconds
        self.hung = set()
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPSession)
        self.server.daemon_threads = True
        self.server.sink = self
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def received(self, address):
        """The messages (headers and body) that reached an address."""
        return [text for recipients, text in self.messages if address in recipients]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class _SMTPSession(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        sink = self.server.sink
        recipients = []
        self.reply("220 sink ready")
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 sink")
            elif verb in {"MAIL", "RSET"}:
                recipients = []
                self.reply("250 ok")
            elif verb == "RCPT":
                address = command.partition(":")[2].strip().strip("<>")
                if address.endswith("@" + sink.REFUSED):
                    self.reply("550 no such mailbox")
                else:
                    recipients.append(address)
                    self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 end with a dot")
                data = []
                while (data_line := self.rfile.readline()) not in {b".\r\n", b""}:
                    data.append(data_line.decode())
                if any(address.endswith("@" + sink.SLOW) for address in recipients):
                    time.sleep(sink.slow_seconds)
                sink.messages.append((recipients, "".join(data)))
                first = {address for address in recipients if address.endswith("@" + sink.HANG)}
                if first - sink.hung:
                    sink.hung |= first
                    time.sleep(sink.hang_seconds)
                self.reply("250 queued")
            elif verb == "NOOP":
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class Nginx:
    """Debian's nginx as a foreground master on loopback, in a prefix of its own.

    ``site`` is http-level configuration (a baked deploy/nginx.conf, its ports
    rendered by ``render_site``). Every response carries the upstream that answered
    it in ``X-Upstream`` ("a, b" when retried); the access log, for reading after a
    failure, says the same but is written only after the answer is sent.
    """

    LOG_FORMAT = "$request_method $uri $status upstream=$upstream_addr"

    def __init__(self, site, port=None):
        self.binary = find_binary("nginx", "/usr/sbin/nginx")
        self.prefix = tempfile.mkdtemp(prefix="test-nginx-")
        self.port = port
        os.chmod(self.prefix, 0o755)
        with open(os.path.join(self.prefix, "site.conf"), "w") as file:
            file.write(site)
        temporary = "\n".join(
            f"    {kind}_temp_path {self.prefix}/{kind}_temp;"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # As root, nginx's workers would run as nobody, who cannot read the tests' files.
        user = "user root;" if os.geteuid() == 0 else ""
        main = f"""
{user}
worker_processes 1;
pid {self.prefix}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    log_format upstreams '{self.LOG_FORMAT}';
    access_log {self.access_log} upstreams;
    add_header X-Upstream $upstream_addr always;
{temporary}
    include {self.prefix}/site.conf;
}}
"""
        self.config = os.path.join(self.prefix, "nginx.conf")
        with open(self.config, "w") as file:
            file.write(main)
        self.command = [self.binary, "-p", self.prefix, "-c", self.config, "-e", self.error_log]
        if port is None:
            return  # configured only, for check()
        self.process = subprocess.Popen(
            [*self.command, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until(lambda: answers_on(port), "nginx", seconds=10)
        except AssertionError:
            self.stop()
            raise AssertionError("nginx did not start:\n" + self.errors()) from None

    def check(self):
        """nginx -t: what nginx says of the configuration, and whether it accepts it."""
        try:
            checked = subprocess.run(
                [*self.command, "-t"], capture_output=True, text=True, timeout=30
            )
            return checked.returncode == 0, checked.stderr
        finally:
            shutil.rmtree(self.prefix, ignore_errors=True)

    @property
    def access_log(self):
        return os.path.join(self.prefix, "access.log")

    @property
    def error_log(self):
        return os.path.join(self.prefix, "error.log")

    def errors(self):
        with open(self.error_log) as file:
            return file.read()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)


def render_site(config, port, upstream_ports, tls=None, static_parent=None):
    """A baked deploy/nginx.conf with loopback ports, and its TLS lines when given (cert, key).

    static_parent: the directory whose static/ holds the collected files.

    Each line it changes must be there exactly once: a config that drifts from
    what this expects fails here, not in a silent half-rendered file.
    """
    changes = [
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        *(
            (f"server 127.0.0.1:{default} ", f"server 127.0.0.1:{actual} ")
            for default, actual in zip((8001, 8002), upstream_ports, strict=True)
        ),
    ]
    if static_parent:
        changes.append((re.compile(r"root /srv/\w+;"), f"root {static_parent};"))
    if tls:
        tls_port, certificate, key = tls
        changes += [
            (re.compile(r"# listen 443 ssl;"), f"listen 127.0.0.1:{tls_port} ssl;"),
            (re.compile(r"# ssl_certificate .*;"), f"ssl_certificate {certificate};"),
            (re.compile(r"# ssl_certificate_key .*;"), f"ssl_certificate_key {key};"),
        ]
    for old, new in changes:
        pattern = old if isinstance(old, re.Pattern) else re.compile(re.escape(old))
        config, count = pattern.subn(new, config)
        assert count == 1, f"deploy/nginx.conf: expected one {pattern.pattern!r}, found {count}"
    return config


def self_signed_certificate(directory):
    """A throwaway certificate for 127.0.0.1 (openssl); returns (certificate, key) paths."""
    openssl = find_binary("openssl")
    certificate, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", key, "-out", certificate),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate, key
