"""The page of a room; its script talks to the consumer.

A plain ``def``, as every view that renders a template (see the project's views.py).
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def room(request, room):
    return render(request, "rooms/room.html", {"room": room})
