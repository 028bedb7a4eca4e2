"""A real daphne process serves the production settings over real HTTP."""

import json
import re
from pathlib import Path

from .conftest import DEPLOY, Daphne, in_production, shows_project_name

HTTPS = {"X-Forwarded-Proto": "https"}


def test_daphne_serves_the_home_page_behind_an_https_proxy(daphne_prod):
    status, headers, body = daphne_prod.get("/", headers=HTTPS)

    assert status == 200
    assert shows_project_name(body)
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    # Staged: an hour, this host only, no preload (the variables raise it).
    assert headers["Strict-Transport-Security"] == "max-age=3600"


def test_daphne_redirects_plain_http_to_https(daphne_prod):
    status, headers, _ = daphne_prod.get("/")

    assert status == 301
    assert headers["Location"].startswith("https://")


def test_healthz_answers_a_plain_http_probe(daphne_prod):
    status, _, body = daphne_prod.get("/healthz")

    assert (status, body) == (200, "ok")


def test_daphne_serves_the_hashed_stylesheet(daphne_prod):
    _, _, page = daphne_prod.get("/", headers=HTTPS)
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', page).group(1)

    status, headers, body = daphne_prod.get(stylesheet, headers=HTTPS)

    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in headers["Cache-Control"]
    # What manage.py build_css writes from pages/styles/site.css, which collectstatic ran.
    assert body.startswith("/*! tailwindcss v4.")


def test_daphne_serves_the_sign_in_page(daphne_prod):
    status, _, body = daphne_prod.get("/accounts/login/", headers=HTTPS)

    assert status == 200
    assert 'name="login"' in body


def test_readyz_says_draining_while_the_drain_file_exists(daphne_prod):
    # A stop hook creates the file, so that balancers send nothing new to a process
    # that is about to stop; liveness stays up, or the process would be killed early.
    drain_file = Path(daphne_prod.env["DJANGO_DRAIN_FILE"])
    drain_file.touch()
    try:
        draining = daphne_prod.get("/readyz")[::2]
        alive = daphne_prod.get("/healthz")[::2]
    finally:
        drain_file.unlink()

    assert draining == (503, "unavailable: draining")
    assert alive == (200, "ok")
    assert daphne_prod.get("/readyz")[::2] == (200, "ok")


def test_readyz_fails_until_every_migration_is_applied(fresh_prod_env):
    # A release whose migrations did not all run: one app is taken back to none.
    unapply = 'call_command("migrate", "sessions", "zero", interactive=False, verbosity=0)'
    in_production(fresh_prod_env, DEPLOY + unapply)
    server = Daphne(fresh_prod_env)
    try:
        unmigrated = server.get("/readyz")[::2]
        in_production(server, DEPLOY)
        migrated = server.get("/readyz")[::2]
    finally:
        server.stop()

    assert unmigrated == (503, "unavailable: migrations")
    assert migrated == (200, "ok")


def test_healthz_is_answered_before_django_even_for_an_unknown_host(daphne_prod):
    # Django would refuse this Host with a 400; the liveness probe never reaches it.
    status, _, body = daphne_prod.get("/healthz", headers={"Host": "10.0.0.7"})

    assert (status, body) == (200, "ok")


def test_an_unknown_host_is_refused_with_one_warning_line(daphne_prod):
    # Scanners send unknown Hosts all day: one line each, not an ERROR with a traceback.
    seen = len(daphne_prod.lines)

    status, _, _ = daphne_prod.get("/", headers={"Host": "scanner.example", **HTTPS})

    assert status == 400
    logged = daphne_prod.output(since=seen)
    refused = [line for line in logged.splitlines() if "DisallowedHost" in line]
    assert len(refused) == 1, logged
    assert "WARNING" in refused[0]
    assert "scanner.example" in refused[0]
    assert "Traceback" not in logged


def test_every_line_daphne_prints_in_production_is_a_json_object(daphne_prod):
    # A log shipper parses each line; daphne's own access lines would be plain text.
    seen = len(daphne_prod.lines)

    daphne_prod.get("/", headers=HTTPS)
    daphne_prod.get('/a"b', headers=HTTPS)
    daphne_prod.get("/", headers={"Host": "scanner.example", **HTTPS})

    printed = daphne_prod.output(since=seen).splitlines()
    assert any("Not Found" in line for line in printed), printed
    assert [line for line in printed if not is_json_object(line)] == []


def is_json_object(line):
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
