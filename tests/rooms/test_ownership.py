"""A session owns its realtime side: closing it leaves its rooms, ends its streams and
closes the pool it made; a lent pool is left to its owner."""

from __future__ import annotations

import asyncio
import gc
import warnings

import pytest

from aioclubhouse.errors import SessionClosedError
from aioclubhouse.rooms import LeaveReason, Left, Room, RoomEvent, UserEvents, user_events

from ..support.waiting import until
from .helpers import People
from .test_room_lifecycle import in_world, room_tasks


async def read_all(source: Room | UserEvents) -> list[RoomEvent]:
    return [event async for event in source.events()]


def realtime_tasks() -> list[asyncio.Task[object]]:
    return [t for t in asyncio.all_tasks() if t.get_name().startswith("realtime ") and not t.done()]


async def test_closing_the_session_leaves_its_room_ends_its_stream_and_closes_its_pool(
    people: People,
) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    room = await session.join_room(channel)  # on the session's own pool
    stream = session.user_events()
    await stream.start()
    pool = session.realtime.pool
    assert pool.connection_count == 2 and pool.http_open
    assert session.realtime.streams == (room, stream)
    readers = [asyncio.ensure_future(read_all(source)) for source in (room, stream)]
    gc.collect()  # garbage of earlier tests must not warn inside the block below

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await session.close()
        gc.collect()

    assert room.left_reason is LeaveReason.SESSION_CLOSED
    assert room_tasks(room) == []
    assert not in_world(people, room)  # leave_channel went out before the HTTP pool closed
    # The server notices the aborted long-poll when its handler next runs.
    await until(
        lambda: not people.emu.hub.is_polling(str(room.user_id), f"channel_all.{channel}"),
        what="the emulator to see the long-poll end",
    )
    assert stream.left_reason is LeaveReason.SESSION_CLOSED
    for events in await asyncio.gather(*readers):
        final = events[-1]
        assert isinstance(final, Left) and final.reason is LeaveReason.SESSION_CLOSED
    assert pool.connection_count == 0 and not pool.http_open
    assert session.realtime.streams == ()
    assert realtime_tasks() == []
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []

    with pytest.raises(SessionClosedError):
        await session.join_room(channel)
    with pytest.raises(SessionClosedError):
        await user_events(session).start()
    await session.close()  # twice: nothing happens


async def test_a_lent_pool_outlives_the_session(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    neighbour = await people.session("Nia Neighbour")
    room = await session.join_room(channel, pool=people.pool)
    staying = await people.join(neighbour, channel)
    assert people.pool.connection_count == 2
    await session.close()
    assert room.left_reason is LeaveReason.SESSION_CLOSED
    assert not in_world(people, room)
    assert not session.realtime.has_pool  # the session never needed one of its own
    # The lent pool is its owner's: it still serves the other session's room.
    assert people.pool.connection_count == 1 and people.pool.http_open
    assert not staying.is_left and staying.connected
    loops = [t for t in realtime_tasks() if t.get_name() != people.pool.heartbeats.name]
    assert len(loops) == 1
    assert people.pool.heartbeats.scheduled == 1  # the staying room is still heartbeated


async def test_rooms_left_before_the_session_closes_are_not_its_any_more(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    async with await session.join_room(channel) as room:
        assert session.realtime.streams == (room,)
    assert session.realtime.streams == ()
    async with session.user_events() as stream:
        assert session.realtime.streams == (stream,)
    assert session.realtime.streams == ()
    pool = session.realtime.pool
    await session.close()
    assert room.left_reason is LeaveReason.USER
    assert not pool.http_open


async def test_a_session_without_rooms_makes_no_pool(people: People) -> None:
    session = await people.session("Lee Listener")
    await session.get_channels()
    assert not session.realtime.has_pool
    await session.close()
    assert not session.realtime.has_pool
