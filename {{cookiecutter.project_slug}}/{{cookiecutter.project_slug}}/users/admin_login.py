"""The admin's login/ page, shadowed: people sign in to the admin through allauth's page.

``secure_admin_login`` sends an anonymous visitor to the site's sign-in page
(LOGIN_URL), with its limits and second factors, and refuses a signed-in person
who is not active staff. A signed-in staff member goes on to the admin itself:
never to the admin's own form, whose POST would sign in another account by
password alone, past the limits that allauth's sign-in counts.

See https://docs.allauth.org/en/latest/common/admin.html
"""

from allauth.account.decorators import secure_admin_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


@secure_admin_login
def admin_login(request: HttpRequest) -> HttpResponse:
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("admin:index")
