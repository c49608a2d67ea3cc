"""What a sink is: where the bridge hands events, and what each one promises.

The bridge (:func:`aioclubhouse.bridge.bridge`) turns every event into an
:class:`Outgoing` once (its record, its JSON text, where it is routed) and hands
sinks batches of them.  A sink's :meth:`Sink.send` returns when the sink has *taken*
the batch, which means a clean :meth:`Sink.close` will deliver it:

* the JSON lines file has written it (and flushed it, per its policy);
* JetStream has acknowledged every message of it;
* the webhook has it in its bounded window of batches being posted, and waits for
  room there before taking more.

A sink that cannot take a batch raises :class:`SinkError` naming itself and the
problem; the bridge then stops.  While ``send`` waits, the bridge reads nothing more
from the room: that is the backpressure, described in :mod:`.pump`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

import attrs

from ..errors import ClubhouseError
from ..rooms.realtime_events import RoomEvent
from .format import compact_json, record_at

__all__ = ["Outgoing", "Resumable", "Sink", "SinkError", "safe_url"]


class SinkError(ClubhouseError):
    """A sink could not start, take or deliver events; ``sink`` names it (no secrets)."""

    def __init__(self, sink: str, problem: str) -> None:
        super().__init__(f"{sink}: {problem}")
        self.sink = sink


def safe_url(url: str) -> str:
    """``url`` as it may be shown: without user, password or query (they may hold secrets)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


@attrs.frozen(kw_only=True)
class Outgoing:
    """One event on its way out: its record and JSON text, made once, and its routing.

    ``user_id`` is the account whose stream delivered the event; it routes events
    that name no room (``clubhouse.users.<user_id>...`` on JetStream).  ``received``
    is when the bridge read it (``time.time()``), for lag figures.
    """

    id: str
    type: str
    room: str | None
    pubnub_channel: str | None
    timetoken: int
    user_id: int | None = None
    record: Mapping[str, Any] = attrs.field(repr=False)
    line: bytes = attrs.field(repr=False)
    received: float = attrs.field(factory=time.time, repr=False)

    @classmethod
    def of(cls, event: RoomEvent, *, user_id: int | None = None) -> Outgoing:
        """The outgoing form of ``event``, received now."""
        now = time.time()
        record = record_at(event, now)
        return cls(
            id=record["id"],
            type=record["type"],
            room=event.channel,
            pubnub_channel=event.pubnub_channel,
            timetoken=event.timetoken,
            user_id=user_id,
            record=record,
            line=compact_json(record),
            received=now,
        )

    @classmethod
    def from_record(cls, record: Mapping[str, Any], *, user_id: int | None = None) -> Outgoing:
        """A record read back (a dead-letter or JSON lines file) ready to send again.

        Only the envelope is checked (the record goes out as it was read): raises
        :class:`ValueError` naming the field when it is not a record.
        """
        if not isinstance(record, Mapping):
            raise ValueError("not a JSON object")
        for name in ("id", "type"):
            if not isinstance(record.get(name), str) or not record[name]:
                raise ValueError(f"{name}: missing or not a text")
        timetoken = record.get("timetoken")
        if isinstance(timetoken, bool) or not isinstance(timetoken, int):
            raise ValueError("timetoken: missing or not a whole number")
        room, channel = record.get("room"), record.get("pubnub_channel")
        if room is not None and not isinstance(room, str):
            raise ValueError("room: not a text")
        if channel is not None and not isinstance(channel, str):
            raise ValueError("pubnub_channel: not a text")
        return cls(
            id=record["id"],
            type=record["type"],
            room=room,
            pubnub_channel=channel,
            timetoken=timetoken,
            user_id=user_id,
            record=record,
            line=compact_json(record),
        )


@runtime_checkable
class Sink(Protocol):
    """Where the bridge delivers events.  Use it with ``async with`` or open/close."""

    @property
    def name(self) -> str:
        """What it is, for messages: ``jsonl:PATH``, ``webhook:URL``... (never a secret)."""
        ...

    async def open(self) -> None:
        """Check the destination and connect; :class:`SinkError` names what is wrong."""
        ...

    async def send(self, batch: Sequence[Outgoing]) -> None:
        """Take ``batch`` (see the module docs); waits while the sink is full."""
        ...

    async def close(self) -> None:
        """Deliver everything taken, then let go of files and connections (idempotent)."""
        ...


class SinkContext:
    """``async with sink:`` for the sinks here: opens on entry, closes on exit."""

    open: Callable[[], Awaitable[None]]  # each sink's own
    close: Callable[[], Awaitable[None]]

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


@runtime_checkable
class Resumable(Protocol):
    """A sink that remembers what it delivered, so a restarted bridge resumes there."""

    def resume_point(self, room: str) -> int | None:
        """The timetoken of the last message of ``room`` delivered, if any."""
        ...
