"""Rooms over real WebSockets, served by a real daphne process."""

import json

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

HTTPS = {"X-Forwarded-Proto": "https"}


def join(server, room, origin="http://127.0.0.1"):
    """A real WebSocket client, connected to a room of the server."""
    url = f"ws://127.0.0.1:{server.port}/ws/rooms/{room}/"
    return connect(url, origin=origin, open_timeout=10)


def test_room_page_loads_its_script(daphne_prod):
    status, _, body = daphne_prod.get("/rooms/lobby/", headers=HTTPS)

    assert status == 200
    assert 'data-room="lobby"' in body
    assert "/static/rooms/room." in body


def test_a_message_reaches_every_member_of_the_room(daphne_prod):
    with join(daphne_prod, "lobby") as sender, join(daphne_prod, "lobby") as listener:
        sender.send(json.dumps({"message": "hello"}))

        expected = {"author": "anonymous", "message": "hello"}
        assert json.loads(listener.recv(timeout=10)) == expected
        assert json.loads(sender.recv(timeout=10)) == expected


def test_a_message_stays_in_its_room(daphne_prod):
    with join(daphne_prod, "one") as sender, join(daphne_prod, "two") as other:
        sender.send(json.dumps({"message": "only for room one"}))

        assert json.loads(sender.recv(timeout=10))["message"] == "only for room one"
        with pytest.raises(TimeoutError):
            other.recv(timeout=1)


def test_a_connection_from_a_foreign_origin_is_refused(daphne_prod):
    with pytest.raises(InvalidStatus) as refusal:
        join(daphne_prod, "lobby", origin="https://attacker.example")

    assert refusal.value.response.status_code == 403
