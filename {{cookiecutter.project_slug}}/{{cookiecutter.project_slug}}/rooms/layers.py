"""The in-memory channel layer, saying when it drops messages.

Each consumer has a queue of ``capacity`` messages in this layer. When a
member's queue is full, Channels' ``group_send`` drops the message for that
member and says nothing (it swallows ChannelFull). This subclass says it: one
warning per ``report_interval`` seconds at most, counting the drops in that
time, so an overloaded server does not also flood its log.

See https://channels.readthedocs.io/en/stable/topics/channel_layers.html
"""

import asyncio
import logging
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer

logger = logging.getLogger(__name__)


class ReportingInMemoryChannelLayer(InMemoryChannelLayer):
    def __init__(self, report_interval: float = 10, **config: Any) -> None:
        super().__init__(**config)
        self.report_interval = report_interval
        self.dropped = 0

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        try:
            await super().send(channel, message)
        except ChannelFull:
            if not self.dropped:
                asyncio.get_running_loop().call_later(self.report_interval, self.report)
            self.dropped += 1
            raise

    def report(self) -> None:
        logger.warning(
            "Channel layer full: dropped %d message(s) in %s s for members %d messages behind",
            self.dropped,
            self.report_interval,
            self.capacity,
        )
        self.dropped = 0
