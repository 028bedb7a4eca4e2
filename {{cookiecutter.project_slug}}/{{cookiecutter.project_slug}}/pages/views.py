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
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from .forms import GreetingForm


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The home page."""
    return render(request, "pages/home.html")


@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def components(request: HttpRequest) -> HttpResponse:
    """The component set, and a form that htmx sends without reloading the page.

    The form is a template partial: htmx (which sends ``HX-Request: true``) gets
    that fragment alone, and a browser without JavaScript the whole page around it.
    The greeting stores nothing, so the answer to the POST is the page itself.

    See https://docs.djangoproject.com/en/6.1/ref/templates/builtins/#partialdef
    """
    form = GreetingForm(request.POST if request.method == "POST" else None)
    greeting = f"Hello, {form.cleaned_data['name']}!" if form.is_valid() else ""
    template = "pages/components.html"
    if request.headers.get("HX-Request") == "true":
        template += "#greeting-form"
    return render(request, template, {"form": form, "greeting": greeting})
