"""What a room does with an end or a removal heard over realtime only.

``remove_from_channel`` on your own channels means you, with or without ``user_id``
(the official app reads no field of it, docs/protocol.md C.3).  And since anything
on a channel might not come from the service (a stray message, a forged one), a room
that leaves for such a message confirms it with ``leave_channel``, so that the
service and the program never disagree about whether you are in the room.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aioclubhouse.rooms import LeaveReason, RemovedFromRoom, RoomEnded, UnknownEvent, UserLeft

from .helpers import People, until, until_polling
from .test_room_lifecycle import in_world


async def listener_in_room(people: People) -> tuple[Any, str]:
    _moderator, channel = await people.room_with_moderator()
    room = await people.join(await people.session("Lee Listener"), channel)
    await until_polling(people.emu, room)
    return room, channel


@pytest.mark.parametrize("where", ["channel_user.{ch}.{me}", "users.{me}"])
async def test_a_removal_without_user_id_on_your_own_channel_means_you(
    people: People, where: str
) -> None:
    room, channel = await listener_in_room(people)
    removed = asyncio.ensure_future(room.wait_for(RemovedFromRoom))
    message = {"action": "remove_from_channel", "channel": channel, "from_name": "Mo"}
    people.emu.hub.publish(where.format(ch=channel, me=room.user_id), message)

    assert await asyncio.wait_for(room.wait_left(), 20) is LeaveReason.REMOVED
    event = await removed
    assert (event.user_id, event.from_name) == (room.user_id, "Mo")
    # The service had not removed anyone: the room told it that it left.
    assert not in_world(people, room)


async def test_a_removal_naming_someone_else_on_the_room_channel_is_theirs(
    people: People,
) -> None:
    room, channel = await listener_in_room(people)
    other = room.user_id + 1000
    people.emu.hub.publish(
        f"channel_all.{channel}",
        {"action": "remove_from_channel", "channel": channel, "user_id": other},
    )
    people.emu.hub.publish(
        f"channel_all.{channel}", {"action": "leave_channel", "channel": channel, "user_id": other}
    )
    await room.wait_for(UserLeft, check=lambda e: e.user_id == other, timeout=20)
    assert not room.is_left and in_world(people, room)


async def test_an_end_heard_only_over_realtime_is_confirmed_with_leave_channel(
    people: People,
) -> None:
    room, channel = await listener_in_room(people)
    ended = asyncio.ensure_future(room.wait_for(RoomEnded))
    people.emu.hub.publish(f"channel_all.{channel}", {"action": "end_channel", "channel": channel})

    assert await asyncio.wait_for(room.wait_left(), 20) is LeaveReason.ENDED
    await ended
    assert channel in people.emu.world.state.rooms  # the room itself lives on
    assert not in_world(people, room)  # and the service knows this user left it


async def test_a_removal_whose_value_cannot_be_read_is_unknown_and_the_room_stays(
    people: People,
) -> None:
    room, channel = await listener_in_room(people)
    people.emu.hub.publish(
        f"channel_all.{channel}",
        {"action": "remove_from_channel", "channel": channel, "user_id": "²"},
    )
    event = await room.wait_for(UnknownEvent, timeout=20)
    assert (event.action, event.problem) == ("remove_from_channel", "missing user_id")
    await until(lambda: room.connected, what="the room still connected")
    assert not room.is_left
