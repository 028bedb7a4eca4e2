"""The page of a room; its script talks to the consumer."""

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
async def room(request, room):
    return render(request, "rooms/room.html", {"room": room})
