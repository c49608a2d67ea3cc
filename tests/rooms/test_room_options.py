"""Room options: declared once, reachable from both ``join_room`` spellings, typed.

Refused options never leave you in a room: they are checked before ``join_channel``,
and anything failing after a successful join leaves again before the error surfaces.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, get_type_hints

import attrs
import pytest
from mypy import api as mypy_api

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms import (
    RealtimeOptions,
    RealtimePool,
    Room,
    RoomOptionFields,
    RoomOptions,
    StreamOptionFields,
    StreamOptions,
    join_room,
)
from aioclubhouse.rooms.keepalive import Keepalive
from aioclubhouse.rooms.realtime import timetoken_now
from aioclubhouse.session import ClubhouseSession

from .helpers import FAST, People

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
    ("transcribe_timeout", 0),
    ("realtime_options", {"request_timeout": 5}),
    ("pool", "shared"),
    ("on_role_change", "not callable"),
    ("drain_timeout", 0),
    ("keepalive", "Keepalive"),
    ("keepalive", object),
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


async def test_a_room_that_cannot_be_built_is_left(people: People) -> None:
    """Whatever breaks between the join and a working Room, the service is told."""
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")

    class UnbuildableKeepalive(Keepalive):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise RuntimeError("cannot build the keepalive")

    with pytest.raises(RuntimeError, match="cannot build the keepalive"):
        await join_room(session, channel, pool=people.pool, keepalive=UnbuildableKeepalive)
    assert not in_room(people, session, channel)
    assert session.realtime.streams == ()  # nothing half-built is left for the session
    room = await people.join(session, channel)  # joining again works
    assert in_room(people, session, channel)
    await room.leave()
    assert not in_room(people, session, channel)


class QuietKeepalive(Keepalive):
    """A keepalive of its own kind, to see that the option reached the room."""


def role_hook(room: Room, role: object) -> None:
    return None


def a_value_for_every_option(pool: RealtimePool) -> dict[str, Any]:
    """A valid value, other than the default, for each field of RoomOptions."""
    values: dict[str, Any] = {
        "max_queue": 7,
        "connect_timeout": 4.0,
        "drain_timeout": 1,
        "realtime_options": FAST,
        "pool": pool,
        "ping_interval": 12.5,
        "resync_interval": 33.0,
        "audio_timeout": 3.0,
        "transcribe_timeout": 9.0,
        "on_role_change": role_hook,
        "keepalive": QuietKeepalive,
        "start_at": timetoken_now(),
    }
    defaults = RoomOptions()
    assert set(values) == {field.name for field in attrs.fields(RoomOptions)}
    assert all(getattr(defaults, name) != value for name, value in values.items())
    return values


async def test_drain_timeout_reaches_the_room_through_the_session(people: People) -> None:
    """It used to fall through to ``join_channel`` and fail there with a TypeError."""
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    room = await session.join_room(channel, drain_timeout=1, pool=people.pool)
    people.rooms.append(room)
    assert room.options.drain_timeout == 1
    assert in_room(people, session, channel)


@pytest.mark.parametrize("spelling", ["session.join_room", "rooms.join_room"])
async def test_every_room_option_is_accepted_as_a_keyword(people: People, spelling: str) -> None:
    _moderator, channel = await people.room_with_moderator()
    values = a_value_for_every_option(people.pool)
    for name, value in values.items():
        session = await people.session(f"Option {name}")
        options: dict[str, Any] = {"pool": people.pool, name: value}
        if spelling == "session.join_room":
            room = await session.join_room(channel, **options)
        else:
            room = await join_room(session, channel, **options)
        try:
            assert getattr(room.options, name) == value, name
            assert in_room(people, session, channel)
            assert type(room._keepalive) is (QuietKeepalive if name == "keepalive" else Keepalive)
        finally:
            await room.leave()
    assert people.pool.connection_count == 0


async def test_an_options_object_and_keywords_together(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    chosen = RoomOptions(ping_interval=20.0, max_queue=50, pool=people.pool)
    room = await session.join_room(channel, chosen, max_queue=60)
    people.rooms.append(room)
    assert (room.options.ping_interval, room.options.max_queue) == (20.0, 60)
    assert room.options.pool is people.pool


async def test_an_unknown_option_or_a_wrong_options_object_is_refused_before_joining(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    joins: list[str] = []
    monkeypatch.setattr(session, "join_channel", lambda channel, **_: joins.append(channel))
    with pytest.raises(TypeError, match="ping_intervall"):
        await session.join_room(channel, ping_intervall=5)  # type: ignore[call-arg]
    with pytest.raises(InvalidArgumentError) as refused:
        await session.join_room(channel, {"ping_interval": 5})  # type: ignore[arg-type]
    assert refused.value.field == "options"
    assert joins == []


@pytest.mark.parametrize(
    ("options_class", "fields_class"),
    [(RoomOptions, RoomOptionFields), (StreamOptions, StreamOptionFields)],
)
def test_the_keywords_name_exactly_the_options(options_class: type, fields_class: type) -> None:
    """The keyword spelling only restates the classes' fields, name for name, type for type."""
    names = {"Room": Room}  # the role hook's forward reference
    resolved = attrs.resolve_types(options_class, localns=names)
    declared = {field.name: field.type for field in attrs.fields(resolved)}
    assert get_type_hints(fields_class, localns=names) == declared
    assert fields_class.__optional_keys__ == frozenset(declared)  # type: ignore[attr-defined]


def test_a_misspelt_or_mistyped_option_fails_the_type_check(tmp_path: Path) -> None:
    program = tmp_path / "program.py"
    program.write_text(
        "from aioclubhouse import ClubhouseSession\n"
        "from aioclubhouse.rooms import RealtimeOptions, join_room, user_events\n"
        "\n"
        "async def main(session: ClubhouseSession) -> None:\n"
        "    await session.join_room('abc', ping_interval=5, max_queue=100)\n"
        "    await session.join_room('abc', ping_intervall=5)\n"
        "    await join_room(session, 'abc', max_queue='many')\n"
        "    user_events(session, realtime_options=RealtimeOptions(), drain_timout=1)\n"
    )
    out, _err, status = mypy_api.run(
        [
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--python-executable",
            sys.executable,
            str(program),
        ]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1
    assert [line.split(":")[1] for line in errors] == ["6", "7", "8"], out
    assert '"ping_intervall"' in errors[0] and '"max_queue"' in errors[1]
    assert '"drain_timout"' in errors[2]


def test_options_are_frozen_and_checked_when_made() -> None:
    options = RoomOptions()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        options.max_queue = 5  # type: ignore[misc]
    with pytest.raises(InvalidArgumentError) as refused:
        StreamOptions(realtime_options=RealtimeOptions(), connect_timeout=-1)
    assert refused.value.field == "connect_timeout"
