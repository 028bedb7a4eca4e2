"""The components page's form: the whole page without JavaScript, its fragment for htmx.

And the navigation bar's sign-out button, which every page shows to a signed-in user.
"""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

HTMX = {"HX-Request": "true"}


def test_the_components_page_shows_the_form_inside_the_whole_page(client):
    response = client.get("/components/")

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<!doctype html>")
    assert 'id="greeting-form"' in response.text
    assert 'hx-post="/components/"' in response.text


def test_a_browser_without_javascript_gets_the_whole_page_with_the_greeting(client):
    response = client.post("/components/", {"name": "Ada Lovelace"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<!doctype html>")
    assert "Hello, Ada Lovelace!" in response.text


def test_htmx_gets_the_form_alone_with_the_greeting(client):
    response = client.post("/components/", {"name": "Ada"}, headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form id="greeting-form"')
    assert response.text.rstrip().endswith("</form>")
    assert "Hello, Ada!" in response.text
    assert "HX-Request" in response["Vary"]


def test_a_name_the_form_refuses_comes_back_with_its_error_in_place(client):
    response = client.post("/components/", {"name": "R2-D2"}, headers=HTMX)

    assert response.status_code == 200
    assert "Use letters, spaces, hyphens and apostrophes only." in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Hello" not in response.text


@pytest.mark.django_db
def test_a_signed_in_user_sees_a_sign_out_button_that_signs_them_out(admin_client):
    page = admin_client.get("/").text
    assert 'action="/accounts/logout/"' in page

    response = admin_client.post("/accounts/logout/")

    assert (response.status_code, response["Location"]) == (302, "/")
    assert "Signed in as" not in admin_client.get("/").text


@pytest.mark.django_db
def test_signing_out_takes_a_post_not_a_link(admin_client):
    # A GET only shows the question, with the same POST button.
    asked = admin_client.get("/accounts/logout/")

    assert asked.status_code == 200
    assert "Signed in as" in admin_client.get("/").text


def test_htmx_is_served_by_the_site_pinned_and_with_its_licence():
    found = finders.find("vendor/htmx/htmx.min.js")
    assert isinstance(found, str), "htmx is not among the static files"
    script = Path(found)

    assert 'version:"2.0.11"' in script.read_text()
    assert "Zero-Clause BSD" in (script.parent / "LICENSE").read_text()
