"""WebSocket routes, served through ``asgi.py``.

The last route takes every other path, so a socket opened at a path that no
route serves is refused cleanly (403) instead of failing with a traceback.
"""

from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import path, re_path

from . import converters  # noqa: F401 (registers the "room" path converter)
from .consumers import RoomConsumer


class NoRoute(AsyncWebsocketConsumer):
    """Refuses the handshake: closing before accepting makes daphne answer 403."""

    async def connect(self) -> None:
        await self.close()


websocket_urlpatterns = [
    path("ws/rooms/<room:room>/", RoomConsumer.as_asgi()),
    re_path(r"", NoRoute.as_asgi()),
]
