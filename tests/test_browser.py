"""What a person sees: Debian's chromium, driven by Playwright, on a project served in prod.

The browser is the system's (never one downloaded by a test tool), started with
the flags that keep it off the network. daphne serves the production settings
behind what a TLS proxy would add (X-Forwarded-Proto: https).
"""

import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import clean_environment
from tests.production import ADMIN, deploy, production_environment, sign_in_name
from tests.services import Daphne, find_binary, free_port
from tests.variants import variant_id

WITH_ROOMS = variant_id({"use_channels": True})
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRANSPARENT = "rgba(0, 0, 0, 0)"


@pytest.fixture
def site(baked_projects, tmp_path):
    """The rooms variant, deployed and served by daphne in production settings."""
    project = baked_projects(WITH_ROOMS).project_path
    port = free_port()
    env = production_environment(
        project,
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
    )
    deploy(project, env)
    server = Daphne(project, env, port=port)
    server.project, server.env = project, env
    yield server
    server.stop()


@pytest.fixture
def dev_site(baked_projects, tmp_path):
    """The rooms variant under ``manage.py runserver``: daphne's dev server, the dev settings."""
    project = baked_projects(WITH_ROOMS).project_path
    port = free_port()
    env = {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": f"{project.name}.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    server = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, "runserver stopped before it listened"
            assert time.monotonic() < deadline, "runserver did not listen within 30 s"
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def admin_name(baked_projects):
    return sign_in_name(baked_projects(WITH_ROOMS).project_path)


@pytest.fixture
def page(tmp_path, request):
    """A page of Debian's chromium; a screenshot is saved under tmp_path if the test fails."""
    from playwright.sync_api import sync_playwright

    chromium = find_binary("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        context = browser.new_context(extra_http_headers={"X-Forwarded-Proto": "https"})
        page = context.new_page()
        page.csp_violations = []

        def record_csp_violation(message):
            if "Content Security Policy" in message.text:
                page.csp_violations.append(message.text)

        page.on("console", record_csp_violation)
        yield page
        if request.node.rep_call.failed:
            page.screenshot(path=tmp_path / "failure.png", full_page=True)
        browser.close()


@pytest.mark.xdist_group(WITH_ROOMS)
def test_a_person_sees_the_styled_site_logs_in_to_the_admin_and_chats(site, admin_name, page):
    page.goto(site.origin + "/")
    # The built stylesheet is applied, and its dark: variant follows the system's setting.
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(background) not in {TRANSPARENT, "rgb(255, 255, 255)"}
    page.emulate_media(color_scheme="light")

    page.goto(site.origin + "/admin/")
    page.fill("#id_username", admin_name)
    page.fill("#id_password", ADMIN["password"])
    page.click("input[type=submit]")
    page.wait_for_selector("text=Site administration")
    admin_header = page.locator("#header")
    assert admin_header.evaluate("element => getComputedStyle(element).backgroundColor") not in {
        TRANSPARENT,
        "rgb(255, 255, 255)",
    }

    page.goto(site.origin + "/rooms/lobby/")
    page.fill("input[name=message]", "hello from a browser")
    page.click("button[type=submit]")
    message = page.locator("#room-log li")
    message.wait_for(timeout=10_000)
    assert message.inner_text() == f"{admin_name}: hello from a browser"

    assert page.csp_violations == []


@pytest.mark.xdist_group(WITH_ROOMS)
def test_a_developer_sees_the_debug_toolbar_on_a_dev_page(dev_site, page):
    page.goto(dev_site + "/")
    # Shown open at first; hidden, it leaves its handle to open it again.
    page.locator("#djDebugToolbar").wait_for(timeout=10_000)
    page.click("#djHideToolBarButton")
    page.locator("#djDebugToolbarHandle").wait_for(timeout=10_000)

    assert page.locator("#djDebugToolbarHandle").is_visible()
    assert page.csp_violations == []


@pytest.mark.xdist_group(WITH_ROOMS)
def test_the_chat_page_reconnects_after_its_daphne_restarts(site, page):
    page.goto(site.origin + "/rooms/restart/")
    # Polled from here: Playwright's wait_for_function evaluates a string, which the CSP forbids.
    wait_until_true(page, "() => socket.readyState === WebSocket.OPEN")

    site.stop()  # the socket drops with 1006, as in a deploy
    restarted = Daphne(site.project, site.env, port=site.port)
    try:
        page.fill("input[name=message]", "after a restart")
        page.click("button[type=submit]")
        message = page.locator("#room-log li")
        message.wait_for(timeout=15_000)

        assert message.inner_text() == "anonymous: after a restart"
    finally:
        restarted.stop()


def wait_until_true(page, function, seconds=10):
    """Evaluate a JavaScript function in the page until it returns true."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(function):
        assert time.monotonic() < deadline, f"{function} stayed false for {seconds} s"
        time.sleep(0.05)
