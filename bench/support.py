"""What the benchmarks share: baking, starting servers, loading them, and printing tables.

Every load goes to loopback only, is bounded in duration, and stops by itself.
"""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TEMPLATE))
from tests.services import PostgreSQL, Redis, free_port  # noqa: E402, F401  (the tests' servers)
from tests.test_browser import CHROMIUM_FLAGS  # noqa: E402, F401  (chromium kept off the network)

BIN = Path(sys.executable).parent
QUICK = "--quick" in sys.argv


def median_seconds(command, runs, cwd=None, env=None, before_each=None):
    """The median wall time of a command over several runs, after one warm-up run."""
    times = []
    for index in range(runs + 1):
        if before_each:
            before_each()
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
        if index:  # the first run warms caches up and does not count
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def print_table(title, header, rows):
    """A Markdown table, so that BENCHMARKS.md can hold it as printed."""
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join("---" for _ in header) + " |")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    sys.stdout.flush()


def bake(directory, *answers, template=None):
    """Bake the template (this one by default) with key=value answers; return the project path."""
    subprocess.run(
        [
            BIN / "cookiecutter",
            "--no-input",
            "-f",
            "-o",
            directory,
            template or TEMPLATE,
            *answers,
        ],
        check=True,
        capture_output=True,
    )
    return next(path for path in Path(directory).iterdir() if (path / "manage.py").exists())


def manage(project, env, *arguments):
    """Run a project's manage.py to completion; fail loudly if it fails."""
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )


def wait_for_port(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def resident_kib(pids):
    """The resident memory of processes (and their children), in KiB."""
    total = 0
    for pid in pids:
        for candidate in [pid, *children(pid)]:
            status = Path(f"/proc/{candidate}/status")
            if status.exists():
                total += int(re.search(r"VmRSS:\s+(\d+)", status.read_text()).group(1))
    return total


def cpu_seconds(pids):
    """The CPU time (user and system) that processes and their children have used so far."""
    ticks = 0
    for pid in pids:
        for candidate in [pid, *children(pid)]:
            stat = Path(f"/proc/{candidate}/stat")
            if stat.exists():
                # Fields after the command name, which may hold spaces: utime and stime.
                fields = stat.read_text().rpartition(")")[2].split()
                ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def children(pid):
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in found.split()]


@contextmanager
def server(command, port, cwd=None, env=None, pass_fds=()):
    """A server process for the length of a with-block; it is stopped afterwards."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=pass_fds,
        start_new_session=True,
    )
    try:
        wait_for_port(port)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def https_site(project, env, directory):
    """A deployed project served as in production; yields its https:// origin on loopback.

    daphne behind the baked deploy/nginx.conf, which terminates TLS with a throwaway
    certificate for 127.0.0.1 (tests/services.py) and sends X-Forwarded-Proto: https,
    so the HTTPS redirect, HSTS, secure cookies and nginx's static files are the
    production ones. A browser needs --ignore-certificate-errors for the certificate.
    """
    from tests.services import Nginx, render_site, self_signed_certificate

    upstream, port, tls_port = free_port(), free_port(), free_port()
    certificate, key = self_signed_certificate(directory)
    site = render_site(
        (project / "deploy" / "nginx.conf").read_text(),
        port,
        [upstream, upstream],  # one daphne is enough for a browser: both upstream lines
        tls=(tls_port, certificate, key),
        static_parent=Path(env["DJANGO_STATIC_ROOT"]).parent,
    )
    daphne = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(upstream)]
    with server([*daphne, f"{project.name}.asgi:application"], upstream, project, env):
        nginx = Nginx(site, port)
        try:
            yield f"https://127.0.0.1:{tls_port}"
        finally:
            nginx.stop()


def load(url, seconds, connections=16, headers=()):
    """Load a loopback URL for a bounded time; return requests/s, p50 and p99 ms, errors
    and the number of requests answered.

    wrk when it is installed (Debian's wrk), otherwise a bounded Python client.
    """
    assert url.startswith("http://127.0.0.1:"), "loads go to loopback only"
    if shutil.which("wrk"):
        return load_with_wrk(url, seconds, connections, headers)
    return load_with_python(url, seconds, connections, headers)


def load_with_wrk(url, seconds, connections, headers):
    header_options = [part for header in headers for part in ("-H", header)]
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", *header_options, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {
        percent: to_ms(value)
        for percent, value in re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE)
    }
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return rate, latency["50"], latency["99"], errors, requests


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def load_with_python(url, seconds, connections, headers):
    """A bounded closed-loop client: `connections` threads, each one request at a time."""
    import http.client
    import threading
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    header_map = dict(header.split(": ", 1) for header in headers)
    deadline = time.monotonic() + seconds
    latencies, errors = [], [0]
    lock = threading.Lock()

    def client():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", parts.path, headers=header_map)
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
            except OSError:
                ok = False
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            with lock:
                if ok:
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    if not latencies:
        return 0.0, 0.0, 0.0, errors[0], 0
    p50 = latencies[len(latencies) // 2]
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / seconds, p50, p99, errors[0], len(latencies)


def scratch():
    """A temporary directory for one benchmark run."""
    return tempfile.TemporaryDirectory(prefix="bench-")
