"""Signing in by email address on PostgreSQL is one index look-up, whatever the case typed.

The unique index is on LOWER(email) (users/models.py), and the manager compares
LOWER(email) (users/managers.py). ``email__iexact`` compiles to UPPER() on
PostgreSQL, which that index cannot serve: every sign-in would read the table.
"""

import pytest
from django.db import connection

from {{ cookiecutter.project_slug }}.users.models import User


@pytest.mark.django_db
def test_finding_a_user_by_email_in_another_case_uses_the_unique_index():
    User.objects.create_user("Grace@Example.com", password="correct horse battery")
    lookup = User.objects.by_email("GRACE@example.COM")

    with connection.cursor() as cursor:
        # A small table would be read whole anyway: ask whether the index can serve it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = lookup.explain()

    assert lookup.get().email == "Grace@example.com"
    assert "user_email_unique_in_any_case" in plan, plan
