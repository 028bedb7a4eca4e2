"""Background tasks: django-tasks-db's db_worker, on SQLite and PostgreSQL, beside Celery.

    .venv/bin/python bench/tasks.py [--quick]

One baked project, run with its production settings as shipped (the PostgreSQL
pool included) except for the mailer, which is Django's locmem backend for both
systems. The workers start as the generated README says: ``manage.py db_worker
--interval 0.1``, one process each; Celery with a Redis broker and result
backend, ``--pool solo`` for one worker and ``--pool prefork --concurrency 2``
for two. The jobs are in task_jobs.py, which also explains what is measured.
A real PostgreSQL and a real redis-server run on loopback; every run is bounded
in count and time.

Targets (issue 12): on PostgreSQL, at least half of Celery's throughput at the
same worker count; enqueue to start, p50 at most 100 ms.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from support import BIN, QUICK, PostgreSQL, Redis, bake, manage, print_table, scratch

COUNT = 100 if QUICK else 1000
LATENCY_COUNT = 20 if QUICK else 100
WORKERS = [1] if QUICK else [1, 2]
JOBS = ["noop"] if QUICK else ["noop", "email"]
SETTINGS = """from {package}.settings.prod import *  # noqa: F403

MAILERS = {{"default": {{"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}}}
"""


def measure(project, env, system, job, workers):
    finished = subprocess.run(
        [
            sys.executable,
            "task_jobs.py",
            system,
            job,
            str(workers),
            str(COUNT),
            str(LATENCY_COUNT),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if finished.returncode != 0:
        sys.exit(finished.stdout[-2000:] + finished.stderr[-3000:])
    return json.loads(finished.stdout.splitlines()[-1])


def main():
    postgresql, redis = PostgreSQL(), Redis()
    try:
        with scratch() as temporary:
            directory = Path(temporary)
            projects = {
                "SQLite": bake(directory / "sqlite"),
                "PostgreSQL": bake(directory / "postgresql", "database=postgresql"),
            }
            base_env = {"PATH": f"{BIN}:/usr/bin:/bin", "REDIS_URL": redis.url()}
            urls = {
                "SQLite": f"sqlite:///{directory / 'tasks.sqlite3'}",
                "PostgreSQL": postgresql.create_database("tasks"),
            }
            envs = {}
            for name, project in projects.items():
                shutil.copy(Path(__file__).with_name("task_jobs.py"), project)
                (project / "bench_settings.py").write_text(SETTINGS.format(package=project.name))
                envs[name] = {
                    **base_env,
                    "DJANGO_SETTINGS_MODULE": "bench_settings",
                    "DJANGO_SECRET_KEY": "bench-only-" + "t" * 50,
                    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                    "DATABASE_URL": urls[name],
                }
                manage(project, envs[name], "migrate", "--noinput")

            rows, celery_rates = [], {}
            for job in JOBS:
                for workers in WORKERS:
                    celery = measure(projects["SQLite"], envs["SQLite"], "celery", job, workers)
                    celery_rates[job, workers] = celery["rate"]
                    rows.append(row("Celery, Redis broker", job, workers, celery, None))
                    for name in projects:
                        result = measure(projects[name], envs[name], "db", job, workers)
                        rows.append(row(f"db_worker, {name}", job, workers, result, celery))
    finally:
        redis.remove()
        postgresql.remove()

    print_table(
        f"Background tasks: {COUNT} queued jobs through the workers, then {LATENCY_COUNT} "
        "one at a time",
        ["system", "job", "workers", "tasks/s", "of Celery", "enqueue→start p50 ms", "p99 ms"],
        rows,
    )


def row(system, job, workers, result, celery):
    ratio = f"{result['rate'] / celery['rate']:.2f}" if celery else "1"
    return [
        system,
        job,
        workers,
        f"{result['rate']:.0f}",
        ratio,
        f"{result['p50']:.0f}",
        f"{result['p99']:.0f}",
    ]


if __name__ == "__main__":
    main()
