"""Django's own ASGI handler against the inline middleware it replaced, under three servers.

    .venv/bin/python bench/handlers.py [--quick] [--before COMMIT]

"before" is the template at COMMIT (default: the last commit whose asgi.py ran
Django's middleware inline on daphne's event loop, serving/handler.py); "now" is
this template, which serves Django's own handler. Both are baked with the default
answers and deployed with the production settings, and three URLs of each are
loaded: the home page (a template view, in a thread), /healthz (answered before
Django under ASGI) and /bench/json, an async view that returns JSON, which this
script adds to both bakes (bench_urls.py, beside the project's own URLs).

Each server runs one process: daphne (-v0: no access log), uvicorn on the same
asgi.py (h11 and asyncio, then httptools and uvloop; --no-access-log), gunicorn
with one sync worker on wsgi.py. The next table drives asgi.py in-process
(asgi_driver.py: no server, so a tenth of a millisecond shows), before and now,
and takes the project's own parts out one at a time: the ASGI wrappers, the
session and messages that base.html reads; Django with only allauth's middleware
(it refuses to start without it) is the floor, for scale.
CPU ms per request is the figure to compare: it moves far less with the machine's
load than requests/s does. The servers of "now" take turns three times, and each row
is its median round.
"""

import subprocess
import sys
from pathlib import Path

from serving import HEADER, measure, prepare_generated, table_row
from support import BIN, QUICK, print_table, scratch

BEFORE = "e38085c"  # the last commit with serving/handler.py's inline middleware
HERE = Path(__file__).resolve().parent
HTTPS = ("X-Forwarded-Proto: https",)
ROUNDS = 1 if QUICK else 3
PATHS = {"home": "/", "healthz": "/healthz", "json": "/bench/json"}

BENCH_URLS = '''"""The project's URLs plus an async view that returns JSON (bench/handlers.py)."""

from django.http import JsonResponse
from django.urls import include, path


async def json_view(request):
    return JsonResponse({"status": "ok", "items": [1, 2, 3]})


urlpatterns = [
    path("bench/json", json_view),
    path("", include("my_project.urls")),
]
'''
BENCH_SETTINGS = """from my_project.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
"""
# The project's parts, each taken out of a copy of "now" (file, what it says, what it becomes).
WITHOUT = {
    "no ASGI wrappers (Django's handler alone)": (
        "my_project/asgi.py",
        "application = LivenessProbe(",
        "application = django_application\nwrapped = LivenessProbe(",
    ),
    "base.html asks for no user (no session read)": (
        "my_project/pages/templates/base.html",
        "{% if user.is_authenticated %}",
        "{% if False %}",
    ),
    "base.html shows no messages (no message storage read)": (
        "my_project/pages/templates/components/messages.html",
        "{% if messages %}",
        "{% if False %}",
    ),
}


def in_process(project, env, path, settings=None):
    """CPU ms per request of the project's asgi.py driven in-process: the least of 5 runs.

    The least, not the median: a neighbour's load only ever adds to a run's CPU time.
    """
    env = {**env, "DJANGO_SETTINGS_MODULE": settings} if settings else env
    command = [sys.executable, HERE / "asgi_driver.py", f"{project.name}.asgi:application", path]
    runs = [
        subprocess.run(command, cwd=project, env=env, check=True, capture_output=True, text=True)
        for _ in range(1 if QUICK else 5)
    ]
    return min(float(run.stdout.split()[-1]) for run in runs)


def template_at(commit, directory):
    """This repository's template as it was at a commit; None in a clone without it."""
    archive = subprocess.run(["git", "-C", HERE.parent, "archive", commit], capture_output=True)
    if archive.returncode:
        print(f"{commit} is not in this clone: the 'before' rows are left out")
        return None
    directory.mkdir()
    subprocess.run(["tar", "-x", "-C", directory], input=archive.stdout, check=True)
    return directory


def deployed(directory, template=None):
    """A baked default project, deployed, with the JSON view's URLconf beside its own."""
    project, env = prepare_generated(directory, template=template)
    (project / "bench_urls.py").write_text(BENCH_URLS)
    (project / "bench_settings.py").write_text(BENCH_SETTINGS)
    return project, {**env, "DJANGO_SETTINGS_MODULE": "bench_settings"}


