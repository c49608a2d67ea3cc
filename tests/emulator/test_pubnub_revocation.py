"""Revoked tokens: a poll that is behind still reads what was published up to the
revocation, for a bounded grace; everything else is refused with 403."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
from aiohttp import web
from pubnub.enums import PNStatusCategory

from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.pubnub import MAX_MESSAGES_PER_POLL, PubNubHub
from aioclubhouse.emulator.serving import HttpServer, json_errors_middleware

from ..support.waiting import until
from .pubnub_testkit import ClientFactory, RunningHub

ROOM = "channel_all.abcdefgh"
ME = "channel_user.abcdefgh.1"
STAGE = "channel_speakers.abcdefgh"
SUB = "sub-c-test"
TOKEN = "token-alice"
AFTER_THE_GRACE = 61.0
"""Seconds after which the default grace (60 s) is over."""


async def poll(running_hub: RunningHub, channels: list[str], cursor: int | str) -> tuple[int, Any]:
    """One subscribe request (a handshake when `cursor` is 0) with the test token."""
    url = f"{running_hub.url}/v2/subscribe/{SUB}/{','.join(channels)}/0"
    params = {"tt": str(cursor), "auth": TOKEN, "uuid": "1"}
    async with aiohttp.ClientSession() as session, session.get(url, params=params) as response:
        assert response.content_type == "application/json"
        return response.status, await response.json()


async def handshake(running_hub: RunningHub, channels: list[str]) -> int:
    status, body = await poll(running_hub, channels, 0)
    assert status == 200
    return int(body["t"]["t"])


def payloads(body: Any) -> list[Any]:
    return [envelope["d"] for envelope in body["m"]]


def assert_refused(status: int, body: Any, channels: list[str]) -> None:
    assert status == 403
    assert body["error"] is True and body["status"] == 403
    assert sorted(body["payload"]["channels"]) == sorted(channels)


async def test_a_late_poll_gets_what_came_before_the_revocation_then_403(
    running_hub: RunningHub,
) -> None:
    hub = running_hub.hub
    hub.grant(TOKEN, 1, [ROOM])
    cursor = await handshake(running_hub, [ROOM])
    hub.publish(ROOM, {"n": 1})
    last = hub.publish(ROOM, {"action": "end_channel"})
    hub.revoke(TOKEN)
    hub.publish(ROOM, {"n": "after the revocation"})

    status, body = await poll(running_hub, [ROOM], cursor)
    assert status == 200
    assert payloads(body) == [{"n": 1}, {"action": "end_channel"}]
    assert body["t"]["t"] == str(last)

    status, body = await poll(running_hub, [ROOM], body["t"]["t"])
    assert_refused(status, body, [ROOM])
    assert not hub.is_allowed(TOKEN, ROOM)


async def test_the_final_message_on_one_channel_is_read_through_the_others(
    running_hub: RunningHub,
) -> None:
    """A removal is sent to the user's own channel only: the room channel, with nothing
    left to deliver, must not get the whole poll refused before it is read."""
    hub = running_hub.hub
    hub.grant(TOKEN, 1, [ROOM, ME])
    cursor = await handshake(running_hub, [ROOM, ME])
    hub.publish(ME, {"action": "remove_from_channel"})
    hub.revoke(TOKEN)

    status, body = await poll(running_hub, [ROOM, ME], cursor)
    assert status == 200
    assert payloads(body) == [{"action": "remove_from_channel"}]

    status, body = await poll(running_hub, [ROOM, ME], body["t"]["t"])
    assert_refused(status, body, [ROOM, ME])


async def test_a_long_backlog_comes_in_pages_of_a_hundred(running_hub: RunningHub) -> None:
    hub = running_hub.hub
    hub.grant(TOKEN, 1, [ROOM])
    cursor: int | str = await handshake(running_hub, [ROOM])
    total = MAX_MESSAGES_PER_POLL + 20
    for number in range(total):
        hub.publish(ROOM, {"n": number})
    hub.revoke(TOKEN)

    received: list[Any] = []
    for expected in (MAX_MESSAGES_PER_POLL, 20):
        status, body = await poll(running_hub, [ROOM], cursor)
        assert status == 200
        assert len(body["m"]) == expected
        received += payloads(body)
        cursor = body["t"]["t"]
    assert received == [{"n": number} for number in range(total)]
    status, body = await poll(running_hub, [ROOM], cursor)
    assert_refused(status, body, [ROOM])


async def test_a_handshake_or_a_caught_up_poll_is_refused_at_once(
    running_hub: RunningHub,
) -> None:
    hub = running_hub.hub
    hub.grant(TOKEN, 1, [ROOM])
    cursor = await handshake(running_hub, [ROOM])
    hub.revoke(TOKEN)

    status, body = await poll(running_hub, [ROOM], 0)
    assert_refused(status, body, [ROOM])
    status, body = await poll(running_hub, [ROOM], cursor)  # nothing came before the revocation
    assert_refused(status, body, [ROOM])


async def test_revoking_some_channels_keeps_the_others_live(running_hub: RunningHub) -> None:
    hub = running_hub.hub
    hub.grant(TOKEN, 1, [ROOM, STAGE])
    cursor = await handshake(running_hub, [ROOM, STAGE])
    hub.publish(STAGE, {"n": "for speakers"})
    hub.revoke_channels(TOKEN, [STAGE])
    hub.publish(STAGE, {"n": "too late"})

    status, body = await poll(running_hub, [ROOM, STAGE], cursor)
    assert status == 200
    assert payloads(body) == [{"n": "for speakers"}]

    status, body = await poll(running_hub, [ROOM, STAGE], body["t"]["t"])
    assert_refused(status, body, [STAGE])
    status, body = await poll(running_hub, [ROOM], 0)
    assert status == 200
    assert hub.is_allowed(TOKEN, ROOM) and not hub.is_allowed(TOKEN, STAGE)


async def test_granting_again_ends_the_revocation(running_hub: RunningHub) -> None:
    hub = running_hub.hub
    hub.grant(TOKEN, 1, [ROOM])
    cursor = await handshake(running_hub, [ROOM])
    hub.revoke(TOKEN)
    hub.grant(TOKEN, 1, [ROOM])
    hub.publish(ROOM, {"n": "after the new grant"})

    status, body = await poll(running_hub, [ROOM], cursor)
    assert status == 200
    assert payloads(body) == [{"n": "after the new grant"}]


async def test_after_the_grace_even_an_old_cursor_is_refused(running_hub: RunningHub) -> None:
    hub = running_hub.hub
    hub.grant(TOKEN, 1, [ROOM])
    cursor = await handshake(running_hub, [ROOM])
    hub.publish(ROOM, {"action": "end_channel"})
    hub.revoke(TOKEN)

    hub.sweep(time.time() + AFTER_THE_GRACE)

    status, body = await poll(running_hub, [ROOM], cursor)
    assert_refused(status, body, [ROOM])
    assert "token-alice" not in json.dumps(hub.to_state()["grants"])


async def test_no_grace_refuses_at_once() -> None:
    hub = PubNubHub(EmulatorConfig(poll_timeout=2.0, revocation_grace=0.0))
    app = web.Application(middlewares=[json_errors_middleware()])
    hub.add_routes(app)
    server = HttpServer(app, host="127.0.0.1", port=0)
    await server.start()
    running_hub = RunningHub(hub=hub, server=server)
    try:
        hub.grant(TOKEN, 1, [ROOM])
        cursor = await handshake(running_hub, [ROOM])
        hub.publish(ROOM, {"action": "end_channel"})
        hub.revoke(TOKEN)

        status, body = await poll(running_hub, [ROOM], cursor)
        assert_refused(status, body, [ROOM])
    finally:
        hub.close()
        await server.stop()


async def test_a_restart_keeps_the_revocation_and_its_grace(running_hub: RunningHub) -> None:
    hub = running_hub.hub
    hub.grant(TOKEN, 1, [ROOM])
    cursor = await handshake(running_hub, [ROOM])
    hub.publish(ROOM, {"action": "end_channel"})
    hub.revoke(TOKEN)
    saved = json.loads(json.dumps(hub.to_state()))

    restored = PubNubHub()
    restored.load_state(saved)
    assert restored.to_state()["grants"] == saved["grants"]
    hub.load_state(saved)  # the running server now serves the restored state

    assert not hub.is_allowed(TOKEN, ROOM)
    status, body = await poll(running_hub, [ROOM], cursor)
    assert status == 200
    assert payloads(body) == [{"action": "end_channel"}]
    status, body = await poll(running_hub, [ROOM], body["t"]["t"])
    assert_refused(status, body, [ROOM])

    restored.sweep(time.time() + AFTER_THE_GRACE)  # the saved expiry still holds
    assert restored.to_state()["grants"] == {}


async def test_a_real_client_between_polls_still_gets_the_final_message(
    running_hub: RunningHub, pubnub_client: ClientFactory
) -> None:
    """The revocation lands while the client's next poll is held (and answered empty):
    the message sent just before it comes with the poll after, then the 403."""
    hub = running_hub.hub
    hub.grant(TOKEN, 1, [ROOM])
    client = pubnub_client(running_hub.origin, user_id="1", token=TOKEN, legacy_manager=True)
    client.subscribe([ROOM])
    await client.listener.connected()
    await until(lambda: hub.is_polling("1", ROOM), what="an open poll")

    hub.faults.stall_polls = 1.0
    hub.publish(ROOM, {"n": "wake up"})  # answers the open poll; the next one is held
    await until(lambda: client.listener.unique_payloads(ROOM) != [], what="the first message")
    hub.publish(ROOM, {"action": "end_channel"})
    hub.revoke(TOKEN)
    hub.faults.stall_polls = 0.0

    await until(
        lambda: PNStatusCategory.PNAccessDeniedCategory in client.listener.statuses,
        what="access denied status",
    )
    assert client.listener.unique_payloads(ROOM) == [{"n": "wake up"}, {"action": "end_channel"}]


async def test_is_polling_follows_the_open_long_poll(running_hub: RunningHub) -> None:
    hub = running_hub.hub
    hub.grant(TOKEN, 1, [ROOM])
    cursor = await handshake(running_hub, [ROOM])
    assert not hub.is_polling("1", ROOM)  # a handshake is not a poll

    waiting = asyncio.ensure_future(poll(running_hub, [ROOM], cursor))
    await until(lambda: hub.is_polling("1", ROOM), what="an open poll")
    assert not hub.is_polling("2", ROOM)
    hub.publish(ROOM, {"n": 1})
    status, _ = await waiting
    assert status == 200
    assert not hub.is_polling("1", ROOM)
