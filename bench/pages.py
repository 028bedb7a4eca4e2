"""The pages' cost: the home page's CPU per request before and after, and what it loads.

    .venv/bin/python bench/pages.py [--quick] [--before COMMIT]

"before" is the template at COMMIT (default: the last commit before the Tailwind
layout, the components and htmx); "now" is this template. Both are baked with the
default answers and deployed with the production settings. The home page is driven
in-process (asgi_driver.py, no server), before and now taking turns, and each row
gives the least, the median and the most of its runs: the difference between the
rows is worth reading only where it is larger than a row's own spread.

The second table gives the size of what the home page makes a browser fetch: the
HTML, the stylesheet and htmx, raw and as ServeStatic serves them (gzip, brotli).
"""

import statistics
import sys
import urllib.request
from pathlib import Path

from handlers import in_process, template_at
from serving import prepare_generated
from support import QUICK, free_port, print_table, scratch, server

BEFORE = "3a53a71"  # the last commit before the pages issue
ROUNDS = 2 if QUICK else 3


def served_files(static_root):
    """The hashed stylesheet and htmx that collectstatic wrote, by name."""
    found = {}
    for name, pattern in {
        "stylesheet": "css/site.*.css",
        "htmx": "vendor/htmx/htmx.min.*.js",
    }.items():
        matches = [path for path in static_root.glob(pattern) if path.suffix in {".css", ".js"}]
        if matches:
            found[name] = matches[0]
    return found


def sizes(path):
    """Raw, gzip and brotli bytes of a collected file (ServeStatic writes .gz and .br)."""
    compressed = [Path(f"{path}.{suffix}") for suffix in ("gz", "br")]
    return [
        path.stat().st_size,
        *(file.stat().st_size if file.exists() else "-" for file in compressed),
    ]


def home_page_bytes(project, env):
    port = free_port()
    command = [sys.executable, "-m", "daphne", "-v0", "-b", "127.0.0.1", "-p", str(port)]
    with server([*command, f"{project.name}.asgi:application"], port, cwd=project, env=env):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return len(answer.read())


def main():
    before = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else BEFORE
    with scratch() as temporary:
        directory = Path(temporary)
        projects = {"now": prepare_generated(directory / "now")}
        if old_template := template_at(before, directory / "old-template"):
            projects = {
                "before": prepare_generated(directory / "old", template=old_template),
                **projects,
            }
        runs = {name: [] for name in projects}
        for _ in range(ROUNDS):
            for name, (project, env) in projects.items():
                prod = {**env, "DJANGO_SETTINGS_MODULE": f"{project.name}.settings.prod"}
                runs[name].append(in_process(project, prod, "/"))

        print_table(
            f"Home page, CPU ms per request driven in-process ({ROUNDS} runs each, taking turns)",
            ["template", "least", "median", "most"],
            [
                [name, *(f"{figure(values):.3f}" for figure in (min, statistics.median, max))]
                for name, values in runs.items()
            ],
        )
        rows = []
        for name, (project, env) in projects.items():
            prod = {**env, "DJANGO_SETTINGS_MODULE": f"{project.name}.settings.prod"}
            rows.append([name, "home page HTML", home_page_bytes(project, prod), "-", "-"])
            for kind, path in served_files(Path(env["DJANGO_STATIC_ROOT"])).items():
                rows.append([name, kind, *sizes(path)])
        print_table(
            "What the home page fetches, bytes",
            ["template", "file", "raw", "gzip", "brotli"],
            rows,
        )


if __name__ == "__main__":
    main()
