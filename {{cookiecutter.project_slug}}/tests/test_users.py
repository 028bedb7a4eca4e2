"""The project's user model: what creates users and what signs them in.
{%- if cookiecutter.username_type == "email" %}

People sign in with their email address, in any case, and two users cannot
share one however it is spelt.
{%- endif %}

See https://docs.djangoproject.com/en/6.1/topics/auth/customizing/
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
{%- if cookiecutter.username_type == "email" %}
from django.db import IntegrityError, transaction
{%- endif %}
from django.urls import reverse

from {{ cookiecutter.project_slug }}.users.models import User
{%- if cookiecutter.username_type == "email" %}

from .conftest import ADMIN, sign_in
{%- endif %}

PASSWORD = "a-long-test-password-1234"


@pytest.mark.django_db
def test_django_s_own_apps_point_at_the_project_s_user_model(admin_user):
    # The admin's log and the auth groups refer to this model, in this app's table.
    log_entry_user = LogEntry._meta.get_field("user").related_model
    group_members = Group._meta.get_field("user").related_model

    assert (log_entry_user, group_members) == (User, User)
    assert User._meta.db_table == "users_user"
    assert get_user_model().objects.get() == admin_user


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    # Exits with status 1, printing the migrations it would write, when one is missing.
    call_command("makemigrations", check=True, dry_run=True)


@pytest.mark.django_db
def test_createsuperuser_makes_an_administrator_from_the_environment(monkeypatch):
{%- if cookiecutter.username_type == "email" %}
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Ada@example.com")
{%- else %}
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "ada")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "ada@example.com")
{%- endif %}
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    call_command("createsuperuser", interactive=False, verbosity=0)
{%- if cookiecutter.username_type == "email" %}

    administrator = authenticate(username="ada@example.com", password=PASSWORD)
    assert administrator.email == "Ada@example.com"
{%- else %}

    administrator = authenticate(username="ada", password=PASSWORD)
    assert administrator.email == "ada@example.com"
{%- endif %}
    assert administrator.is_superuser
    assert administrator.is_staff


@pytest.mark.django_db
def test_the_admin_lists_users_and_shows_one_to_change(admin_client, admin_user):
    listed = admin_client.get(reverse("admin:users_user_changelist"), {"q": "admin"})
    shown = admin_client.get(reverse("admin:users_user_change", args=[admin_user.pk]))

    assert (listed.status_code, shown.status_code) == (200, 200)
    assert admin_user.get_username() in listed.text
    assert admin_user.get_username() in shown.text


@pytest.mark.django_db
def test_the_admin_s_add_user_form_creates_a_user(admin_client):
    form = {
{%- if cookiecutter.username_type == "email" %}
        "email": "grace@example.com",
{%- else %}
        "username": "grace",
{%- endif %}
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }

    response = admin_client.post(reverse("admin:users_user_add"), form)

    assert response.status_code == 302
{%- if cookiecutter.username_type == "email" %}
    assert authenticate(username="grace@example.com", password=PASSWORD)
{%- else %}
    assert authenticate(username="grace", password=PASSWORD)
{%- endif %}
{%- if cookiecutter.username_type == "email" %}


@pytest.mark.django_db
def test_the_admin_s_add_user_form_refuses_an_email_address_in_another_case(admin_client):
    User.objects.create_user("grace@example.com", password=PASSWORD)
    form = {
        "email": "GRACE@example.com",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }

    response = admin_client.post(reverse("admin:users_user_add"), form)

    assert response.status_code == 200
    assert "A user with this email address already exists." in response.text
    assert User.objects.count() == 2  # grace and the admin_client's administrator


@pytest.mark.django_db
def test_two_users_cannot_share_an_email_address_in_another_case():
    User.objects.create_user("grace@example.com", password=PASSWORD)

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("Grace@example.com", password=PASSWORD)


@pytest.mark.django_db
def test_a_user_signs_in_with_their_email_address_in_any_case():
    grace = User.objects.create_user("Grace@Example.com", password=PASSWORD)

    assert grace.email == "Grace@example.com"
    assert authenticate(username="grace@EXAMPLE.COM", password=PASSWORD) == grace
    assert authenticate(username="grace@example.org", password=PASSWORD) is None


def test_the_administrator_signs_in_to_the_admin_with_their_email_in_another_case(daphne_prod):
    status, headers, _ = sign_in(daphne_prod, username=ADMIN["username"].upper())

    assert (status, headers["Location"]) == (302, "/admin/")
{%- endif %}


def test_production_hashes_with_argon2_and_rehashes_an_older_hash_at_sign_in(settings):
    # The test settings hash with MD5, for speed; these are every other settings module's.
    from {{ cookiecutter.project_slug }}.settings.base import PASSWORD_HASHERS

    settings.PASSWORD_HASHERS = PASSWORD_HASHERS
    older = make_password(PASSWORD, hasher="pbkdf2_sha256")
    rehashed: list[str] = []

    assert make_password(PASSWORD).startswith("argon2$argon2id$")
    assert check_password(PASSWORD, older, setter=rehashed.append)
    assert rehashed == [PASSWORD]
