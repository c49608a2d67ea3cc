"""``RoomOptions.start_at``: a room joined later still gets what was published since then."""

from __future__ import annotations

import asyncio

from aioclubhouse.rooms import RealtimeOptions, UnknownEvent
from aioclubhouse.rooms.realtime import timetoken_now

from ..rooms.helpers import FAST, People
from ..support.waiting import until


async def test_a_room_started_from_an_earlier_timetoken_delivers_what_came_before(
    people: People,
) -> None:
    _moderator, channel = await people.room_with_moderator("resume")
    listener = await people.session("Lee Listener")
    since = timetoken_now()
    published = [
        people.emu.hub.publish(f"channel_all.{channel}", {"action": "before_join", "n": n})
        for n in range(3)
    ]
    rewind = RealtimeOptions(
        request_timeout=FAST.request_timeout,
        reconnect_delay=FAST.reconnect_delay,
        max_reconnect_delay=FAST.max_reconnect_delay,
        max_rewind=600,
    )
    room = await people.join(listener, channel, start_at=since, realtime_options=rewind)
    seen: list[int] = []

    async def read() -> None:
        async for event in room.events():
            if isinstance(event, UnknownEvent) and event.action == "before_join":
                seen.append(event.timetoken)

    reading = asyncio.create_task(read())
    await until(lambda: len(seen) == 3, what="the messages published before the join")
    assert seen == published
    await room.leave()
    await reading

    # Without it, delivery starts at the join: those messages are not delivered.
    again = await people.join(await people.session("Ann Other"), channel)
    assert again.options.start_at is None
    marker = people.emu.hub.publish(f"channel_all.{channel}", {"action": "after_join"})
    actions = []
    async for event in again.events():
        if isinstance(event, UnknownEvent):
            actions.append(event.action)
            if event.timetoken == marker:
                break
    assert actions == ["after_join"]
    await again.leave()
