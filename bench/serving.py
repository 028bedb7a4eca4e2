"""Serving: the generated project under daphne against the bare project, the raw ceiling and peers.

    .venv/bin/python bench/serving.py [--quick]

Every row loads one URL on loopback with the same load generator and concurrency,
for a bounded time: a warm-up, then the median of several runs. Memory is each
row's server processes' resident set after the load, and CPU ms per request their
CPU time (user and system) over the requests they answered in the measured runs:
it moves far less with the machine's load than requests/s does.
"""

import socket
import subprocess
import sys
from pathlib import Path

from support import (
    BIN,
    QUICK,
    PostgreSQL,
    Redis,
    bake,
    cpu_seconds,
    free_port,
    load,
    manage,
    print_table,
    resident_kib,
    scratch,
    server,
)


SERVICES = ["database=postgresql", "use_redis=yes", "use_channels=yes"]
SECONDS = 1 if QUICK else 3
RUNS = 1 if QUICK else 3
CONNECTIONS = 16
HTTPS = ("X-Forwarded-Proto: https",)


def measure(command, path, cwd, env, headers=(), port=None, pass_fds=()):
    """(requests/s, p50 ms, p99 ms, errors, CPU ms per request, RSS MiB) of one server setup."""
    port = port or free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    with server(command, port, cwd=cwd, env=env, pass_fds=pass_fds) as process:
        url = f"http://127.0.0.1:{port}{path}"
        load(url, 1, CONNECTIONS, headers)  # warm-up
        cpu_before = cpu_seconds([process.pid])
        runs = sorted(load(url, SECONDS, CONNECTIONS, headers) for _ in range(RUNS))
        cpu_ms = (cpu_seconds([process.pid]) - cpu_before) * 1000 / sum(run[4] for run in runs)
        rate, p50, p99, _, _ = runs[len(runs) // 2]
        errors = sum(run[3] for run in runs)
        memory = resident_kib([process.pid]) / 1024
    return rate, p50, p99, errors, cpu_ms, memory


HEADER = ["setup", "requests/s", "p50 ms", "p99 ms", "errors", "CPU ms/request", "RSS MiB"]


def table_row(name, figures):
    rate, p50, p99, errors, cpu_ms, memory = figures
    return [
        name,
        f"{rate:.0f}",
        f"{p50:.1f}",
        f"{p99:.1f}",
        errors,
        f"{cpu_ms:.2f}",
        f"{memory:.0f}",
    ]


def prepare_generated(directory, answers=(), template=None, **services):
    """A baked project, deployed: production settings, migrated, static files collected."""
    project = bake(directory, *answers, template=template)
    env = {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "bench-only-" + "b" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(directory / "static"),
        **services,
    }
    prod = {**env, "DJANGO_SETTINGS_MODULE": f"{project.name}.settings.prod"}
    manage(project, prod, "migrate", "--noinput")
    manage(project, prod, "collectstatic", "--noinput")
    return project, env


def prepare_bare(directory):
    """``django-admin startproject`` with one hello-world view, DEBUG off."""

    subprocess.run([BIN / "django-admin", "startproject", "bare", directory], check=True)
    settings = directory / "bare" / "settings.py"
    text = settings.read_text().replace("DEBUG = True", "DEBUG = False")
    settings.write_text(text.replace("ALLOWED_HOSTS = []", 'ALLOWED_HOSTS = ["127.0.0.1"]'))
    urls = directory / "bare" / "urls.py"
    urls.write_text(
        urls.read_text()
        + "\nfrom django.http import HttpResponse\n\n\n"
        + "def hello(request):\n    return HttpResponse('Hello, world')\n\n\n"
        + "urlpatterns.append(path('hello', hello))\n"
    )
    env = {"PATH": f"{BIN}:/usr/bin:/bin"}
    manage(directory, env, "migrate", "--noinput")
    return env


def main():
    python = sys.executable
    with scratch() as temporary:
        directory = Path(temporary)
        generated, env = prepare_generated(directory / "generated")
        bare_directory = directory / "bare_project"
        bare_directory.mkdir()
        bare_env = prepare_bare(bare_directory)
        app = f"{generated.name}.asgi:application"
        daphne = [python, "-m", "daphne", "-b", "127.0.0.1", "-p", "{port}"]

        rows = {}

        def row(name, *args, **kwargs):
            rows[name] = measure(*args, **kwargs)

        here = Path(__file__).resolve().parent
        row("raw ASGI callable, daphne", [*daphne, "raw_asgi:application"], "/", here, bare_env)
        row(
            "bare startproject /hello (sync), daphne",
            [*daphne, "bare.asgi:application"],
            "/hello",
            bare_directory,
            bare_env,
        )
        row(
            "generated /healthz, daphne",
            [*daphne, app],
            "/healthz",
            generated,
            env,
        )
        row(
            "generated /readyz, daphne",
            [*daphne, app],
            "/readyz",
            generated,
            env,
        )
        row(
            "generated / (home), daphne",
            [*daphne, app],
            "/",
            generated,
            env,
            headers=HTTPS,
        )
        row(
            "generated / (home), daphne -v0 (no access log)",
            [*daphne, "-v0", app],
            "/",
            generated,
            env,
            headers=HTTPS,
        )

        shared = socket.socket()
        shared.bind(("127.0.0.1", 0))
        shared.listen(1024)
        shared_port = shared.getsockname()[1]
        fd = shared.fileno()
        two = [
            "sh",
            "-c",
            f"{python} -m daphne --fd {fd} {app} & {python} -m daphne --fd {fd} {app} & wait",
        ]
        row(
            "generated / (home), 2 daphne sharing one socket",
            two,
            "/",
            generated,
            env,
            headers=HTTPS,
            port=shared_port,
            pass_fds=(fd,),
        )
        shared.close()

        gunicorn = [BIN / "gunicorn", "-w", "2", "-b", "127.0.0.1:{port}"]
        row(
            "generated / (home), gunicorn wsgi.py, 2 sync workers",
            [*map(str, gunicorn), f"{generated.name}.wsgi:application"],
            "/",
            generated,
            env,
            headers=HTTPS,
        )
        row(
            "bare startproject /hello, gunicorn, 2 sync workers",
            [*map(str, gunicorn), "bare.wsgi:application"],
            "/hello",
            bare_directory,
            bare_env,
        )
        uvicorn = [str(BIN / "uvicorn"), "--port", "{port}", "--no-access-log"]
        row(
            "generated / (home), uvicorn asgi.py, 2 workers",
            [*uvicorn, "--workers", "2", app],
            "/",
            generated,
            env,
            headers=HTTPS,
        )

        # The variant with every service: PostgreSQL (pooled), Redis and Channels.
        database, cache = PostgreSQL(), Redis()
        try:
            services_project, services_env = prepare_generated(
                directory / "services",
                SERVICES,
                DATABASE_URL=database.create_database("bench"),
                REDIS_URL=cache.url(),
            )
            services_app = f"{services_project.name}.asgi:application"
            for path, headers in [("/", HTTPS), ("/readyz", ())]:
                row(
                    f"postgresql+redis+channels {path}, daphne",
                    [*daphne, services_app],
                    path,
                    services_project,
                    services_env,
                    headers=headers,
                )
        finally:
            cache.remove()
            database.remove()

    print_table(
        f"Serving ({CONNECTIONS} connections, {SECONDS}s x {RUNS} runs after a warm-up)",
        HEADER,
        [table_row(name, figures) for name, figures in rows.items()],
    )
    ceiling = rows["raw ASGI callable, daphne"][0]
    bare = rows["bare startproject /hello (sync), daphne"]
    home = rows["generated / (home), daphne"]
    print_table(
        "Ratios (same run)",
        ["ratio", "value", "target"],
        [
            [
                "/healthz ÷ raw ASGI ceiling",
                f"{rows['generated /healthz, daphne'][0] / ceiling:.2f}",
                "≥ 0.7",
            ],
            ["home ÷ bare hello-world", f"{home[0] / bare[0]:.2f}", "≥ 1.2"],
            ["home RSS ÷ bare RSS", f"{home[5] / bare[5]:.2f}", "≤ 1.2"],
            ["errors, all rows", sum(r[3] for r in rows.values()), "0"],
        ],
    )


if __name__ == "__main__":
    main()
