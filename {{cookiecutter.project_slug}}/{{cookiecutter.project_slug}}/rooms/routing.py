"""WebSocket routes, served through ``asgi.py``."""

from django.urls import path

from .consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/rooms/<slug:room>/", RoomConsumer.as_asgi()),
]
