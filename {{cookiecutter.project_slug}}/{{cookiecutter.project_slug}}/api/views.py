"""The account's tokens page: make a personal access token, see it once, revoke it.

A plain ``def`` view: it renders a template (see pages/views.py for why).
The new token's secret is in the answer to the POST alone, never in a redirect,
the session or a message: reloading the page cannot show it again.

See https://docs.djangoproject.com/en/6.1/topics/forms/
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ..users.models import User
from .models import Token

LIFETIMES = [(30, "30 days"), (90, "90 days"), (365, "A year")]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What it is for, such as a script's name.")
    days = forms.TypedChoiceField(label="Expires after", choices=LIFETIMES, coerce=int, initial=90)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required let no one else in
    secret = ""
    form = TokenForm()
    if request.method == "POST" and "revoke" in request.POST:
        token = get_object_or_404(
            Token, pk=request.POST.get("revoke", ""), owner=user, revoked__isnull=True
        )
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
        messages.success(request, f"Token {token.name!r} is revoked.")
        return redirect("api_tokens")
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            _, secret = Token.issue(user, form.cleaned_data["name"], form.cleaned_data["days"])
            form = TokenForm()
    context = {"form": form, "secret": secret, "tokens": user.api_tokens.all()}
    return render(request, "api/tokens.html", context)
