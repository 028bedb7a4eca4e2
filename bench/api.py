"""The API variant (api=ninja): where async pays, and what a request costs.

    .venv/bin/python bench/api.py [--quick]

One project baked with api=ninja and deployed with the production settings, with
a URLconf beside its own (bench_api.py, written by this script) that adds:

- ``/api/bench/slow``: an async endpoint on the project's own API (token auth)
  that awaits a slow upstream, a loopback server that answers after 200 ms;
- ``/bench-sync/...``: the same endpoints written sync (``def``, the sync ORM, a
  sync token auth, the same throttles, ``urllib`` for the upstream), for a WSGI server.

The first table sends 100 requests at once to the slow endpoint: async under one
daphne process, sync under gunicorn with 2 sync workers; meanwhile a second client
asks for the home page once a second. The second table loads a token-authenticated
``GET`` of the profile and of a list page (20 notes) under daphne, uvicorn and the
sync twins under gunicorn (1 sync worker), one process each; CPU ms per request is
the figure to compare (bench/handlers.py says why).
"""

import http.client
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from serving import HEADER, measure, prepare_generated, table_row
from support import BIN, free_port, print_table, scratch, server

DELAY = 0.2
CONCURRENT = 100
NOTES = 20

BENCH_API = '''"""The project's URLs, a slow-upstream endpoint, and sync twins (bench/api.py)."""

import asyncio
import urllib.request

from django.conf import settings
from django.urls import include, path
from ninja import NinjaAPI, Router
from ninja.security import HttpBearer
from django.utils import timezone

from my_project.api.models import Note, Token, token_digest
from my_project.api.routes import api
from my_project.api.schemas import Me, NotePage
from my_project.api.security import AddressThrottle, UserThrottle

UPSTREAM = settings.BENCH_UPSTREAM
RATE = settings.API_THROTTLE_RATE
bench = Router()


@bench.get("/slow")
async def slow(request):
    reader, writer = await asyncio.open_connection("127.0.0.1", UPSTREAM)
    writer.write(b"GET / HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n")
    await writer.drain()
    answer = await reader.read()
    writer.close()
    await writer.wait_closed()
    return {"upstream": len(answer)}


api.add_router("/bench", bench)


class SyncTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            Token.objects.select_related("owner")
            .filter(
                digest=token_digest(token),
                revoked__isnull=True,
                expires__gt=timezone.now(),
                owner__is_active=True,
            )
            .first()
        )
        return found.owner if found else None


# The same throttles as the project's API, so that the twins do the same work.
sync_api = NinjaAPI(
    urls_namespace="bench-sync",
    auth=SyncTokenAuth(),
    throttle=[UserThrottle(RATE), AddressThrottle(RATE)],
    docs_url=None,
)


@sync_api.get("/me", response=Me)
def sync_me(request):
    return request.auth


@sync_api.get("/notes", response=NotePage)
def sync_notes(request, limit: int = 20, offset: int = 0):
    owned = Note.objects.filter(owner=request.auth)
    return {"count": owned.count(), "items": list(owned[offset : offset + limit])}


@sync_api.get("/slow")
def sync_slow(request):
    with urllib.request.urlopen(f"http://127.0.0.1:{UPSTREAM}/", timeout=30) as answer:
        return {"upstream": len(answer.read())}


urlpatterns = [
    path("bench-sync/", sync_api.urls),
    path("", include("my_project.urls")),
]
'''
BENCH_SETTINGS = """from my_project.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench_api"
BENCH_UPSTREAM = {port}
"""
MAKE_TOKEN = """
from django.contrib.auth import get_user_model

from my_project.api.models import Note, Token

user = get_user_model().objects.create_user("bench", email="bench@example.com", password="x")
notes = (Note(owner=user, title=f"Note {{n}}", body="b" * 200) for n in range({notes}))
Note.objects.bulk_create(notes)
print("TOKEN", Token.issue(user, "bench", days=1)[1])
"""


