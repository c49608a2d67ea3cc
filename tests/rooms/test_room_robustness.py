"""A room survives what it is sent: one bad message costs only itself, and a realtime
link that stops anyway ends the room with a reason instead of leaving it deaf."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aioclubhouse.rooms import LeaveReason, Left, RoomEvent, UnknownEvent, UserJoined
from aioclubhouse.rooms.realtime import connection as connection_module

from .helpers import People, until_polling


async def test_one_bad_message_does_not_cost_its_batch(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    room = await people.join(await people.session("Lee Listener"), channel)
    await until_polling(people.emu, room)
    seen: list[RoomEvent] = []
    room.on(RoomEvent, seen.append)
    where = f"channel_all.{channel}"

    # Published without a pause: the open poll answers all three at once.
    for user_id in (501, "²", 502):
        people.emu.hub.publish(
            where,
            {"action": "join_channel", "channel": channel, "user_profile": {"user_id": user_id}},
        )
    await room.wait_for(UserJoined, check=lambda e: e.user.user_id == 502, timeout=20)

    mine = [e for e in seen if isinstance(e, UserJoined | UnknownEvent)]
    assert [type(e) for e in mine] == [UserJoined, UnknownEvent, UserJoined]
    assert isinstance(mine[1], UnknownEvent) and mine[1].problem == "missing user_id"
    assert {501, 502} <= {user.user_id for user in room.users}
    assert not room.is_left


async def test_a_realtime_link_that_stops_anyway_ends_the_room_with_a_reason(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    _moderator, channel = await people.room_with_moderator()
    room = await people.join(await people.session("Lee Listener"), channel)
    await until_polling(people.emu, room)

    def broken(self: Any, exc: BaseException) -> bool:
        raise RuntimeError("the error handling itself failed")

    monkeypatch.setattr(connection_module.Connection, "_handle_failure", broken)
    people.emu.faults.drop_polls = 2  # aiohttp retries a dropped GET once by itself
    people.emu.hub.publish(f"channel_all.{channel}", {"action": "wake_the_poll"})

    assert await asyncio.wait_for(room.wait_left(), 20) is LeaveReason.REALTIME_ERROR
    assert not room.connected
    final = [e async for e in room.events()][-1]
    assert isinstance(final, Left) and final.error is not None and "stopped" in final.error
