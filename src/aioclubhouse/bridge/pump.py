"""``bridge(room, sink)``: every event of a room (or of your user events) into a sink.

    async with JsonLinesSink("events.jsonl") as sink, await session.join_room(ch) as room:
        stats = await bridge(room, sink)     # returns once the room is left

Two tasks per bridge: a reader that takes events from ``room.events()`` into a
bounded buffer, and a sender that hands the sink batches of what is waiting (all of
it, up to ``batch_size``), so a quiet room sends each event at once and a busy one
sends large batches.

**Backpressure.**  When the sink is slower than the room, the sender waits in
``sink.send`` and the buffer fills.  At ``max_buffer`` events the reader waits too and
stops reading ``room.events()``; the room's own queue (``RoomOptions.max_queue``,
10,000 by default) then holds what keeps arriving.  When that is full as well, the
room drops the *oldest* events and counts them in ``room.dropped_events``: the
realtime link is never slowed down by a sink.  The bridge reports that count
(:attr:`BridgeStats.dropped`) and logs a warning when it grows.  Memory stays bounded
by ``max_buffer`` plus ``max_queue`` events.

**Stopping.**  A bridge ends when its source does: leaving the room (or closing the
user-event stream) ends it cleanly once every event read has been taken by the sink.
Cancelling the bridge's task also hands the sink what was already read (for up to
``drain_timeout`` seconds) before the cancellation goes on.  The sink belongs to the
caller, who opens and closes it (one sink may serve many bridges at once).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterable, Awaitable, Callable, Sequence
from typing import Any

import attrs

from ..errors import InvalidArgumentError
from ..redaction import get_logger
from ..rooms.realtime_events import RoomEvent
from .sink import Outgoing, Sink

__all__ = ["BridgeStats", "bridge"]

log = get_logger("aioclubhouse.bridge")

DEFAULT_BATCH_SIZE = 100
DEFAULT_MAX_BUFFER = 1000
DEFAULT_DRAIN_TIMEOUT = 10.0

Sent = Callable[[Sequence[Outgoing]], Awaitable[None] | None]


@attrs.define(kw_only=True)
class BridgeStats:
    """What one bridge did; ``dropped`` is the source's own count of events it dropped."""

    read: int = 0
    sent: int = 0
    batches: int = 0
    dropped: int = 0


async def bridge(
    source: AsyncIterable[RoomEvent] | Any,
    sink: Sink,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_buffer: int = DEFAULT_MAX_BUFFER,
    drain_timeout: float = DEFAULT_DRAIN_TIMEOUT,
    user_id: int | None = None,
    on_sent: Sent | None = None,
) -> BridgeStats:
    """Hand every event of ``source`` to ``sink`` until the source ends; return the counts.

    ``source`` is a :class:`~aioclubhouse.rooms.Room`, a
    :class:`~aioclubhouse.rooms.UserEvents` or any async iterable of events.
    ``user_id`` (default: the source's account) routes events that name no room.
    ``on_sent`` is called (and awaited, if it is a coroutine function) with each
    batch once the sink has taken it.  A :class:`~aioclubhouse.bridge.SinkError`
    from the sink ends the bridge and is raised.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InvalidArgumentError("batch_size", "must be a whole number of at least 1")
    if isinstance(max_buffer, bool) or not isinstance(max_buffer, int) or max_buffer < batch_size:
        raise InvalidArgumentError("max_buffer", "must be a whole number of at least batch_size")
    events = _events_of(source)
    owner = user_id if user_id is not None else _user_of(source)
    stats = BridgeStats()
    buffer: asyncio.Queue[Outgoing | None] = asyncio.Queue(max_buffer)

    async def read() -> None:
        try:
            async for event in events:
                await buffer.put(Outgoing.of(event, user_id=owner))
                stats.read += 1
                _note_drops(source, stats)
        finally:
            await buffer.put(None)

    async def send(batch: list[Outgoing]) -> None:
        await sink.send(batch)
        stats.sent += len(batch)
        stats.batches += 1
        if on_sent is not None:
            outcome = on_sent(batch)
            if outcome is not None:
                await outcome

    reader = asyncio.create_task(read(), name=f"bridge reader to {sink.name}")
    batch: list[Outgoing] = []
    try:
        finished = False
        while not finished:
            item = await buffer.get()
            batch = []
            while item is not None:
                batch.append(item)
                if len(batch) >= batch_size or buffer.empty():
                    break
                item = buffer.get_nowait()
            finished = item is None
            if batch:
                await send(batch)
                batch = []
        await reader
    except asyncio.CancelledError:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
        await _drain(batch, buffer, send, drain_timeout, sink.name)
        raise
    finally:
        if not reader.done():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader
        _note_drops(source, stats)
    return stats


async def _drain(
    batch: list[Outgoing],
    buffer: asyncio.Queue[Outgoing | None],
    send: Callable[[list[Outgoing]], Awaitable[None]],
    limit: float,
    name: str,
) -> None:
    """On cancellation: hand over what was read (the batch being sent may go twice;
    every sink's ids make that a duplicate the receiver recognises)."""
    rest = list(batch)
    while not buffer.empty():
        item = buffer.get_nowait()
        if item is not None:
            rest.append(item)
    if not rest:
        return
    try:
        async with asyncio.timeout(limit):
            await asyncio.shield(send(rest))
    except (TimeoutError, Exception) as exc:
        log.warning("bridge to %s: %d events not delivered at stop (%s)", name, len(rest), exc)


def _events_of(source: Any) -> AsyncIterable[RoomEvent]:
    events = getattr(source, "events", None)
    if callable(events):
        stream: AsyncIterable[RoomEvent] = events()
        return stream
    if isinstance(source, AsyncIterable):
        return source
    raise InvalidArgumentError("source", "must be a room, a user-event stream or events")


def _user_of(source: Any) -> int | None:
    user_id = getattr(source, "user_id", None)
    if user_id is None:
        session = getattr(source, "session", None)
        user_id = getattr(session, "user_id", None)
    return user_id if isinstance(user_id, int) else None


def _note_drops(source: Any, stats: BridgeStats) -> None:
    dropped = getattr(source, "dropped_events", 0)
    if isinstance(dropped, int) and dropped > stats.dropped:
        log.warning(
            "bridge: the source dropped %d events it could not hold (the sink is slower "
            "than the room)",
            dropped - stats.dropped,
        )
        stats.dropped = dropped
