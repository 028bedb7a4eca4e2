"""Creates users from an email address, and finds them by it in any case.

``get_by_natural_key`` is what signing in, ``createsuperuser`` and fixtures
use to find a user; it compares LOWER(email), as the unique index does.

See https://docs.djangoproject.com/en/6.1/topics/auth/customizing/#writing-a-manager-for-a-custom-user-model
"""

from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import BaseUserManager
from django.db.models import QuerySet, Value
from django.db.models.functions import Lower

if TYPE_CHECKING:
    from .models import User


class UserManager(BaseUserManager["User"]):
    # Data migrations (RunPython) get this manager, and so can create users.
    use_in_migrations = True

    def get_by_natural_key(self, email: str | None) -> "User":
        return self.by_email(email).get()

    async def aget_by_natural_key(self, email: str | None) -> "User":
        return await self.by_email(email).aget()

    def by_email(self, email: str | None) -> "QuerySet[User]":
        """The user with this address in any case, found through the index on LOWER(email).

        ``email__iexact`` would compare UPPER() on PostgreSQL, which that index cannot serve.
        """
        return self.alias(lower_email=Lower("email")).filter(lower_email=Lower(Value(email)))

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    # As Django's own UserManager marks it: templates must not call it.
    create_user.alters_data = True  # type: ignore[attr-defined]

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields["is_staff"] is not True or extra_fields["is_superuser"] is not True:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)

    create_superuser.alters_data = True  # type: ignore[attr-defined]

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("A user must have an email address.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user
