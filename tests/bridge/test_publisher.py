"""The pipelined JetStream publisher on a real nats-server: bounded in flight, acknowledgements
matched to their messages, and only what was not acknowledged sent again."""

from __future__ import annotations

import asyncio

import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg

from aioclubhouse.bridge.publisher import Publisher, PublishFailed

from ..support.waiting import until

FAST = {"timeout": 0.3, "max_attempts": 30, "base_delay": 0.02, "max_delay": 0.1}


def publisher(client: Client, **options: object) -> Publisher:
    settings: dict[str, object] = {**FAST, "max_in_flight": 1000, "label": "test", **options}
    return Publisher(client, **settings)  # type: ignore[arg-type]


async def stream_messages(client: Client, name: str) -> int:
    info = await client.jetstream().stream_info(name)
    return int(info.state.messages)


async def test_batches_in_flight_together_stay_under_the_bound_and_land_once(
    nats_client: Client,
) -> None:
    await nats_client.jetstream().add_stream(name="BOUND", subjects=["bound.>"])
    sending = publisher(nats_client, max_in_flight=5)
    await sending.start()
    seen: list[int] = []

    async def watch(message: Msg) -> None:  # every message the server routes, as it comes
        seen.append(sending.in_flight)

    await nats_client.subscribe("bound.>", cb=watch)
    batches = [[(f"bound.{n}", b"x", f"id-{n}-{k}") for k in range(3)] for n in range(20)]
    await asyncio.gather(*(sending.publish(batch) for batch in batches))
    await sending.stop()
    assert await stream_messages(nats_client, "BOUND") == 60
    assert sending.acknowledged == 60 and sending.duplicates == 0 and sending.retries == 0
    assert seen and max(seen) <= 5
    assert sending.in_flight == 0


async def test_only_the_messages_not_acknowledged_are_sent_again(nats_client: Client) -> None:
    js = nats_client.jetstream()
    await js.add_stream(name="TAKEN", subjects=["taken.>"])
    sending = publisher(nats_client)
    await sending.start()
    batch = [
        ("taken.a", b"1", "a"),
        ("missing.b", b"2", "b"),  # no stream takes it yet: JetStream cannot acknowledge it
        ("taken.c", b"3", "c"),
    ]
    publishing = asyncio.create_task(sending.publish(batch))
    await until(lambda: sending.retries >= 2, what="'b' sent again")
    assert not publishing.done()
    await js.add_stream(name="LATE", subjects=["missing.>"])
    await asyncio.wait_for(publishing, 10)
    await sending.stop()
    assert await stream_messages(nats_client, "TAKEN") == 2
    assert await stream_messages(nats_client, "LATE") == 1
    # Only "b" went again: a resent "a" or "c" would have been acknowledged as a duplicate.
    assert sending.duplicates == 0 and sending.acknowledged == 3


async def test_a_message_never_acknowledged_is_resent_then_given_up(nats_client: Client) -> None:
    heard: list[bytes] = []

    async def silent(message: Msg) -> None:  # takes the message and never answers
        heard.append(message.data)

    await nats_client.subscribe("silent.>", cb=silent)
    sending = publisher(nats_client, max_attempts=3)
    await sending.start()
    with pytest.raises(PublishFailed, match=r"after 3 attempts \(no acknowledgement in 0\.3 s\)"):
        await asyncio.wait_for(sending.publish([("silent.x", b"hello", "x")]), 10)
    await sending.stop()
    assert heard == [b"hello"] * 3
    assert sending.retries == 2 and sending.in_flight == 0


async def test_a_late_stream_after_timeouts_gets_the_message_once(nats_client: Client) -> None:
    heard: list[bytes] = []

    async def silent(message: Msg) -> None:
        heard.append(message.data)

    await nats_client.subscribe("later.>", cb=silent)
    sending = publisher(nats_client)
    await sending.start()
    publishing = asyncio.create_task(sending.publish([("later.x", b"hello", "x")]))
    await until(lambda: len(heard) >= 2, what="a second send")
    await nats_client.jetstream().add_stream(name="LATER", subjects=["later.>"])
    await asyncio.wait_for(publishing, 10)
    await sending.stop()
    assert await stream_messages(nats_client, "LATER") == 1


async def test_stopping_fails_what_still_waits(nats_client: Client) -> None:
    async def silent(message: Msg) -> None:
        pass

    await nats_client.subscribe("never.>", cb=silent)
    sending = publisher(nats_client, timeout=30.0)
    await sending.start()
    publishing = asyncio.create_task(sending.publish([("never.x", b"1", "x")]))
    await until(lambda: sending.in_flight == 1, what="the message in flight")
    await sending.stop()
    with pytest.raises(PublishFailed, match="closed"):
        await publishing
