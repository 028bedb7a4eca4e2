"""HTTP routes of the rooms."""

from django.urls import path

from . import converters, views  # noqa: F401 (converters registers "room")

app_name = "rooms"
urlpatterns = [
    path("<room:room>/", views.room, name="room"),
]
