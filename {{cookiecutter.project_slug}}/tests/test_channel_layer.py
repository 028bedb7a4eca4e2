"""The in-memory channel layer says how many messages it dropped (see rooms/layers.py)."""

import asyncio

from {{ cookiecutter.project_slug }}.rooms.layers import ReportingInMemoryChannelLayer


def test_a_full_channel_layer_logs_how_many_messages_it_dropped(caplog):
    layer = ReportingInMemoryChannelLayer(capacity=2, report_interval=0.01)

    async def overflow():
        await layer.group_add("room.full", "member")
        for number in range(5):
            await layer.group_send("room.full", {"type": "room.message", "number": number})
        await asyncio.sleep(0.1)

    asyncio.run(overflow())

    assert [record.getMessage() for record in caplog.records] == [
        "Channel layer full: dropped 3 message(s) in 0.01 s for members 2 messages behind"
    ]
