"""Lighthouse's accessibility and best-practices scores of the pages a visitor sees.

    npm ci --prefix bench/lighthouse    # once: Lighthouse 12, pinned in its package-lock.json
    .venv/bin/python bench/lighthouse.py [--quick]

The rooms variant (use_channels=yes), deployed in production settings and served
as in production: daphne behind the baked deploy/nginx.conf on TLS (support.py
https_site). Lighthouse drives Debian's chromium (CHROME_PATH, never a browser of
its own), kept off the network, on the home page, a chat room, a 404 and the
sign-in and sign-up pages, with its default mobile emulation: a phone's width. Fails (exit 1) when accessibility or
best practices scores below 95 on any page, or when the console shows an error
other than the 404 page's own status (a CSP violation, a missing stylesheet or
script), and names the audits that failed.
The full run adds the performance score (simulated throttling on a shared machine:
for information only); --quick leaves it out.
"""

import json
import os
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from serving import prepare_generated
from support import CHROMIUM_FLAGS, QUICK, https_site, print_table, scratch

PACKAGE = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = PACKAGE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
# Each page's path and the status it must answer with, so that no error page is scored instead.
PAGES = {
    "home": ("/", 200),
    "room": ("/rooms/lobby/", 200),
    "404": ("/no-such-page/", 404),
    "sign-in": ("/accounts/login/", 200),
    "sign-up": ("/accounts/signup/", 200),
}
GATED = ["accessibility", "best-practices"]
CATEGORIES = GATED if QUICK else [*GATED, "performance"]
LOWEST = 95


def status_of(url):
    """The HTTP status of a page, through the same nginx (its certificate not checked)."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # throwaway
    try:
        with urllib.request.urlopen(url, context=context, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def audit(url, directory):
    """Lighthouse's JSON report of one page."""
    report = directory / "report.json"
    flags = [*CHROMIUM_FLAGS, "--ignore-certificate-errors"]  # the throwaway certificate
    command = [
        LIGHTHOUSE,
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(flags)}",
        "--ignore-status-code",  # the 404 page is audited, not refused
        "--no-enable-error-reporting",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    # Once more if Lighthouse itself exits non-zero (seen here once, on the 404 page);
    # what it printed is shown. A low score is not retried: it is the result.
    for attempt in (1, 2):
        finished = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=180,
        )
        if finished.returncode == 0:
            return json.loads(report.read_text())
        print(f"Lighthouse failed on {url} (attempt {attempt}): {finished.stderr.strip()[-500:]}")
    raise SystemExit(f"Lighthouse failed twice on {url}")


def failing(report, category):
    """The audits that count in a category's score and did not pass; console errors' URLs."""
    audits = report["audits"]
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        if ref["weight"] and audits[ref["id"]]["score"] not in (None, 1):
            items = audits[ref["id"]].get("details", {}).get("items", [])
            urls = [item["sourceLocation"]["url"] for item in items if "sourceLocation" in item]
            paths = sorted({urlsplit(url).path for url in urls})
            found.append(ref["id"] + (f" ({', '.join(paths)})" if paths else ""))
    return found


def console_errors(report, url, status):
    """What the browser's console said was wrong, but the page's own status line.

    A CSP violation, or a stylesheet or script that is missing, costs best practices
    only a few points (a page can still score 96), so any of them fails the run.
    """
    items = report["audits"]["errors-in-console"].get("details", {}).get("items", [])
    own = f"status of {status}"
    return [
        item["description"]
        for item in items
        if not (item.get("sourceLocation", {}).get("url") == url and own in item["description"])
    ]


def main():
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run npm ci --prefix bench/lighthouse")
    rows, passed = [], True
    with scratch() as temporary:
        directory = Path(temporary)
        project, env = prepare_generated(directory / "rooms", ["use_channels=yes"])
        env = {**env, "DJANGO_SETTINGS_MODULE": f"{project.name}.settings.prod"}
        with https_site(project, env, directory) as origin:
            for name, (path, status) in PAGES.items():
                if (answered := status_of(origin + path)) != status:
                    sys.exit(f"{path} answered {answered}, not {status}")
                report = audit(origin + path, directory)
                if report.get("runtimeError"):
                    sys.exit(f"{path}: {report['runtimeError']['message']}")
                scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
                passed &= all(scores[category] >= LOWEST for category in GATED)
                for error in console_errors(report, origin + path, status):
                    print(f"{path}: the console says: {error}")
                    passed = False
                failed = [audit_id for c in GATED for audit_id in failing(report, c)]
                rows.append([f"{name} `{path}`", *scores.values(), ", ".join(failed) or "none"])
    print_table(
        f"Lighthouse {report['lighthouseVersion']}, mobile, production settings behind nginx",
        ["page", *CATEGORIES, "failing audits (accessibility, best practices)"],
        rows,
    )
    if not passed:
        sys.exit(f"accessibility or best practices below {LOWEST}, or a console error, on a page")


if __name__ == "__main__":
    main()
