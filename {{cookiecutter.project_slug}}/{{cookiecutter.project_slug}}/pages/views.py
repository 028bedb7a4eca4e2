"""The pages' views.

A view that renders a template is a plain ``def``. Templates touch the lazy
``user``, ``perms``, the session, messages and querysets, all of which may query
the database, and Django 6.1 renders templates synchronously: on the event loop
that is a ``SynchronousOnlyOperation`` (a 500) for any visitor with a session.
Django runs a ``def`` view in a thread, where all of that is safe. ``async def``
is for views that await I/O and return no template (see serving/probes.py).

See https://docs.djangoproject.com/en/6.1/topics/async/
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The home page."""
    return render(request, "pages/home.html")
