"""Rooms over real WebSockets, served by a real daphne process."""

import json
import time
from contextlib import ExitStack, suppress

import pytest
from websockets.exceptions import ConnectionClosed, ConnectionClosedError, InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

from .conftest import TRUSTED_ORIGIN

HTTPS = {"X-Forwarded-Proto": "https"}
LONGEST_ROOM_NAME = "r" * 64
UNSUPPORTED_DATA = 4003  # 1003 in the private range: see rooms/consumers.py
# More messages at once than the channel layers' default capacity of 100.
MEMBERS, MESSAGES_EACH = 5, 30


def open_socket(server, path, origin=None, headers=None):
    """A real WebSocket client, connected to a path of the server.

    Its Origin is the server's own unless given, as a page of the site would send it.
    """
    return connect(
        f"ws://127.0.0.1:{server.port}{path}",
        origin=Origin(origin or f"http://127.0.0.1:{server.port}"),
        additional_headers=headers,
        open_timeout=10,
    )


def join(server, room, origin=None, headers=None):
    """A real WebSocket client, connected to a room of the server."""
    return open_socket(server, f"/ws/rooms/{room}/", origin=origin, headers=headers)


def say(member, message):
    member.send(json.dumps({"message": message}))


def heard(member):
    return json.loads(member.recv(timeout=10))["message"]


def test_room_page_loads_its_script(daphne_prod):
    status, _, body = daphne_prod.get("/rooms/lobby/", headers=HTTPS)

    assert status == 200
    assert 'data-room="lobby"' in body
    assert "/static/rooms/room." in body


def test_a_message_reaches_every_member_of_the_room(daphne_prod):
    with join(daphne_prod, "lobby") as sender, join(daphne_prod, "lobby") as listener:
        say(sender, "hello")

        expected = {"author": "anonymous", "message": "hello"}
        assert json.loads(listener.recv(timeout=10)) == expected
        assert json.loads(sender.recv(timeout=10)) == expected


def test_a_message_stays_in_its_room(daphne_prod):
    with join(daphne_prod, "one") as sender, join(daphne_prod, "two") as other:
        say(sender, "only for room one")

        assert heard(sender) == "only for room one"
        with pytest.raises(TimeoutError):
            other.recv(timeout=1)


def test_a_connection_from_a_foreign_origin_is_refused(daphne_prod):
    with pytest.raises(InvalidStatus) as refusal:
        join(daphne_prod, "lobby", origin="https://attacker.example")

    assert refusal.value.response.status_code == 403


@pytest.mark.parametrize(
    ("origin", "headers"),
    [
        ("http://127.0.0.1:8443", {}),
        ("http://127.0.0.1", {}),
        ("https://127.0.0.1:{port}", {}),
        ("http://127.0.0.1:{port}", HTTPS),
    ],
    ids=["another port", "the default port", "https for http", "http for https"],
)
def test_a_connection_from_another_origin_of_the_same_host_is_refused(
    daphne_prod, origin, headers
):
    # The host alone would let a page on any port or scheme of it use a visitor's session.
    with pytest.raises(InvalidStatus) as refusal:
        join(daphne_prod, "lobby", origin=origin.format(port=daphne_prod.port), headers=headers)

    assert refusal.value.response.status_code == 403


def test_a_page_of_a_trusted_origin_opens_a_socket(daphne_prod):
    with join(daphne_prod, "trusted", origin=TRUSTED_ORIGIN) as member:
        say(member, "from a trusted origin")

        assert heard(member) == "from a trusted origin"


def test_a_page_of_the_https_site_opens_a_socket_through_the_tls_proxy(daphne_prod):
    origin = f"https://127.0.0.1:{daphne_prod.port}"

    with join(daphne_prod, "tls", origin=origin, headers=HTTPS) as member:
        say(member, "over tls")

        assert heard(member) == "over tls"


@pytest.mark.parametrize(
    "frame",
    ["[]", '["hello"]', '"hello"', "null", "42", "{}", '{"message": 42}', '{"message": " "}'],
)
def test_json_that_is_not_a_message_is_ignored_and_the_socket_stays_usable(daphne_prod, frame):
    start = len(daphne_prod.lines)
    with join(daphne_prod, "lobby") as member:
        member.send(frame)
        say(member, "still here")

        assert heard(member) == "still here"
    assert "Traceback" not in daphne_prod.output(since=start)


@pytest.mark.parametrize(
    "frame",
    [b"\x00binary", "not json", "{", "[" * 10_000],
    ids=["binary", "invalid-json", "truncated-json", "too-deeply-nested-json"],
)
def test_a_frame_that_is_not_json_text_closes_the_socket_as_unsupported_data(daphne_prod, frame):
    start = len(daphne_prod.lines)
    with join(daphne_prod, "lobby") as member:
        member.send(frame)

        with pytest.raises(ConnectionClosedError) as closed:
            member.recv(timeout=10)
    assert closed.value.rcvd.code == UNSUPPORTED_DATA
    assert "Traceback" not in daphne_prod.output(since=start)


def test_a_flood_of_bad_frames_logs_one_line_with_the_socket_s_request_id(daphne_prod):
    start = len(daphne_prod.lines)
    with connect(
        f"ws://127.0.0.1:{daphne_prod.port}/ws/rooms/lobby/",
        origin=Origin(f"http://127.0.0.1:{daphne_prod.port}"),
        additional_headers={"X-Request-ID": "flooding-socket-1"},
        open_timeout=10,
    ) as member:
        with suppress(ConnectionClosed):  # The server may close before the last frame.
            for _ in range(1000):
                member.send("not json")
        with pytest.raises(ConnectionClosedError):
            member.recv(timeout=10)
    time.sleep(0.5)  # Time to log the frames that were on their way, if it did.

    logged = daphne_prod.output(since=start).splitlines()
    [closed] = [line for line in logged if "Closed a room socket" in line]
    assert json.loads(closed)["request_id"] == "flooding-socket-1"


def test_the_longest_room_name_has_a_page_and_a_socket(daphne_prod):
    status, _, _ = daphne_prod.get(f"/rooms/{LONGEST_ROOM_NAME}/", headers=HTTPS)
    with join(daphne_prod, LONGEST_ROOM_NAME) as member:
        say(member, "room for a long name")

        assert heard(member) == "room for a long name"
    assert status == 200


def test_a_room_name_too_long_has_neither_page_nor_socket(daphne_prod):
    start = len(daphne_prod.lines)
    name = LONGEST_ROOM_NAME + "r"

    status, _, _ = daphne_prod.get(f"/rooms/{name}/", headers=HTTPS)
    with pytest.raises(InvalidStatus) as refusal:
        join(daphne_prod, name)

    assert status == 404
    assert refusal.value.response.status_code == 403
    assert "Traceback" not in daphne_prod.output(since=start)


def test_a_socket_at_an_unknown_path_is_refused(daphne_prod):
    start = len(daphne_prod.lines)
    with pytest.raises(InvalidStatus) as refusal:
        open_socket(daphne_prod, "/ws/nowhere/")

    assert refusal.value.response.status_code == 403
    assert "Traceback" not in daphne_prod.output(since=start)


def test_every_member_receives_every_message_of_a_burst(daphne_prod):
    with ExitStack() as stack:
        members = [stack.enter_context(join(daphne_prod, "burst")) for _ in range(MEMBERS)]
        burst = [
            (member, f"{index}.{number}")
            for number in range(MESSAGES_EACH)
            for index, member in enumerate(members)
        ]
        for member, message in burst:
            say(member, message)

        everything = sorted(message for _, message in burst)
        for member in members:
            assert sorted(heard(member) for _ in burst) == everything
