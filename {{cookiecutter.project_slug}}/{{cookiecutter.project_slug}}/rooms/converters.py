"""The room name in URLs, shared by the page and the socket of a room.

A room is a channel-layer group named ``room.<name>``, and group names must be
shorter than 100 ASCII characters, so the name is bounded here: a URL that names
a room that cannot exist matches no route at all.

See https://docs.djangoproject.com/en/6.1/topics/http/urls/#registering-custom-path-converters
"""

from django.urls import register_converter


class RoomNameConverter:
    """1 to 64 ASCII letters, digits, hyphens or underscores."""

    regex = "[-a-zA-Z0-9_]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RoomNameConverter, "room")
