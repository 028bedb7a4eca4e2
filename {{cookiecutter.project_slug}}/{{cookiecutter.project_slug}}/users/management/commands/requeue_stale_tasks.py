"""``manage.py requeue_stale_tasks``: give the tasks of dead workers back to the queue.

Each task RUNNING for longer than ``--older-than`` seconds goes back to READY, and
a worker runs it again (at least once: tasks must be safe to run twice); one that
``--max-attempts`` workers have already claimed is recorded as FAILED instead.
``--worker-id ID``, run just before a worker starts under that id, also takes back
whatever that worker was running when it died, however recently it started. The
deploy files run it so; see ``{{ cookiecutter.project_slug }}/users/stale_tasks.py``.

See https://docs.djangoproject.com/en/6.1/howto/custom-management-commands/
"""

from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from {{ cookiecutter.project_slug }}.users.stale_tasks import (
    MAX_ATTEMPTS,
    RUNNING_LIMIT_SECONDS,
    recover,
)


class Command(BaseCommand):
    help = "Put the tasks that dead workers left RUNNING back in the queue, or fail them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=RUNNING_LIMIT_SECONDS,
            metavar="SECONDS",
            help="take back the tasks RUNNING for longer than this (default: %(default)s)",
        )
        parser.add_argument(
            "--worker-id",
            help="also take back every task this worker was running: it is about to start",
        )
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=MAX_ATTEMPTS,
            help="fail a task instead once this many workers claimed it (default: %(default)s)",
        )

    def handle(
        self,
        *args: str,
        older_than: float,
        worker_id: str | None,
        max_attempts: int,
        **options: object,
    ) -> None:
        recovered = recover(older_than, worker_id=worker_id, max_attempts=max_attempts)
        for task in recovered:
            self.stdout.write(
                f"Task id={task.id} path={task.task_path} worker_id={task.worker_id} "
                f"was RUNNING on a dead worker: {task.outcome}"
            )
        self.stdout.write(f"{len(recovered)} lost task(s) recovered")
