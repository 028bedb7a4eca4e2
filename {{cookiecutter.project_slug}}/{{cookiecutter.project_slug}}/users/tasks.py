"""Background tasks: work that a request should not wait for.

A task is a function with the ``@task`` decorator. ``.enqueue()`` (``await
.aenqueue()`` in async code) stores it in the database and returns at once;
``python manage.py db_worker``, a process of its own, runs it. Arguments and return
values travel as JSON, so pass ids and strings, not model instances.

See https://docs.djangoproject.com/en/6.1/topics/tasks/
"""

from django.core.mail import send_mail
from django.tasks import task

PROJECT_NAME = {{ cookiecutter.project_name | python_string }}


@task
def send_welcome_email(address: str) -> None:
    """Send the welcome email to one address, through the default mailer.

    A mail server that refuses the address, or cannot be reached, raises: the worker
    records the task as FAILED, with the traceback, and goes on with the next one.
    See https://docs.djangoproject.com/en/6.1/topics/email/
    """
    send_mail(
        subject=f"Welcome to {PROJECT_NAME}",
        message=f"Hello,\n\nWelcome to {PROJECT_NAME}. We are glad to have you.\n",
        from_email=None,
        recipient_list=[address],
    )
