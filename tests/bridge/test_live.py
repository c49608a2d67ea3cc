"""A live room's events, as they come through the real ``pubnub`` client, as records.

Users act through real HTTP calls to the emulator; two accounts in the room write
every event they receive, from ``connected`` to ``left``, as JSON lines.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aioclubhouse.bridge import from_json, to_json
from aioclubhouse.rooms import Room, RoomEvent, SpeakerInvited

from ..rooms.helpers import People, until, until_polling
from .support import deep
from .test_schema import VALIDATOR


class Lines:
    """Every event of a room, and the JSON line written for it when it arrived."""

    def __init__(self, room: Room) -> None:
        self.events: list[RoomEvent] = []
        self.lines: list[str] = []
        self.task = asyncio.create_task(self._collect(room))

    async def _collect(self, room: Room) -> None:
        async for event in room.events():
            self.events.append(event)
            self.lines.append(to_json(event))

    def types(self) -> list[str]:
        return [json.loads(line)["type"] for line in self.lines]

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines]


async def test_a_live_room_written_as_json_lines(people: People) -> None:
    mod_session, channel = await people.room_with_moderator("records")
    listener_session = await people.session("Lee Listener")
    mod = await people.join(mod_session, channel)
    listener = await people.join(listener_session, channel)
    at_mod, at_listener = Lines(mod), Lines(listener)
    lee = listener.user_id

    visitor = await people.session("Vic Visitor")
    await visitor.join_channel(channel)
    await until(lambda: "join_channel" in at_listener.types(), what="join_channel")
    await visitor.leave_channel(channel)
    await listener.raise_hand()
    await until(lambda: "raise_hands" in at_mod.types(), what="raise_hands")
    await mod.invite_speaker(lee)
    await until(lambda: "invite_speaker" in at_listener.types(), what="invite_speaker")
    invited = next(e for e in at_listener.events if isinstance(e, SpeakerInvited))
    await listener.accept_speaker_invite(invited.from_user_id)
    await until(lambda: "add_speaker" in at_mod.types(), what="add_speaker")
    await mod.set_handraise(False)
    await until(lambda: "change_handraise_settings" in at_listener.types(), what="settings")
    await until_polling(people.emu, listener)
    await mod.end()
    await asyncio.wait_for(asyncio.gather(at_mod.task, at_listener.task), timeout=30)

    for seen in (at_mod, at_listener):
        types = seen.types()
        assert types[0] == "connected" and types[-1] == "left"
        ids = [record["id"] for record in seen.records()]
        assert len(set(ids)) == len(ids), "two events of one room share an id"
        for event, line in zip(seen.events, seen.lines, strict=True):
            VALIDATOR.validate(json.loads(line))
            back = from_json(line)
            assert back == event and deep(back) == deep(event)
            for session in (mod_session, listener_session):
                token = session.credentials.auth_token
                assert token and token not in line
    assert {"leave_channel", "add_speaker", "end_channel"} <= set(at_listener.types())
    assert {"accept_speaker_invite", "add_speaker"} <= set(at_mod.types())

    # One message seen by two accounts is one event: the same id and the same record.
    def by_id(seen: Lines) -> dict[str, dict[str, Any]]:
        return {
            record["id"]: {**record, "received_at": None}
            for record in seen.records()
            if record["pubnub_channel"] == f"channel_all.{channel}"
        }

    mod_records, listener_records = by_id(at_mod), by_id(at_listener)
    shared = mod_records.keys() & listener_records.keys()
    assert {mod_records[i]["type"] for i in shared} >= {
        "join_channel",
        "leave_channel",
        "add_speaker",
    }
    for record_id in shared:
        assert mod_records[record_id] == listener_records[record_id]
