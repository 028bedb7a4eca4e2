"""The site's routes: each app's own, the probes, the accounts and the admin.

See https://docs.djangoproject.com/en/6.1/topics/http/urls/
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

{% if cookiecutter.api == "ninja" -%}
from .api.routes import api
from .api.views import tokens
{% endif -%}
from .serving import probes
from .users.admin_login import admin_login
{%- if cookiecutter.use_tasks %}
from .users.views import welcome
{%- endif %}

urlpatterns = [
    path("", include("{{ cookiecutter.project_slug }}.pages.urls")),
    path("healthz", probes.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
{%- if cookiecutter.api == "ninja" %}
    # The API (django-ninja): its docs at /api/docs, its schema at /api/openapi.json.
    path("api/", api.urls),
    # Before allauth's, as one of the account pages: personal access tokens for the API.
    path("accounts/tokens/", tokens, name="api_tokens"),
{%- endif %}
    # Sign-up, sign-in, sign-out (a POST), password reset, addresses and MFA:
    # https://docs.allauth.org/en/latest/installation/quickstart.html
    path("accounts/", include("allauth.urls")),
{%- if cookiecutter.use_tasks %}
    path("welcome/", welcome, name="welcome"),
{%- endif %}
{%- if cookiecutter.use_channels %}
    path("rooms/", include("{{ cookiecutter.project_slug }}.rooms.urls")),
{%- endif %}
    # Before the admin's own login/, which it shadows: the admin signs in through allauth's
    # pages, with the same limits and second factors as the site (users/admin_login.py).
    path(f"{settings.ADMIN_URL}login/", admin_login),
    path(settings.ADMIN_URL, admin.site.urls),
]

if "debug_toolbar" in settings.INSTALLED_APPS:
    # Development only (settings/dev.py): production does not install the toolbar.
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
