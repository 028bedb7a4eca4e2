"""The API's models: an example resource of the user's own, and their access tokens.

A token's secret is shown once, when it is made, and never stored: the database
keeps its SHA-256 digest, which is what a request's ``Authorization: Bearer`` is
looked up by. A random 256-bit secret needs no slow hash (that is for passwords,
which people choose): a leaked table gives nobody a usable token.

See https://docs.djangoproject.com/en/6.1/topics/db/models/
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..users.models import User

# Lets a leaked secret be recognised by scanners and people alike.
TOKEN_PREFIX = "pat_"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Note(models.Model):
    """The example resource: a note that belongs to one user, seen by them alone."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        # The list's order, newest first; the id breaks ties within one instant.
        ordering = ("-created", "-id")
        indexes = (models.Index(fields=["owner", "-created", "-id"], name="note_owner_newest"),)

    def __str__(self) -> str:
        return self.title


class Token(models.Model):
    """A personal access token, for scripts: made and revoked on the account's tokens page."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, to recognise it.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, owner: User, name: str, days: int) -> tuple["Token", str]:
        """A new token and its secret, which the caller shows once and forgets."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            owner=owner,
            name=name,
            digest=token_digest(secret),
            expires=timezone.now() + timedelta(days=days),
        )
        return token, secret

    @property
    def is_active(self) -> bool:
        return self.revoked is None and self.expires > timezone.now()
