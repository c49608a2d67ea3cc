"""Stalled and dropped long-polls: what the hub does, and that the real client recovers."""

from __future__ import annotations

import asyncio

import aiohttp

from ..support.waiting import signalled, until
from .pubnub_testkit import ClientFactory, RunningHub

ROOM = "channel_all.abcdefgh"


def poll_url(running_hub: RunningHub) -> str:
    return f"{running_hub.url}/v2/subscribe/sub-c-test/{ROOM}/0"


async def test_stalled_poll_returns_nothing_even_with_messages_waiting(
    running_hub: RunningHub,
) -> None:
    hub = running_hub.hub
    hub.grant("token", 1, [ROOM])
    cursor = str(hub.publish(ROOM, {"n": 0}))
    hub.publish(ROOM, {"n": 1})
    hub.faults.stall_polls = 0.3

    async with aiohttp.ClientSession() as session:
        params = {"tt": cursor, "auth": "token"}
        async with session.get(poll_url(running_hub), params=params) as response:
            stalled = await response.json()
        hub.faults.stall_polls = 0.0
        async with session.get(poll_url(running_hub), params=params) as response:
            recovered = await response.json()

    assert stalled == {"t": {"t": cursor, "r": 1}, "m": []}
    assert [envelope["d"] for envelope in recovered["m"]] == [{"n": 1}]


async def test_dropped_poll_gets_no_response_and_the_next_one_works(
    running_hub: RunningHub,
) -> None:
    hub = running_hub.hub
    hub.grant("token", 1, [ROOM])
    cursor = str(hub.publish(ROOM, {"n": 0}))
    hub.publish(ROOM, {"n": 1})
    hub.faults.drop_polls = 1
    params = {"tt": cursor, "auth": "token"}

    reader, writer = await asyncio.open_connection("127.0.0.1", running_hub.server.port)
    path = f"/v2/subscribe/sub-c-test/{ROOM}/0?tt={cursor}&auth=token"
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    answer = await reader.read()  # the end of the stream, once the server closes
    writer.close()
    assert answer == b""

    async with (
        aiohttp.ClientSession() as session,
        session.get(poll_url(running_hub), params=params) as response,
    ):
        body = await response.json()

    assert hub.faults.drop_polls == 0
    assert [envelope["d"] for envelope in body["m"]] == [{"n": 1}]


async def test_client_recovers_from_stalled_polls(
    running_hub: RunningHub, pubnub_client: ClientFactory
) -> None:
    hub = running_hub.hub
    hub.grant("token", 1, [ROOM])
    client = pubnub_client(running_hub.origin, user_id="1", token="token")
    client.subscribe([ROOM])
    await client.listener.connected()
    await signalled(hub.wait_for_parked_polls(1), what="the client's poll to wait")

    hub.faults.stall_polls = 0.5
    hub.publish(ROOM, {"n": 1})  # the poll already waiting still delivers this one
    await until(lambda: client.listener.unique_payloads(ROOM) == [{"n": 1}], what="n=1")
    hub.publish(ROOM, {"n": 2})
    hub.faults.stall_polls = 0.0

    await until(
        lambda: client.listener.unique_payloads(ROOM) == [{"n": 1}, {"n": 2}],
        what="n=2 after the stall",
    )


async def test_client_recovers_from_dropped_polls(
    running_hub: RunningHub, pubnub_client: ClientFactory
) -> None:
    hub = running_hub.hub
    hub.grant("token", 1, [ROOM])
    client = pubnub_client(running_hub.origin, user_id="1", token="token")
    client.subscribe([ROOM])
    await client.listener.connected()

    hub.faults.drop_polls = 2
    hub.publish(ROOM, {"n": 1})
    await until(lambda: hub.faults.drop_polls == 0, what="both drops used")
    hub.publish(ROOM, {"n": 2})

    await until(
        lambda: client.listener.unique_payloads(ROOM) == [{"n": 1}, {"n": 2}],
        what="every message despite the drops",
    )
