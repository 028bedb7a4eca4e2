"""Failed logins: each one logged, and refused after too many.

Django sends ``user_login_failed`` for every failure, with the username and
never the password; ``log_and_count`` (connected in apps.py) logs it in one
line and counts it in the default cache, per client address (``REMOTE_ADDR``)
and per username, for LOGIN_LOCKOUT_SECONDS. ``limit_failed_logins`` wraps a login view (urls.py
wraps the admin's): once an address reaches LOGIN_FAILURE_LIMIT failures, or a
username LOGIN_FAILURE_LIMIT_PER_USERNAME failures from any number of
addresses, the next attempt gets a 429 with ``Retry-After``, right password or
not, until LOGIN_LOCKOUT_SECONDS have passed since the failure that reached the
limit.

The username cap is much higher than the address limit: it stops a guesser who
spreads over many addresses, and one client alone, refused after its own few
failures, cannot reach it. The price: enough addresses together can lock an
account's owner out for the window; other accounts still sign in. A success
resets nothing, or a client that owns one account could reset its count between
guesses at another.

Why not django-axes: it needs an app, its own tables or cache handler, an
authentication backend and a middleware that runs on every request; its
releases do not yet name Django 6.1. This wrapper costs nothing on other
requests, and a cache look-up on a login. Without Redis the cache is per
process, so each daphne process counts on its own.

See https://docs.djangoproject.com/en/6.1/ref/contrib/auth/#django.contrib.auth.signals.user_login_failed
and https://docs.djangoproject.com/en/6.1/topics/cache/#the-low-level-cache-api
"""

import hashlib
import logging
import math
import time
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)


def counters(address: str, username: str) -> list[tuple[str, str, int]]:
    """What an attempt counts against: (who, cache key, limit) for its address and username."""
    # Cleaned as the login form cleans it, so that another spelling counts as the same name.
    name = unicodedata.normalize("NFKC", username.strip()).casefold()
    return [
        (f"from {address}", cache_key("address", address), settings.LOGIN_FAILURE_LIMIT),
        (
            f"for username {name!r}",
            cache_key("username", name),
            settings.LOGIN_FAILURE_LIMIT_PER_USERNAME,
        ),
    ]


def cache_key(kind: str, value: str) -> str:
    # Hashed: a username may hold characters that a cache key must not.
    return f"login-failures:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def log_and_count(
    sender: object,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: object,
) -> None:
    address = request.META.get("REMOTE_ADDR", "") if request else ""
    username = str(credentials.get("username", ""))
    # %r quotes the username, so that no line break in it can forge a second log line.
    logger.warning("Failed login from %s for username %r", address or "-", username)
    if request is None:
        return
    window = settings.LOGIN_LOCKOUT_SECONDS
    for who, key, limit in counters(address, username):
        cache.add(key, 0, window)
        try:
            failures = cache.incr(key)
        except ValueError:  # The count expired between add and incr.
            failures = 1
            cache.set(key, failures, window)
        if failures >= limit:
            cache.set(f"{key}:until", time.time() + window, window)
        if failures == limit:
            logger.warning("Refusing logins %s for %ss after %s failures", who, window, limit)


def seconds_refused(address: str, username: str) -> int:
    """How long attempts from this address or for this username are still refused."""
    until = cache.get_many([f"{key}:until" for _, key, _ in counters(address, username)])
    return math.ceil(max(until.values(), default=0) - time.time())


def limit_failed_logins(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse, with a 429, a login attempt from an address or for a username locked out."""

    @wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            address = request.META.get("REMOTE_ADDR", "")
            seconds = seconds_refused(address, request.POST.get("username", ""))
            if seconds > 0:
                response = render(request, "429.html", {"seconds": seconds}, status=429)
                response["Retry-After"] = str(seconds)
                add_never_cache_headers(response)
                return response
        return view(request, *args, **kwargs)

    return limited
