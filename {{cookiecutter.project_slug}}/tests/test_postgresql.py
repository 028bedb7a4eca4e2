"""The project runs on PostgreSQL: tests and migrations go to the real server."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_database_is_postgresql_and_migrated():
    assert connection.vendor == "postgresql"
    assert "users_user" in connection.introspection.table_names()


@pytest.mark.django_db
def test_a_user_round_trips_through_postgresql(django_user_model):
    django_user_model.objects.create_user("ada@example.com", password="correct horse battery")

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {django_user_model.USERNAME_FIELD} FROM users_user")
        assert cursor.fetchall() == [("ada@example.com",)]
