"""The pages answer through Django's test client, under the development settings."""

import pytest
from django.template.loader import render_to_string

from .conftest import shows_project_name


def test_home_page_shows_the_project_name(client):
    response = client.get("/")

    assert response.status_code == 200
    assert shows_project_name(response.text)


def test_healthz_answers_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == "ok"


@pytest.mark.django_db
def test_readyz_answers_ok_while_the_database_and_cache_answer(client):
    response = client.get("/readyz")

    assert (response.status_code, response.text) == (200, "ok")


@pytest.mark.django_db
def test_readyz_fails_while_the_static_files_are_not_collected(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }

    response = client.get("/readyz")

    assert (response.status_code, response.text) == (503, "unavailable: static files")


def test_unknown_page_uses_the_projects_404_template(client, settings):
    settings.DEBUG = False

    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_500_template_renders_without_any_context():
    assert "Something went wrong" in render_to_string("500.html")


def test_the_admin_sends_people_to_the_site_s_sign_in_page(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
