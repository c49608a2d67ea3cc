"""Refused options never leave you in a room: they are checked before ``join_channel``,
and anything failing after a successful join leaves again before the error surfaces."""

from __future__ import annotations

from typing import Any

import pytest

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms import join_room
from aioclubhouse.session import ClubhouseSession

from .helpers import People

BAD_OPTIONS: list[tuple[str, Any]] = [
    ("ping_interval", 0),
    ("ping_interval", -5.0),
    ("ping_interval", float("nan")),
    ("resync_interval", -1),
    ("resync_interval", 0.0),
    ("max_queue", 0),
    ("max_queue", 2.5),
    ("max_queue", True),
    ("connect_timeout", 0),
    ("connect_timeout", "10"),
    ("audio_timeout", -1.0),
    ("audio_timeout", None),
    ("realtime_options", {"request_timeout": 5}),
    ("pool", "shared"),
    ("on_role_change", "not callable"),
]


def in_room(people: People, session: ClubhouseSession, channel: str) -> bool:
    live = people.emu.world.state.rooms.get(channel)
    return live is not None and session.user_id in live.users


@pytest.mark.parametrize(("option", "value"), BAD_OPTIONS)
async def test_bad_options_are_refused_before_joining(
    people: People, monkeypatch: pytest.MonkeyPatch, option: str, value: Any
) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    joins: list[str] = []
    real_join = session.join_channel

    async def counting_join(channel: str, **options: Any) -> Any:
        joins.append(channel)
        return await real_join(channel, **options)

    monkeypatch.setattr(session, "join_channel", counting_join)
    options: dict[str, Any] = {"pool": people.pool, option: value}
    with pytest.raises(InvalidArgumentError) as refused:
        await join_room(session, channel, **options)
    assert refused.value.field == option
    assert joins == []
    assert not in_room(people, session, channel)


async def test_a_room_that_cannot_be_built_is_left(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever breaks between the join and a working Room, the service is told."""
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")

    def broken_keepalive(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("cannot build the keepalive")

    monkeypatch.setattr("aioclubhouse.rooms.room.Keepalive", broken_keepalive)
    with pytest.raises(RuntimeError, match="cannot build the keepalive"):
        await join_room(session, channel, pool=people.pool)
    assert not in_room(people, session, channel)
    monkeypatch.undo()
    room = await people.join(session, channel)  # joining again works
    assert in_room(people, session, channel)
    await room.leave()
    assert not in_room(people, session, channel)
