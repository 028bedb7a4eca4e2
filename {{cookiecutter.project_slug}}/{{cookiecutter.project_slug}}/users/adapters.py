"""How accounts behave where the project differs from allauth's defaults.

The client's address, for the sign-in limits, is REMOTE_ADDR: serving/proxy.py
has already taken it from the trusted proxies' X-Forwarded-For. It is counted in
one spelling: an IPv4-mapped IPv6 address as its IPv4 address, IPv6 in the
canonical form (allauth then groups it by its /64, ALLAUTH_RATE_LIMIT_IPV6_PREFIX),
so that ``::ffff:127.0.0.80`` or ``2001:DB8:0:0::1`` is no new client. Each failed
sign-in is logged in one line, without the password. Every account email gets an
HTML part in the site's colours (account/email/layout.html) beside allauth's text.

{%- if cookiecutter.use_tasks %}
Account mail (the address confirmation, the password reset) is rendered in the
request and sent by the task worker (``send_account_email`` in tasks.py): a slow
or refusing mail server never holds or breaks the page that asked for it.
{%- else %}
Account mail (the address confirmation, the password reset) is sent during the
request; a mail server that refuses it or cannot be reached is logged in one line
and told to the person as a message, instead of answering with a server error.
{%- endif %}

See https://docs.allauth.org/en/latest/account/adapter.html
and https://docs.allauth.org/en/latest/common/email.html
"""

import ipaddress
import logging
{%- if not cookiecutter.use_tasks %}
import smtplib
{%- endif %}

from allauth.account.adapter import DefaultAccountAdapter
{%- if not cookiecutter.use_tasks %}
from django.contrib import messages
{%- endif %}
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string
{%- if cookiecutter.use_tasks %}

from .tasks import send_account_email
{%- endif %}

logger = logging.getLogger(__name__)


def canonical_address(text: str) -> str:
    """One spelling per client: IPv4-mapped IPv6 as IPv4, IPv6 compressed and in lower case."""
    address = ipaddress.ip_address(text.strip())
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        try:
            return canonical_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            raise PermissionDenied("no client address") from None

    def authentication_failed(self, request: HttpRequest, **credentials: object) -> None:
        login = credentials.get("email") or credentials.get("username") or ""
        # %r quotes the login, so that no line break in it can forge a second log line.
        logger.warning("Failed sign-in from %s for %r", self.get_client_ip(request), login)

    def render_mail(
        self, template_prefix: str, email: str, context: dict[str, object], headers: object = None
    ) -> EmailMessage:
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if isinstance(message, EmailMultiAlternatives) and message.alternatives:
            return message  # an HTML template of the project's own for this email
        html = render_to_string(
            "account/email/layout.html",
            {"subject": message.subject, "body": message.body, **context},
        )
        styled = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=message.to,
            headers=message.extra_headers,
        )
        styled.attach_alternative(html, "text/html")
        return styled

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
            subject=str(message.subject),
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
