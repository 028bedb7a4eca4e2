"""Tasks left RUNNING by a worker that died: found, given back to the queue, or failed.

A worker killed outright (SIGKILL, the out-of-memory killer, a lost machine) never
records the end of the task it was running: its row stays RUNNING, claimed by the
dead worker's id. django-tasks-db 0.13 has no recovery of its own (no worker claims
a RUNNING task again, and ``prune_db_task_results`` removes only finished ones), so
these functions do it through the ORM, on ``DBTaskResult``'s own fields.

A task given back runs again from the start: delivery is at least once, so every
task must be safe to run twice. ``requeue_stale_tasks`` and ``check_worker`` are the
commands that use them.

See https://docs.djangoproject.com/en/6.1/topics/tasks/ and
https://github.com/RealOrangeOne/django-tasks-db
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

# A task RUNNING for longer than this is taken for lost. It must be longer than any
# task runs: ten times the 30 s that a stopping worker gets to finish its task.
RUNNING_LIMIT_SECONDS = 300
# Claims after which a lost task is recorded as FAILED instead: a task that kills
# its worker each time (memory, a segfault) would otherwise run for ever.
MAX_ATTEMPTS = 3
# A row of any task: these functions read only its status, claims and times.
type TaskRow = DBTaskResult[..., object]


class WorkerLost(Exception):
    """The error recorded for a task whose every worker died before it finished."""


@dataclass(frozen=True)
class Recovered:
    """A lost task and what was done with it: "requeued" or "failed"."""

    id: str
    task_path: str
    worker_id: str
    outcome: str


def lost_tasks(older_than: float, worker_id: str | None = None) -> list[TaskRow]:
    """The RUNNING tasks started more than ``older_than`` seconds ago.

    With ``worker_id``, also those that this worker claimed last, whatever their age:
    a worker that is starting under that id runs none of them any more. Worker ids
    must be unique across the workers (db_worker's ``--worker-id``).
    """
    cutoff = timezone.now() - timedelta(seconds=older_than)
    running: QuerySet[TaskRow] = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING
    ).order_by("started_at")
    return [
        result
        for result in running
        if (result.started_at is not None and result.started_at < cutoff)
        or (worker_id is not None and last_worker(result) == worker_id)
    ]


def last_worker(result: TaskRow) -> str:
    """The id of the worker that claimed a task last."""
    worker_ids: list[str] = result.worker_ids
    return worker_ids[-1] if worker_ids else ""


def recover(
    older_than: float, worker_id: str | None = None, max_attempts: int = MAX_ATTEMPTS
) -> list[Recovered]:
    """Give each lost task back to the queue (READY), or fail it after ``max_attempts``.

    Each change is one UPDATE on the row as it was read (still RUNNING, same start),
    so a task that its worker finished, or another worker claimed, meanwhile is left
    alone.
    """
    recovered = []
    for result in lost_tasks(older_than, worker_id):
        same_claim = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        attempts = len(result.worker_ids)
        if attempts >= max_attempts:
            reason = f"its worker died {attempts} times before it finished; not retried"
            changed = same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: {reason}\n",
            )
            outcome = "failed"
        else:
            changed = same_claim.update(status=TaskResultStatus.READY)
            outcome = "requeued"
        if changed:
            recovered.append(
                Recovered(str(result.pk), result.task_path, last_worker(result), outcome)
            )
    return recovered
