"""How accounts behave where the project differs from allauth's defaults.

{%- if cookiecutter.use_tasks %}
Account mail (the address confirmation, the password reset) is rendered in the
request and sent by the task worker (``send_account_email`` in tasks.py): a slow
or refusing mail server never holds or breaks the page that asked for it.
{%- else %}
Account mail (the address confirmation, the password reset) is sent during the
request; a mail server that refuses it or cannot be reached is logged in one line
and told to the person as a message, instead of answering with a server error.
{%- endif %}

See https://docs.allauth.org/en/latest/account/advanced.html#custom-redirects
and https://docs.allauth.org/en/latest/common/email.html
"""
{%- if not cookiecutter.use_tasks %}

import logging
import smtplib
{%- endif %}

from allauth.account.adapter import DefaultAccountAdapter
{%- if not cookiecutter.use_tasks %}
from django.contrib import messages
{%- endif %}
from django.contrib.sites.shortcuts import get_current_site
{%- if cookiecutter.use_tasks %}
from django.core.mail import EmailMultiAlternatives

from .tasks import send_account_email
{%- else %}

logger = logging.getLogger(__name__)
{%- endif %}


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, object]) -> None:
        context = {
            "request": self.request,
            "email": email,
            "current_site": get_current_site(self.request),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
{%- if cookiecutter.use_tasks %}
        html = None
        if isinstance(message, EmailMultiAlternatives):
            html = next(
                (str(body) for body, mimetype in message.alternatives if mimetype == "text/html"),
                None,
            )
        # Only text travels to the worker: a task's arguments are stored as JSON.
        send_account_email.enqueue(
            subject=message.subject,
            body=str(message.body),
            html=html,
            from_email=message.from_email,
            to=list(message.to),
        )
{%- else %}
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            logger.error("Account email to %r not sent: %s", email, error)
            messages.error(
                self.request,
                "We could not send the email just now. Please try again in a few minutes.",
            )
{%- endif %}
