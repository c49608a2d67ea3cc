"""The realtime link against the emulator's PubNub hub, through the real `pubnub` client."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
import pytest_asyncio

from aioclubhouse.emulator import Emulator
from aioclubhouse.errors import RealtimeError
from aioclubhouse.rooms.realtime import (
    ConnectionChange,
    ConnectionState,
    RealtimeAccess,
    RealtimeMessage,
    RealtimeOptions,
    RealtimePool,
    realtime_origin,
)

from .helpers import until

_tokens = itertools.count(1)


class Recorder:
    """A listener that keeps everything it is given."""

    def __init__(self, *, explode_on: int | None = None) -> None:
        self.messages: list[RealtimeMessage] = []
        self.changes: list[ConnectionChange] = []
        self.errors: list[RealtimeError] = []
        self.explode_on = explode_on

    def realtime_messages(self, messages: Sequence[RealtimeMessage]) -> None:
        self.messages.extend(messages)
        for message in messages:
            if isinstance(message.payload, dict) and message.payload.get("n") == self.explode_on:
                raise RuntimeError("listener bug")

    def realtime_status(self, change: ConnectionChange) -> None:
        self.changes.append(change)

    def realtime_failed(self, error: RealtimeError) -> None:
        self.errors.append(error)

    def numbers(self, channel: str | None = None) -> list[Any]:
        return [
            m.payload["n"]
            for m in self.messages
            if (channel is None or m.channel == channel) and isinstance(m.payload, dict)
        ]

    def states(self) -> list[ConnectionState]:
        return [change.state for change in self.changes]


@pytest_asyncio.fixture
async def hub_emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=5, poll_timeout=1.0) as emulator:
        yield emulator


async def all_delivered(emu: Emulator, recorder: Recorder, *channels: str) -> None:
    """Publish a last message on each channel and wait for all of them.

    Delivery is in order per channel, so once these arrive every message published
    before them has been delivered, and any repeat of one would have shown up.
    """
    for channel in channels:
        emu.hub.publish(channel, {"n": "last"})
    await until(
        lambda: all("last" in recorder.numbers(channel) for channel in channels),
        what="the last message of every channel",
    )
    recorder.messages = [m for m in recorder.messages if m.payload != {"n": "last"}]


def grant(emu: Emulator, *channels: str, user_id: int = 42) -> RealtimeAccess:
    token = f"token-{next(_tokens)}"
    emu.hub.grant(token, user_id, channels)
    return RealtimeAccess(
        origin=emu.origin, ssl=False, auth_token=token, user_id=user_id, presence_timeout=60
    )


async def test_origin_follows_the_api() -> None:
    assert realtime_origin("http://127.0.0.1:8080/api/") == ("127.0.0.1:8080", False)
    assert realtime_origin("https://www.clubhouseapi.com/api/") == ("clubhouse.pubnub.com", True)


async def test_a_named_origin_is_used_and_tls_still_follows_the_api() -> None:
    assert realtime_origin("http://127.0.0.1:8080/api/", "127.0.0.1:9000") == (
        "127.0.0.1:9000",
        False,
    )
    assert realtime_origin("https://www.clubhouseapi.com/api/", "pubsub.example.net") == (
        "pubsub.example.net",
        True,
    )
    assert realtime_origin("https://www.clubhouseapi.com/api/", "") == (
        "clubhouse.pubnub.com",
        True,
    )


async def test_messages_arrive_once_in_order(hub_emu: Emulator, pool: RealtimePool) -> None:
    access = grant(hub_emu, "a", "b")
    recorder = Recorder()
    subscription = pool.subscribe(access, ["a", "b"], recorder)
    await asyncio.wait_for(subscription.wait_connected(), 10)
    for n in range(60):
        hub_emu.hub.publish("a" if n % 3 else "b", {"n": n})
    await until(lambda: len(recorder.messages) >= 60, what="60 messages")
    assert recorder.numbers() == list(range(60))
    assert recorder.states() == [ConnectionState.CONNECTED]
    assert all(m.timetoken > 0 and m.publisher for m in recorder.messages)
    await subscription.close()
    assert pool.connection_count == 0


async def test_faults_and_restarts_lose_and_repeat_nothing(hub_emu: Emulator) -> None:
    # A client timeout just above the emulator's long-poll time, so stalls become timeouts.
    options = RealtimeOptions(request_timeout=2, reconnect_delay=0.05, max_reconnect_delay=0.3)
    pool = RealtimePool(options)
    access = grant(hub_emu, "seq")
    recorder = Recorder()
    subscription = pool.subscribe(access, ["seq"], recorder)
    await asyncio.wait_for(subscription.wait_connected(), 10)
    published = 0

    async def publish(count: int) -> None:
        nonlocal published
        for _ in range(count):
            hub_emu.hub.publish("seq", {"n": published})
            published += 1
            await asyncio.sleep(0.005)

    try:
        await publish(20)
        for _ in range(3):
            await hub_emu.restart()
            await publish(20)
        for _ in range(3):
            hub_emu.faults.drop_polls = 2
            await publish(20)
        hub_emu.faults.stall_polls = 3.0  # longer than the client waits: it times out
        await publish(10)
        await until(lambda: ConnectionState.RECONNECTING in recorder.states(), what="a timeout")
        hub_emu.faults.stall_polls = 0.0
        await publish(10)
        await all_delivered(hub_emu, recorder, "seq")
        assert recorder.numbers() == list(range(published))
        assert ConnectionState.RECONNECTED in recorder.states()
        assert recorder.states().count(ConnectionState.CONNECTED) == 1
        assert recorder.errors == []
    finally:
        await subscription.close()
        await pool.close()


async def test_channels_added_while_polling_miss_nothing(
    hub_emu: Emulator, pool: RealtimePool
) -> None:
    channels = [f"c{i}" for i in range(6)]
    access = grant(hub_emu, *channels)
    recorder = Recorder()
    subscription = pool.subscribe(access, ["c0"], recorder)
    await asyncio.wait_for(subscription.wait_connected(), 10)
    expected: dict[str, list[int]] = {channel: [] for channel in channels}
    for step in range(1, 6):
        subscription.set_channels(channels[: step + 1])
        # Published right after the change, before the client has re-polled.
        for n in range(5):
            for channel in channels[: step + 1]:
                hub_emu.hub.publish(channel, {"n": step * 100 + n})
                expected[channel].append(step * 100 + n)
        total = sum(len(v) for v in expected.values())
        await until(lambda: len(recorder.messages) >= total, what=f"step {step}")  # noqa: B023
    await all_delivered(hub_emu, recorder, *channels)
    for channel in channels:
        assert recorder.numbers(channel) == expected[channel], channel
    subscription.set_channels(["c5"])
    hub_emu.hub.publish("c0", {"n": -1})
    hub_emu.hub.publish("c5", {"n": 999})
    await until(lambda: 999 in recorder.numbers(), what="the last message")
    assert -1 not in recorder.numbers()


async def test_a_refused_token_is_final(hub_emu: Emulator, pool: RealtimePool) -> None:
    access = grant(hub_emu, "x")
    recorder = Recorder()
    subscription = pool.subscribe(access, ["x"], recorder)
    await asyncio.wait_for(subscription.wait_connected(), 10)
    hub_emu.hub.revoke(access.auth_token)
    hub_emu.hub.publish("x", {"n": 1})  # wakes the open poll; the next one is refused
    await until(lambda: bool(recorder.errors), what="the refusal")
    assert recorder.errors[0].status == 403
    assert ConnectionState.RECONNECTING not in recorder.states()
    await subscription.close()
    assert pool.connection_count == 0


async def test_an_unknown_token_fails_the_connect(hub_emu: Emulator, pool: RealtimePool) -> None:
    access = RealtimeAccess(origin=hub_emu.origin, ssl=False, auth_token="nope", user_id=1)
    recorder = Recorder()
    subscription = pool.subscribe(access, ["x"], recorder)
    with pytest.raises(RealtimeError):
        await asyncio.wait_for(subscription.wait_connected(), 10)
    assert len(recorder.errors) == 1
    await subscription.close()


async def test_equal_access_shares_a_connection_up_to_the_cap(hub_emu: Emulator) -> None:
    pool = RealtimePool(RealtimeOptions(max_channels_per_connection=4, reconnect_delay=0.05))
    access = grant(hub_emu, *(f"r{i}" for i in range(6)))
    first, second, third = Recorder(), Recorder(), Recorder()
    subscriptions = [
        pool.subscribe(access, ["r0", "r1"], first),
        pool.subscribe(access, ["r2", "r3"], second),
        pool.subscribe(access, ["r4", "r5"], third),
    ]
    try:
        for subscription in subscriptions:
            await asyncio.wait_for(subscription.wait_connected(), 10)
        assert pool.connection_count == 2
        for i in range(6):
            hub_emu.hub.publish(f"r{i}", {"n": i})
        await until(
            lambda: len(first.messages) + len(second.messages) + len(third.messages) >= 6,
            what="six messages",
        )
        assert (first.numbers(), second.numbers(), third.numbers()) == ([0, 1], [2, 3], [4, 5])
    finally:
        for subscription in subscriptions:
            await subscription.close()
        await pool.close()
    assert pool.connection_count == 0


async def test_moving_to_new_credentials_loses_nothing(
    hub_emu: Emulator, pool: RealtimePool
) -> None:
    old = grant(hub_emu, "stage", "all")
    new = grant(hub_emu, "stage", "all")
    recorder = Recorder()
    subscription = pool.subscribe(old, ["all"], recorder)
    await asyncio.wait_for(subscription.wait_connected(), 10)
    hub_emu.hub.publish("all", {"n": 0})
    await until(lambda: len(recorder.messages) == 1, what="the first message")
    hub_emu.hub.publish("all", {"n": 1})  # published before the move, maybe not fetched yet
    await subscription.reauthorize(new)
    subscription.set_channels(["all", "stage"])
    hub_emu.hub.publish("all", {"n": 2})
    hub_emu.hub.publish("stage", {"n": 3})
    await all_delivered(hub_emu, recorder, "all", "stage")
    assert sorted(recorder.numbers()) == [0, 1, 2, 3]
    hub_emu.hub.revoke(old.auth_token)  # the old token no longer matters
    hub_emu.hub.publish("all", {"n": 4})
    await until(lambda: 4 in recorder.numbers(), what="a message after the revoke")
    assert recorder.errors == []
    await subscription.close()


async def test_a_failing_listener_does_not_stop_delivery(
    hub_emu: Emulator, pool: RealtimePool
) -> None:
    access = grant(hub_emu, "boom")
    recorder = Recorder(explode_on=1)
    subscription = pool.subscribe(access, ["boom"], recorder)
    await asyncio.wait_for(subscription.wait_connected(), 10)
    for n in range(4):
        hub_emu.hub.publish("boom", {"n": n})
        # Each in an answer of its own: the failure must not take later answers with it.
        await until(lambda: len(recorder.messages) > n, what=f"message {n}")  # noqa: B023
    assert recorder.numbers() == [0, 1, 2, 3]
    await subscription.close()
