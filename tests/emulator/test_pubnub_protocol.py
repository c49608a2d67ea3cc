"""The hub's wire protocol, checked with plain HTTP: shapes the `pubnub` client relies on."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp

from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.pubnub import PubNubHub
from aioclubhouse.emulator.serving import MAX_LINE_SIZE

from ..support.waiting import signalled
from .pubnub_testkit import RunningHub

ROOM = "channel_all.abcdefgh"
SUB = "sub-c-test"


async def get_json(url: str, **params: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session, session.get(url, params=params) as response:
        assert response.content_type == "application/json"
        return response.status, await response.json()


def subscribe_url(running_hub: RunningHub, channels: str) -> str:
    return f"{running_hub.url}/v2/subscribe/{SUB}/{channels}/0"


async def test_handshake_answers_at_once_with_a_current_timetoken(
    running_hub: RunningHub,
) -> None:
    running_hub.hub.grant("token", 1, [ROOM])
    before = running_hub.hub.publish(ROOM, {"n": 0})

    status, body = await get_json(subscribe_url(running_hub, ROOM), tt="0", auth="token")

    assert status == 200
    assert body["m"] == []
    assert body["t"]["r"] == 1
    handshake = int(body["t"]["t"])
    assert handshake >= before
    assert running_hub.hub.publish(ROOM, {"n": 1}) > handshake


async def test_poll_returns_complete_envelopes_and_advances_the_cursor(
    running_hub: RunningHub,
) -> None:
    hub = running_hub.hub
    hub.grant("token", 1, [ROOM])
    _, handshake = await get_json(subscribe_url(running_hub, ROOM), tt="0", auth="token")
    first = hub.publish(ROOM, {"action": "join_channel"})
    second = hub.publish(ROOM, {"action": "leave_channel"}, publisher="42")

    _, body = await get_json(
        subscribe_url(running_hub, ROOM), tt=handshake["t"]["t"], tr="1", auth="token"
    )

    assert body["t"] == {"t": str(second), "r": 1}
    assert [envelope["d"]["action"] for envelope in body["m"]] == ["join_channel", "leave_channel"]
    for envelope, timetoken in zip(body["m"], (first, second), strict=True):
        assert {"a", "c", "d", "f", "i", "k", "p"} <= envelope.keys()
        assert envelope["c"] == ROOM
        assert envelope["f"] == 0
        assert envelope["k"] == SUB
        assert envelope["p"] == {"t": str(timetoken), "r": 1}
    assert body["m"][1]["i"] == "42"


async def test_idle_poll_is_answered_empty_with_the_same_cursor(running_hub: RunningHub) -> None:
    running_hub.hub.grant("token", 1, [ROOM])
    cursor = str(running_hub.hub.publish("elsewhere", {"n": 1}))

    status, body = await get_json(subscribe_url(running_hub, ROOM), tt=cursor, auth="token")

    assert status == 200
    assert body == {"t": {"t": cursor, "r": 1}, "m": []}


async def test_waiting_poll_wakes_up_for_a_new_message(running_hub: RunningHub) -> None:
    hub = running_hub.hub
    hub.grant("token", 1, [ROOM])
    cursor = str(hub.publish(ROOM, {"n": 0}))
    poll = asyncio.create_task(get_json(subscribe_url(running_hub, ROOM), tt=cursor, auth="token"))
    await signalled(hub.wait_for_parked_polls(1), what="the poll to wait at the hub")
    assert not poll.done()

    published = hub.publish(ROOM, {"n": 1})
    _, body = await poll

    assert [envelope["d"] for envelope in body["m"]] == [{"n": 1}]
    assert body["t"]["t"] == str(published)
    assert hub.parked_polls == 0


async def test_a_poll_answered_by_a_publish_no_longer_counts_as_parked(
    running_hub: RunningHub,
) -> None:
    hub = running_hub.hub
    hub.grant("token", 1, [ROOM, "users.1"])
    cursor = str(hub.publish(ROOM, {"n": 0}))
    poll = asyncio.create_task(
        get_json(subscribe_url(running_hub, f"{ROOM},users.1"), tt=cursor, auth="token")
    )
    await signalled(
        hub.wait_for_parked_polls(1, channels=["users.1"]), what="the poll to wait at the hub"
    )
    assert hub.parked_on([ROOM]) == hub.parked_on([ROOM, "users.1", "elsewhere"]) == 1
    assert hub.parked_on(["elsewhere"]) == 0

    hub.publish(ROOM, {"n": 1})
    # Answered, though the poll has not run since: a second publish is not a second answer.
    assert hub.parked_on([ROOM, "users.1"]) == 0
    hub.publish("users.1", {"n": 2})
    _, body = await poll

    assert [envelope["d"] for envelope in body["m"]] == [{"n": 1}, {"n": 2}]


async def test_denial_names_the_channels_not_granted(running_hub: RunningHub) -> None:
    running_hub.hub.grant("token", 1, [ROOM])

    status, body = await get_json(
        subscribe_url(running_hub, f"{ROOM},{ROOM}-pnpres,users.2"), tt="0", auth="token"
    )

    assert status == 403
    assert body == {
        "message": "Forbidden",
        "payload": {"channels": ["users.2"]},
        "error": True,
        "service": "Access Manager",
        "status": 403,
    }


async def test_missing_token_is_denied_everywhere(running_hub: RunningHub) -> None:
    base = running_hub.url
    urls = [
        subscribe_url(running_hub, ROOM),
        f"{base}/v2/presence/sub-key/{SUB}/channel/{ROOM}/heartbeat",
        f"{base}/v2/presence/sub-key/{SUB}/channel/{ROOM}",
        f"{base}/v3/history/sub-key/{SUB}/channel/{ROOM}",
        f"{base}/publish/pub/{SUB}/0/{ROOM}/0/%7B%7D",
    ]
    for url in urls:
        status, body = await get_json(url, tt="0", uuid="1")
        assert (status, body["service"]) == (403, "Access Manager"), url


async def test_presence_channel_follows_its_base_channel_grant(running_hub: RunningHub) -> None:
    hub = running_hub.hub
    hub.grant("token", 1, [ROOM])
    assert hub.is_allowed("token", ROOM + "-pnpres")
    hub.revoke_channels("token", [ROOM])
    assert not hub.is_allowed("token", ROOM + "-pnpres")
    hub.grant("token", 1, ["users.1"])
    assert hub.is_allowed("token", "users.1")
    assert not hub.is_allowed(None, "users.1")


async def test_unknown_path_and_wrong_method_answer_json(running_hub: RunningHub) -> None:
    status, body = await get_json(f"{running_hub.url}/v9/nothing/here")
    assert status == 404
    assert body["error"] is True

    async with (
        aiohttp.ClientSession() as session,
        session.delete(f"{running_hub.url}/time/0") as response,
    ):
        assert response.status == 405
        assert (await response.json())["error"] is True


async def test_long_subscribe_url_is_served(running_hub: RunningHub) -> None:
    channels = [f"room.{number:04d}.{'x' * 40}" for number in range(400)]
    running_hub.hub.grant("token", 1, channels)
    path_channels = ",".join(channels + [channel + "-pnpres" for channel in channels])
    assert len(path_channels) > 32_000

    status, body = await get_json(subscribe_url(running_hub, path_channels), tt="0", auth="token")

    assert status == 200
    assert body["m"] == []


async def test_request_line_over_the_limit_gets_a_json_400(running_hub: RunningHub) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", running_hub.server.port)
    path = "/v2/subscribe/sub/" + "x" * (MAX_LINE_SIZE + 10) + "/0"
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()

    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0].split()[1] == b"400"
    assert b"application/json" in head
    assert json.loads(body)["error"] is True


async def test_time_endpoint(running_hub: RunningHub) -> None:
    issued = running_hub.hub.publish(ROOM, {"n": 1})
    status, body = await get_json(f"{running_hub.url}/time/0")
    assert status == 200
    assert body[0] >= issued


async def test_leave_and_heartbeat_change_presence(running_hub: RunningHub) -> None:
    hub = running_hub.hub
    hub.grant("token", 7, [ROOM])
    presence = f"{running_hub.url}/v2/presence/sub-key/{SUB}/channel/{ROOM}"

    status, _ = await get_json(presence + "/heartbeat", heartbeat="20", uuid="7", auth="token")
    assert status == 200
    _, here = await get_json(presence, uuid="7", auth="token")
    assert (here["occupancy"], here["uuids"]) == (1, ["7"])
    _, with_state = await get_json(presence, state="1", auth="token")
    assert with_state["uuids"] == [{"uuid": "7"}]
    _, without_uuids = await get_json(presence, disable_uuids="1", auth="token")
    assert "uuids" not in without_uuids

    status, body = await get_json(presence + "/leave", uuid="7", auth="token")
    assert (status, body["action"]) == (200, "leave")

    events = [message.payload for message in hub.messages(ROOM + "-pnpres")]
    assert [(event["action"], event["uuid"], event["occupancy"]) for event in events] == [
        ("join", "7", 1),
        ("leave", "7", 0),
    ]
    assert all(isinstance(event["timestamp"], int) for event in events)


async def test_fetch_messages_pages_by_timetoken(running_hub: RunningHub) -> None:
    hub = running_hub.hub
    hub.grant("token", 1, [ROOM, "users.1"])
    timetokens = [hub.publish(ROOM, {"n": number}) for number in range(10)]
    hub.publish("users.1", {"n": "user"})
    history = f"{running_hub.url}/v3/history/sub-key/{SUB}/channel/{ROOM},users.1"

    _, latest = await get_json(history, max="3", auth="token")
    _, older = await get_json(history, max="3", start=str(timetokens[7]), auth="token")
    _, ranged = await get_json(
        history, start=str(timetokens[5]), end=str(timetokens[2]), auth="token"
    )

    def numbers(body: dict[str, Any], channel: str = ROOM) -> list[Any]:
        return [item["message"]["n"] for item in body["channels"][channel]]

    assert numbers(latest) == [7, 8, 9]
    assert numbers(latest, "users.1") == ["user"]
    assert numbers(older) == [4, 5, 6]
    assert numbers(ranged) == [2, 3, 4]
    assert latest["channels"][ROOM][-1]["timetoken"] == str(timetokens[-1])


async def test_retention_keeps_the_newest_messages() -> None:
    hub = PubNubHub(EmulatorConfig(message_retention=5))
    for number in range(12):
        hub.publish(ROOM, {"n": number})
    assert [message.payload["n"] for message in hub.messages(ROOM)] == [7, 8, 9, 10, 11]


async def test_state_round_trip_keeps_messages_grants_and_timetoken_order() -> None:
    hub = PubNubHub()
    hub.grant("token", 3, [ROOM])
    hub.presence.heartbeat([ROOM], "3", 60.0, 1000.0)
    saved = [hub.publish(ROOM, {"n": number}, publisher="3") for number in range(3)]
    state = json.loads(json.dumps(hub.to_state()))

    restored = PubNubHub()
    restored.load_state(state)

    assert [message.timetoken for message in restored.messages(ROOM)] == saved
    assert restored.messages(ROOM)[0].publisher == "3"
    assert restored.is_allowed("token", ROOM)
    assert restored.presence.occupants(ROOM) == ["3"]
    assert restored.publish(ROOM, {"n": 3}) > saved[-1]


async def test_state_round_trip_through_a_server(running_hub: RunningHub) -> None:
    hub = running_hub.hub
    hub.grant("token", 1, [ROOM])
    _, handshake = await get_json(subscribe_url(running_hub, ROOM), tt="0", auth="token")
    hub.publish(ROOM, {"n": "kept"})
    restored = PubNubHub(EmulatorConfig(poll_timeout=2.0))
    restored.load_state(hub.to_state())
    hub.load_state(restored.to_state())

    _, body = await get_json(subscribe_url(running_hub, ROOM), tt=handshake["t"]["t"], auth="token")

    assert [envelope["d"] for envelope in body["m"]] == [{"n": "kept"}]
