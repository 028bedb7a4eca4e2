"""Background tasks: work that a request should not wait for.

A task is a function with the ``@task`` decorator. ``.enqueue()`` (``await
.aenqueue()`` in async code) stores it in the database and returns at once;
``python manage.py db_worker``, a process of its own, runs it. Arguments and return
values travel as JSON, so pass ids and strings, not model instances.

A task runs at least once, not exactly once: one whose worker was killed goes back
to the queue (``manage.py requeue_stale_tasks``, README "Lost tasks") and runs again
from the start. Write each task to be safe to run twice.

See https://docs.djangoproject.com/en/6.1/topics/tasks/
"""

from django.core.mail import EmailMultiAlternatives, send_mail
from django.tasks import task

PROJECT_NAME = {{ cookiecutter.project_name | python_string }}


@task
def send_welcome_email(address: str) -> None:
    """Send the welcome email to one address, through the default mailer.

    A mail server that refuses the address, or cannot be reached, raises: the worker
    records the task as FAILED, with the traceback, and goes on with the next one.
    A worker killed mid-send has it sent again once the task is requeued: a second
    welcome is harmless, so this task checks nothing first. One that must not repeat
    (a payment) records what it did and checks that record before acting.
    See https://docs.djangoproject.com/en/6.1/topics/email/
    """
    send_mail(
        subject=f"Welcome to {PROJECT_NAME}",
        message=f"Hello,\n\nWelcome to {PROJECT_NAME}. We are glad to have you.\n",
        from_email=None,
        recipient_list=[address],
    )


@task
def send_account_email(
    subject: str, body: str, html: str | None, from_email: str, to: list[str]
) -> None:
    """Send one account email (address confirmation, password reset) rendered by a request.

    users/adapters.py renders it and queues it here, so that the page does not wait
    for the mail server. A refusal fails the task, as for the welcome email; sent
    twice after a requeue, the second link works as well as the first.
    """
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
