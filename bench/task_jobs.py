"""The tasks benchmark's jobs and its driver, copied into a baked project by bench/tasks.py.

The same two jobs for both systems: ``noop`` does nothing, ``email`` sends a
one-kilobyte message through Django's mailer (the locmem backend: the cost of
building and handing over a message, not of an SMTP server). Each records when
it was sent, when it started and when it ended, with the machine's clock.

    python task_jobs.py db|celery noop|email WORKERS COUNT LATENCY_COUNT

runs COUNT jobs queued before the workers start (throughput), then, the workers
idle, LATENCY_COUNT jobs sent one at a time at random gaps (enqueue to start), and
prints one JSON line.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time

import django
from django.apps import apps

if not apps.ready:  # the Celery worker and this driver; db_worker has set Django up
    django.setup()

from celery import Celery
from django.core.mail import send_mail
from django.tasks import task

BODY = "Hello,\n\n" + "Welcome aboard. " * 64


@task
def noop(sent):
    now = time.time()
    return [sent, now, now]


@task
def email(sent):
    started = time.time()
    send_mail("Welcome", BODY, None, ["ada@example.com"])
    return [sent, started, time.time()]


# The same functions for Celery, with a Redis broker and result backend, its defaults otherwise.
celery = Celery(
    "task_jobs", broker=os.environ.get("REDIS_URL"), backend=os.environ.get("REDIS_URL")
)
celery_noop = celery.task(name="noop")(noop.func)
celery_email = celery.task(name="email")(email.func)


def worker_command(system, workers):
    if system == "db":
        # What the template ships (README, compose.yaml): one process per worker.
        return [[sys.executable, "manage.py", "db_worker", "--interval", "0.1"]] * workers
    pool = (
        ["--pool", "solo"]
        if workers == 1
        else ["--pool", "prefork", "--concurrency", str(workers)]
    )
    return [[sys.executable, "-m", "celery", "-A", "task_jobs", "worker", *pool]]


def start_workers(system, workers):
    return [
        subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        for command in worker_command(system, workers)
    ]


def stop(processes):
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(results, seconds=120):
    """The [sent, started, ended] of each job, once all have finished."""
    deadline = time.monotonic() + seconds
    if results and isinstance(results[0], str):  # django.tasks result ids
        from django_tasks_db.models import DBTaskResult

        while time.monotonic() < deadline:
            rows = DBTaskResult.objects.filter(id__in=results, status="SUCCESSFUL")
            if rows.count() == len(results):
                return list(rows.values_list("return_value", flat=True))
            time.sleep(0.1)
        raise RuntimeError("the db_worker did not finish in time")
    return [result.get(timeout=max(deadline - time.monotonic(), 1)) for result in results]


def send(system, job, count, gap=None):
    sent = []
    for _ in range(count):
        if gap:
            time.sleep(random.uniform(*gap))
        if system == "db":
            sent.append(str({"noop": noop, "email": email}[job].enqueue(time.time()).id))
        else:
            sent.append({"noop": celery_noop, "email": celery_email}[job].delay(time.time()))
    return sent


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))]


def main(system, job, workers, count, latency_count):
    if system == "db":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()
    else:
        celery.control.purge()

    queued = send(system, job, count)
    processes = start_workers(system, workers)
    try:
        timings = wait_for(queued)
        starts = sorted(started for _, started, _ in timings)
        rate = (len(starts) - 1) / (starts[-1] - starts[0])
        # The workers are idle now: jobs one at a time, at gaps that fall anywhere in a poll.
        timings = wait_for(send(system, job, latency_count, gap=(0.02, 0.12)))
        latencies = [(started - sent) * 1000 for sent, started, _ in timings]
    finally:
        stop(processes)
    print(
        json.dumps(
            {
                "rate": rate,
                "p50": percentile(latencies, 0.5),
                "p99": percentile(latencies, 0.99),
            }
        )
    )


if __name__ == "__main__":
    import task_jobs  # the jobs under their importable name, not __main__'s

    task_jobs.main(sys.argv[1], sys.argv[2], *(int(value) for value in sys.argv[3:6]))
