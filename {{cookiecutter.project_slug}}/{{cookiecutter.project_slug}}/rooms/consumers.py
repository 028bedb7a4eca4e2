"""The WebSocket side of a room.

Every member of a room joins one channel-layer group, so a message reaches every
member, whichever daphne process each one is connected to (given a shared layer
such as Redis).

A client sends JSON text frames such as ``{"message": "hello"}``. Anyone can
connect, so every frame is checked before use: a frame that is not JSON text
means the client does not speak this protocol, and the socket is closed with
code 4003 (unsupported data); well-formed JSON without a message is ignored, so
a newer client that sends more kinds of objects keeps its socket.

See https://channels.readthedocs.io/en/stable/topics/consumers.html
"""

import json
import logging
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer

logger = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH = 500
# The standard code is 1003, but daphne lets an application close a socket only
# with 1000 or a code from 3000 to 4999: 4003 is 1003 in the private range.
UNSUPPORTED_DATA = 4003


class RoomConsumer(AsyncWebsocketConsumer):
    """A member of a room: what it sends goes to the group; what the group sends comes back."""

    closing = False

    async def connect(self) -> None:
        self.group = "room." + self.scope["url_route"]["kwargs"]["room"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.closing:
            return  # Frames already on their way when the socket was closed.
        if text_data is None:
            return await self.close_unsupported("a binary frame")
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            return await self.close_unsupported("text that is not JSON")
        message = content.get("message") if isinstance(content, dict) else None
        if not isinstance(message, str) or not message.strip():
            logger.debug("Ignored a room frame without a message")
            return
        user = self.scope["user"]
        author = user.get_username() if user.is_authenticated else "anonymous"
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "room.message",
                "author": author,
                "message": message.strip()[:MESSAGE_MAX_LENGTH],
            },
        )

    async def room_message(self, event: dict[str, Any]) -> None:
        await self.send(json.dumps({"author": event["author"], "message": event["message"]}))

    async def close_unsupported(self, what: str) -> None:
        # One short line per socket, never a traceback: the socket closes at once.
        logger.info("Closed a room socket that sent %s", what)
        self.closing = True
        await self.close(UNSUPPORTED_DATA)
