"""An unhandled error reaches Sentry with its request's id; without a DSN, Sentry is not loaded.

A small HTTP server on loopback stands in for Sentry's ingest: the DSN points a
real daphne at it, serving the production settings plus a page that fails
(sentry_settings.py), and the events that arrive are read as Sentry sends
them: envelopes, compressed.
"""

import gzip
import json
import queue
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import Daphne, in_production

HTTPS = {"X-Forwarded-Proto": "https"}


class IngestServer(ThreadingHTTPServer):
    """An HTTP server with a queue of the events it was sent."""

    events: queue.Queue[dict[str, object]]


class Ingest(BaseHTTPRequestHandler):
    """Takes Sentry's envelopes; puts each item that is an event on the server's queue."""

    server: IngestServer

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli  # Sentry compresses with brotli where it is installed.

            body = brotli.decompress(body)
        # An envelope: a header line, then items, each a header line and a payload.
        for line in body.splitlines()[1:]:
            item = json.loads(line)
            if "exception" in item:
                self.server.events.put(item)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def ingest():
    server = IngestServer(("127.0.0.1", 0), Ingest)
    server.events = queue.Queue()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def reporting(daphne_prod, ingest):
    """daphne with Sentry on, sharing the deployed production server's database and files."""
    server = Daphne(
        {
            **daphne_prod.env,
            "DJANGO_SETTINGS_MODULE": "tests.sentry_settings",
            "SENTRY_DSN": f"http://public@127.0.0.1:{ingest.server_port}/1",
            "SENTRY_ENVIRONMENT": "staging",
            "SENTRY_RELEASE": "{{ cookiecutter.project_slug }}@1.2.3",
        }
    )
    yield server
    server.stop()


def test_an_unhandled_view_error_reaches_sentry_with_the_request_id(reporting, ingest):
    request_id = f"trace-{secrets.token_hex(8)}"
    private = secrets.token_hex(16)

    status, headers, _ = reporting.get(
        "/fail/",
        headers={
            **HTTPS,
            "X-Request-ID": request_id,
            "Cookie": f"theme={private}",
            "X-Forwarded-For": "203.0.113.7",
        },
    )

    assert (status, headers["X-Request-ID"]) == (500, request_id)
    event = ingest.events.get(timeout=10)
    assert event["exception"]["values"][-1]["type"] == "Failure"
    assert event["tags"]["request_id"] == request_id
    assert (event["environment"], event["release"]) == (
        "staging",
        "{{ cookiecutter.project_slug }}@1.2.3",
    )
    sent = json.dumps(event)
    assert private not in sent, "no cookies"
    assert "203.0.113.7" not in sent, "no client address"
    [logged] = reporting.logged('"Internal Server Error: /fail/"')
    assert json.loads(logged)["request_id"] == request_id


def test_the_site_still_serves_with_sentry_on(reporting):
    status, _, _ = reporting.get("/", headers=HTTPS)

    assert status == 200


def test_sentry_starts_without_a_warning(daphne_prod):
    env = {
        **daphne_prod.env,
        "SENTRY_DSN": "http://public@127.0.0.1:9/1",
        "PYTHONWARNINGS": "error",
    }

    finished = in_production(env, "import sentry_sdk; print(sentry_sdk.get_client().is_active())")

    assert finished.stdout.strip() == "True"


def test_without_a_dsn_sentry_is_not_even_imported(daphne_prod):
    finished = in_production(daphne_prod, "import sys; print('sentry_sdk' in sys.modules)")

    assert finished.stdout.strip() == "False"