class Slow(BaseHTTPRequestHandler):
    """The slow upstream: answers every GET after DELAY seconds, in a thread of its own."""

    def do_GET(self):
        time.sleep(DELAY)
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Upstream(ThreadingHTTPServer):
    # Set before it listens: the default backlog of 5 would make the others retry their SYN.
    request_queue_size = 256
    daemon_threads = True


def get(port, path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def burst(command, port, project, env, path, token):
    """(seconds for CONCURRENT requests at once, how many were 200, home page's worst ms)."""
    headers = {"X-Forwarded-Proto": "https", "Authorization": f"Bearer {token}"}
    with server(command, port, cwd=project, env=env):
        get(port, path, headers)  # warm-up: the first request imports the views
        pages, done = [], threading.Event()

        def visitor():
            while not done.is_set():
                started = time.perf_counter()
                get(port, "/", {"X-Forwarded-Proto": "https"})
                pages.append((time.perf_counter() - started) * 1000)
                done.wait(0.1)

        watcher = threading.Thread(target=visitor)
        watcher.start()
        started = time.perf_counter()
        with ThreadPoolExecutor(CONCURRENT) as pool:
            statuses = list(pool.map(lambda _: get(port, path, headers), range(CONCURRENT)))
        seconds = time.perf_counter() - started
        done.set()
        watcher.join()
    return seconds, statuses.count(200), max(pages)


def main():
    upstream = Upstream(("127.0.0.1", 0), Slow)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    with scratch() as temporary:
        directory = Path(temporary)
        project, env = prepare_generated(directory, ["api=ninja", "project_slug=my_project"])
        (project / "bench_api.py").write_text(BENCH_API)
        (project / "bench_settings.py").write_text(
            BENCH_SETTINGS.format(port=upstream.server_address[1])
        )
        env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DJANGO_API_THROTTLE_RATE": "100000000/m",
        }
        made = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", MAKE_TOKEN.format(notes=NOTES)],
            cwd=project,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        token = made.stdout.split("TOKEN ", 1)[1].strip()
        python = sys.executable
        daphne = [python, "-m", "daphne", "-v0", "-b", "127.0.0.1", "-p", "{port}"]
        gunicorn = [str(BIN / "gunicorn"), "-b", "127.0.0.1:{port}"]
        uvicorn = [str(BIN / "uvicorn"), "--port", "{port}", "--no-access-log"]
        asgi, wsgi = "my_project.asgi:application", "my_project.wsgi:application"

        rows = []
        for name, command, path in [
            ("daphne, 1 process, async endpoint", [*daphne, asgi], "/api/bench/slow"),
            (
                "gunicorn, 2 sync workers, sync endpoint",
                [*gunicorn, "-w", "2", wsgi],
                "/bench-sync/slow",
            ),
        ]:
            port = free_port()
            command = [part.replace("{port}", str(port)) for part in command]
            seconds, ok, page_ms = burst(command, port, project, env, path, token)
            rows.append([name, CONCURRENT, ok, f"{seconds:.2f}", f"{page_ms:.0f}"])
        print_table(
            f"{CONCURRENT} requests at once, each awaiting a {DELAY * 1000:.0f} ms upstream",
            ["setup", "requests", "answered 200", "all answered after s", "home page, worst ms"],
            rows,
        )

        headers = ("X-Forwarded-Proto: https", f"Authorization: Bearer {token}")
        rows = []
        for name, command, prefix in [
            ("daphne, async", [*daphne, asgi], "/api"),
            (
                "uvicorn (httptools, uvloop), async",
                [*uvicorn, "--http", "httptools", "--loop", "uvloop", asgi],
                "/api",
            ),
            ("gunicorn, 1 sync worker, sync twin", [*gunicorn, "-w", "1", wsgi], "/bench-sync"),
        ]:
            for what, path in [("profile", "/me"), (f"list of {NOTES}", "/notes")]:
                figures = measure(command, prefix + path, project, env, headers=headers)
                rows.append(table_row(f"{name}: {what}", figures))
        print_table("Token-authenticated GET, one process each", HEADER, rows)


if __name__ == "__main__":
    main()
