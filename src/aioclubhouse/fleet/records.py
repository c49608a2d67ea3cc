"""A room's record in the fleet's key-value bucket, and the watch assignment on the queue.

The record is written by the discoverer that found the room (``queued``), then only
by the worker holding the room's lease: ``covered`` while it listens (every
``heartbeat`` seconds, with the cursor and lag), ``released`` when it let the room go
for another worker to take, ``ended`` when the room ended (a discoverer never
publishes it again).
"""

from __future__ import annotations

import json
import time
from typing import Any, Final, Literal

import attrs

from ..bridge.jetstream import subject_token

__all__ = ["Assignment", "RoomRecord", "record_key"]

RoomState = Literal["queued", "covered", "released", "ended"]
STATES: Final = ("queued", "covered", "released", "ended")


def record_key(room: str) -> str:
    """The bucket key of a room (its name, which is always key-safe, or a safe copy)."""
    return subject_token(room)


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any, default: float = 0.0) -> float:
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else default
    return float(number)


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@attrs.define(kw_only=True)
class RoomRecord:
    """Who covers a room and how far its events have been delivered."""

    room: str
    state: RoomState = "queued"
    topic: str | None = None
    club: str | None = None
    worker: str | None = None
    account: int | None = None
    since: int | None = None
    """Timetoken from which the fleet has covered the room (the first join)."""
    cursor: int | None = None
    """Timetoken of the last message of the room in the events stream."""
    events: int = 0
    lag: float = 0.0
    """Seconds the last batch took from arriving to being acknowledged by JetStream."""
    updated_at: float = attrs.field(factory=time.time)

    def to_bytes(self) -> bytes:
        return json.dumps(attrs.asdict(self), separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes, room: str) -> RoomRecord:
        """A record read back; anything unreadable makes a fresh ``queued`` record."""
        try:
            raw = json.loads(data)
        except ValueError:
            raw = {}
        if not isinstance(raw, dict):
            raw = {}
        state = raw.get("state")
        return cls(
            room=room,
            state=state if state in STATES else "queued",
            topic=_text_or_none(raw.get("topic")),
            club=_text_or_none(raw.get("club")),
            worker=_text_or_none(raw.get("worker")),
            account=_int_or_none(raw.get("account")),
            since=_int_or_none(raw.get("since")),
            cursor=_int_or_none(raw.get("cursor")),
            events=_int_or_none(raw.get("events")) or 0,
            lag=_float(raw.get("lag")),
            updated_at=_float(raw.get("updated_at")),
        )


@attrs.frozen(kw_only=True)
class Assignment:
    """A watch assignment: which room, and what the discoverer knew of it."""

    room: str
    topic: str | None = None
    club: str | None = None

    def to_bytes(self) -> bytes:
        return json.dumps(attrs.asdict(self), separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Assignment | None:
        try:
            raw = json.loads(data)
        except ValueError:
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("room"), str) or not raw["room"]:
            return None
        return cls(
            room=raw["room"],
            topic=_text_or_none(raw.get("topic")),
            club=_text_or_none(raw.get("club")),
        )
