"""The admin's login/ page, shadowed: people sign in to the admin through allauth's page.

``secure_admin_login`` sends an anonymous visitor to the site's sign-in page
(LOGIN_URL), with its limits and second factors, and refuses a signed-in person
who is not active staff. A signed-in staff member goes on to the admin itself:
never to the admin's own form, whose POST would sign in another account by
password alone, past the limits that allauth's sign-in counts.

With ADMIN_REQUIRES_MFA (``DJANGO_ADMIN_REQUIRES_MFA``), the admin also wants a
second factor: ``AdminSite`` below refuses staff who have none, and this page
sends them to enrol one (/accounts/2fa/).

See https://docs.allauth.org/en/latest/common/admin.html and
https://docs.djangoproject.com/en/6.1/ref/contrib/admin/#overriding-the-default-admin-site
"""

from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme


def has_required_factors(request: HttpRequest) -> bool:
    return not settings.ADMIN_REQUIRES_MFA or is_mfa_enabled(request.user)


class AdminSite(admin.AdminSite):
    """admin.site (users/apps.py names it): staff, and their second factor if required."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and has_required_factors(request)


@secure_admin_login
def admin_login(request: HttpRequest) -> HttpResponse:
    if not has_required_factors(request):
        return render(request, "admin_needs_mfa.html", status=403)
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("admin:index")
