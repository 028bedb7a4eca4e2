"""The README's screenshots: the default project's home page, light and dark.

    .venv/bin/python bench/screenshots.py [--quick]

The default project, deployed in production settings and served as in production
(daphne behind the baked deploy/nginx.conf on TLS, support.py https_site).
Playwright drives Debian's chromium (never a browser of its own) at 1280x800,
with prefers-color-scheme emulated light, then dark, and writes
docs/screenshots/home-light.png and home-dark.png. --quick writes them to a
temporary directory instead, so that CI proves the script without changing docs/.
"""

import struct
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from serving import prepare_generated
from support import CHROMIUM_FLAGS, QUICK, TEMPLATE, https_site, print_table, scratch

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
SCHEMES = ["light", "dark"]


def png_size(path):
    """(width, height) from a PNG's header."""
    return struct.unpack(">II", path.read_bytes()[16:24])


def shoot(browser, url, scheme, path):
    """A screenshot of one page in one color scheme; whether the page's CSS saw it dark."""
    context = browser.new_context(
        viewport=VIEWPORT,
        color_scheme=scheme,
        ignore_https_errors=True,  # the throwaway certificate
    )
    page = context.new_page()
    response = page.goto(url)
    if response.status != 200:
        raise SystemExit(f"{url} answered {response.status}: no screenshot of an error page")
    # What the page's CSS sees: proof that the emulation took, whatever the image shows.
    dark = page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    page.screenshot(path=path)
    context.close()
    return dark


def main():
    with scratch() as temporary, tempfile.TemporaryDirectory(prefix="screenshots-") as quick:
        directory = Path(temporary)
        output = Path(quick) if QUICK else TEMPLATE / "docs" / "screenshots"
        output.mkdir(parents=True, exist_ok=True)
        project, env = prepare_generated(directory / "default")
        env = {**env, "DJANGO_SETTINGS_MODULE": f"{project.name}.settings.prod"}
        rows = []
        with https_site(project, env, directory) as origin, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for scheme in SCHEMES:
                path = output / f"home-{scheme}.png"
                dark = shoot(browser, origin + "/", scheme, path)
                width, height = png_size(path)
                shown = path if QUICK else path.relative_to(TEMPLATE)
                size = path.stat().st_size
                rows.append([f"`{shown}`", scheme, dark, f"{width}x{height}", size])
            browser.close()
        print_table(
            "Screenshots of the home page, production settings behind nginx",
            ["file", "emulated", "page matches dark", "pixels", "bytes"],
            rows,
        )


if __name__ == "__main__":
    main()
