"""The WebSocket side of a room.

Every member of a room joins one channel-layer group, so a message reaches every
member, whichever daphne process each one is connected to (given a shared layer
such as Redis).

See https://channels.readthedocs.io/en/stable/topics/consumers.html
"""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

MESSAGE_MAX_LENGTH = 500


class RoomConsumer(AsyncJsonWebsocketConsumer):
    """A member of a room: what it sends goes to the group; what the group sends comes back."""

    async def connect(self):
        self.group = "room." + self.scope["url_route"]["kwargs"]["room"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        message = str(content.get("message", "")).strip()[:MESSAGE_MAX_LENGTH]
        if not message:
            return
        user = self.scope["user"]
        author = user.get_username() if user.is_authenticated else "anonymous"
        await self.channel_layer.group_send(
            self.group, {"type": "room.message", "author": author, "message": message}
        )

    async def room_message(self, event):
        await self.send_json({"author": event["author"], "message": event["message"]})
