"""The app that holds the project's user model and its account adapter; and the admin.

See https://docs.djangoproject.com/en/6.1/ref/applications/
"""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class UsersConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.users"


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, whose admin.site can require a second factor (admin_login.py).

    See https://docs.djangoproject.com/en/6.1/ref/contrib/admin/#overriding-the-default-admin-site
    """

    default_site = "{{ cookiecutter.project_slug }}.users.admin_login.AdminSite"
    # Named in INSTALLED_APPS; never the config Django picks for this module, UsersConfig.
    default = False
