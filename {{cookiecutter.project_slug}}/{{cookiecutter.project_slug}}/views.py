"""Views.

Neither view does blocking work, so both are async: under daphne they run on
the event loop without a hop to a worker thread.

See https://docs.djangoproject.com/en/6.1/topics/async/
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
async def home(request):
    """The home page."""
    return render(request, "pages/home.html")


@require_safe
async def healthz(request):
    """Liveness: the process is up and answering. It checks no backing service."""
    return HttpResponse("ok", content_type="text/plain")
