"""The WebSocket side of a room.

Every member of a room joins one channel-layer group, so a message reaches every
member, whichever daphne process each one is connected to (given a shared layer
such as Redis).

A client sends JSON text frames such as ``{"message": "hello"}``. Anyone can
connect, so every frame is checked before use: a frame that is not JSON text
means the client does not speak this protocol, and the socket is closed with
code 4003 (unsupported data); well-formed JSON without a message is ignored, so
a newer client that sends more kinds of objects keeps its socket.

Membership expires (``ROOM_GROUP_EXPIRY`` in settings), so a member renews it while
its socket is open: one whose leaving fails, or whose process dies, is dropped
by the layer soon after. A failure to join again, to leave, or to send to a
socket that closed meanwhile is one log line, never a traceback.

See https://channels.readthedocs.io/en/stable/topics/consumers.html
"""

import asyncio
import json
import logging
from typing import Any

from autobahn.exception import Disconnected
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

logger = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH = 500
# The standard code is 1003, but daphne lets an application close a socket only
# with 1000 or a code from 3000 to 4999: 4003 is 1003 in the private range.
UNSUPPORTED_DATA = 4003


class RoomConsumer(AsyncWebsocketConsumer):
    """A member of a room: what it sends goes to the group; what the group sends comes back."""

    closing = False
    renewing: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.group = "room." + self.scope["url_route"]["kwargs"]["room"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.renewing = asyncio.create_task(self.renew_membership())

    async def renew_membership(self) -> None:
        while True:
            # A third of the expiry: two renewals in a row may fail before it lapses.
            await asyncio.sleep(settings.ROOM_GROUP_EXPIRY / 3)
            try:
                await self.channel_layer.group_add(self.group, self.channel_name)
            except Exception as error:  # The layer's own errors (redis-py's) share no other base.
                logger.warning("A room member could not renew its membership: %r", error)

    async def disconnect(self, code: int) -> None:
        if self.renewing is not None:
            self.renewing.cancel()
        # Once more after a pause: in a burst of closing sockets a layer can refuse
        # for a moment (too many connections at once); the expiry covers the rest.
        for pause in (0.5, None):
            try:
                await self.channel_layer.group_discard(self.group, self.channel_name)
                return
            except Exception as error:  # The layer's own errors (redis-py's) share no other base.
                if pause is None:
                    logger.warning("A room member failed to leave; expiry removes it: %r", error)
                    return
                await asyncio.sleep(pause)

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
        try:
            await self.send(json.dumps({"author": event["author"], "message": event["message"]}))
        except Disconnected:
            # The member closed its socket while the message was on its way (daphne's
            # WebSockets are autobahn's): nothing is lost that it could still read.
            logger.info("A room message reached a socket that had just closed")

    async def close_unsupported(self, what: str) -> None:
        # One short line per socket, never a traceback: the socket closes at once.
        logger.info("Closed a room socket that sent %s", what)
        self.closing = True
        await self.close(UNSUPPORTED_DATA)
