"""``manage.py check_worker``: the liveness check of a worker, run by its probe.

It fails (exit status 1) when a task that the worker ``--worker-id`` claimed has
been RUNNING for longer than ``--older-than`` seconds: the worker is stuck in it
(a call that never returns, a deadlock), and only a restart frees it; the
restart's ``requeue_stale_tasks`` then gives the task back to the queue.
db_worker has no hook in its polling loop, so an idle worker cannot report a
heartbeat without replacing the command; a worker whose process dies is
restarted by its supervisor anyway.

See https://docs.djangoproject.com/en/6.1/howto/custom-management-commands/
"""

from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from {{ cookiecutter.project_slug }}.users.stale_tasks import (
    RUNNING_LIMIT_SECONDS,
    last_worker,
    lost_tasks,
)


class Command(BaseCommand):
    help = "Fail if this worker has been running one task for longer than the limit."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--worker-id",
            help="the worker to check (db_worker's --worker-id); default: every worker",
        )
        parser.add_argument(
            "--older-than",
            type=float,
            default=RUNNING_LIMIT_SECONDS,
            metavar="SECONDS",
            help="the longest a task may run (default: %(default)s)",
        )

    def handle(
        self, *args: str, worker_id: str | None, older_than: float, **options: object
    ) -> None:
        stuck = [
            result
            for result in lost_tasks(older_than)
            if worker_id is None or last_worker(result) == worker_id
        ]
        if stuck:
            names = ", ".join(f"id={result.pk} path={result.task_path}" for result in stuck)
            raise CommandError(f"RUNNING for longer than {older_than:g} s: {names}")
        self.stdout.write("ok")
