"""The project's user model, AUTH_USER_MODEL since the first migration.

Django's own ``User``, in a model that belongs to the project: add a field here
and run ``manage.py makemigrations``, as for any model. Swapping the user model
after the first migration is the hard part, and it is already done.
{%- if cookiecutter.username_type == "email" %}

People sign in with their email address, and there is no username. Two users
cannot share an address, even spelt with other capitals, and signing in
ignores the case.
{%- endif %}

See https://docs.djangoproject.com/en/6.1/topics/auth/customizing/#substituting-a-custom-user-model
"""
{%- if cookiecutter.username_type == "email" %}

from typing import ClassVar
{%- endif %}

from django.contrib.auth.models import AbstractUser
{%- if cookiecutter.username_type == "email" %}
from django.db import models
from django.db.models.functions import Lower

from .managers import UserManager
{%- endif %}


class User(AbstractUser):
    """Someone who signs in; the project's own fields about them go here."""
{%- if cookiecutter.username_type == "email" %}

    # No username: mypy's django plugin types it from the base class, a str.
    username = None  # type: ignore[assignment]
    # unique=True is what Django's checks look for; the constraint below adds the case.
    email = models.EmailField("email address", unique=True)

    # Not Django's auth UserManager, which the stubs expect on AbstractUser: it needs a username.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta(AbstractUser.Meta):
        constraints = (
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_in_any_case",
                violation_error_message="A user with this email address already exists.",
            ),
        )
{%- endif %}
