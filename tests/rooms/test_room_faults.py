"""Rooms across emulator restarts and broken long-polls: nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest_asyncio

from aioclubhouse.rooms import (
    RealtimeOptions,
    RealtimePool,
    Reconnected,
    Reconnecting,
    RoomEvent,
    UnknownEvent,
    UserJoined,
    UserLeft,
)

from .helpers import People, until

# The client gives up on a long-poll after 3 s; the emulator answers after 2 s.
IMPATIENT = RealtimeOptions(
    request_timeout=3, connect_timeout=3, reconnect_delay=0.05, max_reconnect_delay=0.5
)


@pytest_asyncio.fixture
async def impatient_pool() -> AsyncIterator[RealtimePool]:
    pool = RealtimePool(IMPATIENT)
    yield pool
    await pool.close()


async def test_restarts_and_broken_polls_lose_and_repeat_nothing(
    people: People, impatient_pool: RealtimePool
) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    mod = await people.join(mod_session, channel, pool=impatient_pool)
    listener = await people.join(listener_session, channel, pool=impatient_pool)
    received: dict[str, list[RoomEvent]] = {"mod": [], "listener": []}
    mod.on(RoomEvent, received["mod"].append)
    listener.on(RoomEvent, received["listener"].append)
    crowd_ids = [people.emu.world.create_user(name=f"Person {i}").user_id for i in range(100)]
    joined_so_far = 0

    async def come_in(count: int) -> None:
        """The next ``count`` people join, one by one, through the (current) world."""
        nonlocal joined_so_far
        world = people.emu.world  # a restart builds a new world object from the saved state
        for user_id in crowd_ids[joined_so_far : joined_so_far + count]:
            world.rooms.join(world.user(user_id), channel, keepalive=False)
            await asyncio.sleep(0.002)
        joined_so_far += count

    await come_in(10)
    for _ in range(3):
        await people.emu.restart()
        await come_in(10)
    for _ in range(3):
        people.emu.faults.drop_polls = 3
        await come_in(10)
    people.emu.faults.stall_polls = 4.0  # beyond the client's patience: polls time out
    await come_in(10)
    await until(
        lambda: any(isinstance(e, Reconnecting) for e in received["listener"][-20:]),
        what="a timed-out poll",
    )
    people.emu.faults.stall_polls = 0.0
    await come_in(20)
    world = people.emu.world
    for name in ("mod", "listener"):
        await until(_all_joined(received[name], crowd_ids), what=f"every join at the {name}")
    # A last message: once it is in, so is anything repeated before it (delivery is in order).
    people.emu.hub.publish(f"channel_all.{channel}", {"action": "last_one", "channel": channel})
    for name in ("mod", "listener"):
        await until(_heard_the_last(received[name]), what=f"the last message at the {name}")
    for name, room in (("mod", mod), ("listener", listener)):
        events = received[name]
        assert _joined(events, crowd_ids) == crowd_ids, name
        stamps = [(e.pubnub_channel, e.timetoken) for e in events if e.pubnub_channel]
        assert len(stamps) == len(set(stamps)), f"{name} got a message twice"
        assert any(isinstance(e, Reconnecting) for e in events)
        assert any(isinstance(e, Reconnected) for e in events)
        assert not any(isinstance(e, UserLeft) for e in events)
        assert {u.user_id for u in room.users} == set(world.rooms.room(channel).users)
        assert not room.is_left


def _heard_the_last(events: list[RoomEvent]) -> Callable[[], bool]:
    return lambda: any(isinstance(e, UnknownEvent) and e.action == "last_one" for e in events)


def _all_joined(events: list[RoomEvent], crowd: list[int]) -> Callable[[], bool]:
    return lambda: _joined(events, crowd) == crowd


def _joined(events: list[RoomEvent], crowd: list[int]) -> list[int]:
    wanted = set(crowd)
    return [
        e.user.user_id for e in events if isinstance(e, UserJoined) and e.user.user_id in wanted
    ]
