"""The page of a room; its script talks to the consumer.

A plain ``def``, as every view that renders a template (see the project's views.py).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def room(request: HttpRequest, room: str) -> HttpResponse:
    return render(request, "rooms/room.html", {"room": room})
