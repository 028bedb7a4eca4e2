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
def open_page(tmp_path, request):
    """Opens pages of Debian's chromium, each recording what it loads and what goes wrong.

    A screenshot of each is saved under tmp_path if the test fails.
    """
    from playwright.sync_api import sync_playwright

    chromium = find_binary("chromium")
    pages = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)

        def open_page(**options):
            context = browser.new_context(
                extra_http_headers={"X-Forwarded-Proto": "https"}, **options
            )
            page = context.new_page()
            page.csp_violations, page.console_errors, page.loaded = [], [], []

            def record_console(message):
                if "Content Security Policy" in message.text:
                    page.csp_violations.append(message.text)
                elif message.type == "error":
                    page.console_errors.append(message.text)

            page.on("console", record_console)
            page.on("pageerror", lambda error: page.console_errors.append(str(error)))
            page.on("request", lambda request: page.loaded.append(request))
            pages.append(page)
            return page

        yield open_page
        if request.node.rep_call.failed:
            for number, page in enumerate(pages):
                page.screenshot(path=tmp_path / f"failure-{number}.png", full_page=True)
        browser.close()


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.mark.xdist_group(WITH_ROOMS)
def test_a_person_sees_the_styled_site_logs_in_to_the_admin_and_chats(site, admin_name, page):
    page.goto(site.origin + "/")
    # Transparent if the built stylesheet is missing or lacks the header's classes.
    assert background(page, ".site-header") not in {TRANSPARENT, "rgb(255, 255, 255)"}

    # The admin sends a visitor to the site's sign-in page, and back once signed in.
    page.goto(site.origin + "/admin/")
    page.fill("#id_login", admin_name)
    page.fill("#id_password", ADMIN["password"])
    page.click("form button[type=submit]")
    page.wait_for_selector("text=Site administration")
    assert background(page, "#header") not in {TRANSPARENT, "rgb(255, 255, 255)"}

    page.goto(site.origin + "/rooms/lobby/")
    page.fill("input[name=message]", "hello from a browser")
    page.click("#room-form button[type=submit]")
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
        page.click("#room-form button[type=submit]")
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


def background(page, selector):
    return page.locator(selector).evaluate("element => getComputedStyle(element).backgroundColor")


PAGES = ["/", "/components/", "/rooms/lobby/", "/no-such-page/"]


@pytest.mark.xdist_group(WITH_ROOMS)
def test_every_page_loads_only_the_sites_own_files_without_an_error(site, page):
    for path in PAGES:
        answer = page.goto(site.origin + path)
        page.wait_for_load_state("networkidle")
        assert answer.status == (404 if path == "/no-such-page/" else 200)

    foreign = [request.url for request in page.loaded if not request.url.startswith(site.origin)]
    kinds = {request.resource_type for request in page.loaded}
    assert foreign == []
    assert {"stylesheet", "script"} <= kinds
    # The one error a browser logs on its own: the 404 page's status.
    assert [error for error in page.console_errors if "404" not in error] == []
    assert page.csp_violations == []


@pytest.mark.xdist_group(WITH_ROOMS)
def test_the_htmx_form_swaps_its_fragment_without_reloading_the_page(site, page):
    page.goto(site.origin + "/components/")
    page.evaluate("() => { window.stillThisPage = true; }")
    page.fill("#id_name", "R2-D2")
    page.click("#greeting-form button[type=submit]")
    page.locator("#greeting-form li", has_text="letters, spaces").wait_for(timeout=10_000)

    page.fill("#id_name", "Ada")
    page.click("#greeting-form button[type=submit]")
    page.locator("#greeting-form .greeting").wait_for(timeout=10_000)

    assert page.locator("#greeting-form .greeting").inner_text() == "Hello, Ada!"
    assert page.evaluate("() => window.stillThisPage") is True
    sent = [request for request in page.loaded if request.method == "POST"]
    assert [request.headers.get("hx-request") for request in sent] == ["true", "true"]
    assert page.csp_violations == []
    assert page.console_errors == []


@pytest.mark.xdist_group(WITH_ROOMS)
def test_the_same_form_works_without_javascript(site, open_page):
    page = open_page(java_script_enabled=False)
    page.goto(site.origin + "/components/")
    page.fill("#id_name", "Ada")
    with page.expect_navigation():
        page.click("#greeting-form button[type=submit]")

    assert page.locator("#greeting-form .greeting").inner_text() == "Hello, Ada!"
    assert page.locator("h1").inner_text() == "Components"


@pytest.mark.xdist_group(WITH_ROOMS)
def test_the_pages_follow_the_dark_scheme_fit_a_phone_and_start_with_a_skip_link(site, open_page):
    light, dark = open_page(color_scheme="light"), open_page(color_scheme="dark")
    for page in (light, dark):
        page.goto(site.origin + "/")
    assert background(light, "body") != background(dark, "body")

    phone = open_page(viewport={"width": 360, "height": 740})
    for path in PAGES:
        phone.goto(site.origin + path)
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360, path

    light.keyboard.press("Tab")
    focused = light.evaluate("() => document.activeElement.textContent")
    assert focused == "Skip to the content"
    assert light.locator("a[href='#main']").is_visible()
