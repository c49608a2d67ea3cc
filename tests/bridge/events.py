"""Events made for sink tests: realistic service messages with PubNub positions."""

from __future__ import annotations

from aioclubhouse.bridge import Outgoing
from aioclubhouse.rooms.realtime_events import RoomEvent, parse_message

BASE_TT = 17_145_648_000_000_000


def room_event(number: int, room: str = "roomAbc1", *, channel: str | None = None) -> RoomEvent:
    """A join or a leave in ``room``, the ``number``-th message of its channel."""
    user = 1000 + number
    if number % 2 == 0:
        payload = {"action": "join_channel", "channel": room, "user_profile": {"user_id": user}}
    else:
        payload = {"action": "leave_channel", "channel": room, "user_id": user - 1}
    return parse_message(
        payload, pubnub_channel=channel or f"channel_all.{room}", timetoken=BASE_TT + number
    )


def outgoing(count: int, room: str = "roomAbc1", start: int = 0) -> list[Outgoing]:
    return [Outgoing.of(room_event(n, room)) for n in range(start, start + count)]