def servers(python):
    """Each server's command, one process, with {port} to fill in."""
    uvicorn = [str(BIN / "uvicorn"), "--port", "{port}", "--no-access-log"]
    return {
        "daphne": ([python, "-m", "daphne", "-v0", "-b", "127.0.0.1", "-p", "{port}"], "asgi"),
        "uvicorn (h11, asyncio)": ([*uvicorn, "--http", "h11", "--loop", "asyncio"], "asgi"),
        "uvicorn (httptools, uvloop)": (
            [*uvicorn, "--http", "httptools", "--loop", "uvloop"],
            "asgi",
        ),
        "gunicorn, 1 sync worker": (
            [str(BIN / "gunicorn"), "-w", "1", "-b", "127.0.0.1:{port}"],
            "wsgi",
        ),
    }


def load_each_path(name, command, project, env, paths):
    return {
        (name, path_name): measure(command, path, project, env, headers=HTTPS)
        for path_name, path in paths.items()
    }


def main():
    before = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else BEFORE
    python = sys.executable
    rows = {}
    with scratch() as temporary:
        directory = Path(temporary)
        now, env = deployed(directory / "now")
        app = {kind: f"{now.name}.{kind}:application" for kind in ("asgi", "wsgi")}
        raw = [python, "-m", "daphne", "-v0", "-b", "127.0.0.1", "-p", "{port}"]
        raw_row = measure([*raw, "raw_asgi:application"], "/", HERE, {"PATH": env["PATH"]})
        rows[("raw ASGI callable, daphne", "/")] = raw_row

        if old_template := template_at(before, directory / "old-template"):
            old, old_env = deployed(directory / "old", template=old_template)
            daphne = [*raw, f"{old.name}.asgi:application"]
            for key, figures in load_each_path(
                "before: inline middleware, daphne", daphne, old, old_env, PATHS
            ).items():
                rows[key] = figures
        chosen = servers(python) if not QUICK else dict(list(servers(python).items())[:1])
        # The servers take turns, ROUNDS times, and each row is its median round by CPU:
        # a neighbour's load then falls on every server alike, not on one of them.
        rounds = {}
        for _ in range(ROUNDS):
            for name, (command, kind) in chosen.items():
                paths = PATHS if kind == "asgi" else {"home": "/", "json": "/bench/json"}
                measured = load_each_path(f"now: {name}", [*command, app[kind]], now, env, paths)
                for key, figures in measured.items():
                    rounds.setdefault(key, []).append(figures)
        for key, figures in rounds.items():
            rows[key] = sorted(figures, key=lambda row: row[4])[len(figures) // 2]

        # In-process, without a server: the project's own parts, one at a time.
        driven = (
            {"before: inline middleware": in_process(old, old_env, "/")} if old_template else {}
        )
        driven["now: Django's handler"] = in_process(now, env, "/")
        for cut, (path, present, becomes) in WITHOUT.items():
            source = now / path
            text = source.read_text()
            assert text.count(present) == 1, f"{path} changed: update WITHOUT"
            source.write_text(text.replace(present, becomes))
            driven[f"now, {cut}"] = in_process(now, env, "/")
            source.write_text(text)
        # allauth's one middleware stays: allauth refuses to start without it.
        floor = 'MIDDLEWARE = ["allauth.account.middleware.AccountMiddleware"]\n'
        (now / "bench_floor.py").write_text(BENCH_SETTINGS + floor)
        driven["now, with only allauth's middleware (Django's floor, for scale)"] = in_process(
            now, env, "/", settings="bench_floor"
        )

    print_table(
        "Django's handler: before (inline middleware) and now, one process each",
        ["server", "URL", *HEADER[1:]],
        [[name, path, *table_row(name, figures)[1:]] for (name, path), figures in rows.items()],
    )
    home = rows[("now: daphne", "home")]
    whole = driven["now: Django's handler"]
    print_table(
        "Home page driven in-process (no server), without each of the project's own parts",
        ["asgi.py", "CPU ms/request", "less than now, ms"],
        [[name, f"{ms:.3f}", f"{whole - ms:.3f}"] for name, ms in driven.items()],
    )
    ratios = [
        [
            "/healthz ÷ raw ASGI ceiling, daphne (requests/s)",
            f"{rows[('now: daphne', 'healthz')][0] / raw_row[0]:.2f}",
        ]
    ]
    for name in servers(python):
        key = (f"now: {name}", "home")
        if key in rows and name != "daphne":
            ratios.append([f"home CPU ms: daphne ÷ {name}", f"{home[4] / rows[key][4]:.2f}"])
    print_table("Ratios (same run)", ["ratio", "value"], ratios)


if __name__ == "__main__":
    main()
