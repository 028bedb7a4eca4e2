"""Who may call the API, and how often.

Two ways in, tried in this order on every endpoint:

- ``Authorization: Bearer <token>``, a personal access token (models.Token) for
  scripts: no cookie, so no CSRF check;
- the site's session cookie, as in the browser, with Django's CSRF check on
  unsafe methods (``X-CSRFToken``), which django-ninja's ``django_auth`` does.

The throttle counts each user's requests, and each client address's, spelt as the
sign-in limits spell it (users/adapters.py): an IPv6 client by its /64.

See https://django-ninja.dev/guides/authentication/ and
https://django-ninja.dev/guides/throttling/
"""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from ..users.adapters import canonical_address
from ..users.models import User
from .models import Token, token_digest

# last_used is written at most this often per token: a busy script costs no write a request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """A personal access token, looked up by its digest; revoked or expired ones are refused."""

    async def authenticate(self, request: HttpRequest, token: str) -> User | None:
        now = timezone.now()
        found = await (
            Token.objects.select_related("owner")
            .filter(
                digest=token_digest(token),
                revoked__isnull=True,
                expires__gt=now,
                owner__is_active=True,
            )
            .afirst()
        )
        if found is None:
            return None
        if found.last_used is None or now - found.last_used > LAST_USED_RESOLUTION:
            await Token.objects.filter(pk=found.pk).aupdate(last_used=now)
        return found.owner


def client_key(request: HttpRequest) -> str:
    """The client's address as the sign-in limits count it: one spelling, IPv6 by its /64."""
    address = canonical_address(request.META.get("REMOTE_ADDR", ""))
    if ":" in address:
        prefix = settings.ALLAUTH_RATE_LIMIT_IPV6_PREFIX
        return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
    return address


# django-ninja calls a throttle synchronously, on the event loop: with the local-memory
# cache that costs microseconds; with Redis, a round trip that blocks the loop meanwhile.


class UserThrottle(SimpleRateThrottle):
    """API_THROTTLE_RATE requests per signed-in user, whichever way they signed in."""

    scope = "api-user"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None)
        if not isinstance(user, User):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class AddressThrottle(SimpleRateThrottle):
    """API_THROTTLE_RATE requests per client address, whoever signs in from it."""

    scope = "api-address"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        try:
            ident = client_key(request)
        except ValueError:
            # No address (a test's bare ASGI scope): the user's own limit still holds.
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}
