"""Discovery: one account watches the hallway and queues one watch assignment per live room.

Every ``interval`` seconds the discoverer reads ``get_channels`` and ``get_feed``,
keeps the rooms that pass its :class:`RoomFilter`, and for each room it has not
seen before:

1. skips it when the bucket already has its record (another discoverer queued it,
   or it ended: an ended room is never queued again);
2. publishes the assignment on ``clubhouse.fleet.watch.<room>`` with ``Nats-Msg-Id``
   the room, so the work stream keeps one even when discoverers race (within the
   stream's duplicate window, much longer than a poll);
3. creates the room's ``queued`` record (only if absent: the bucket decides races).

A discoverer that dies between 2 and 3 is harmless: the next poll of any discoverer
publishes again, and the work stream drops it as a duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from ..bridge.jetstream import MSG_ID_HEADER
from ..bridge.nats_link import nats_module
from ..errors import ClubhouseError
from ..models.rooms import ChannelInFeed
from ..redaction import get_logger
from .records import Assignment, RoomRecord, record_key
from .settings import FleetSettings

if TYPE_CHECKING:
    from nats.js.client import JetStreamContext
    from nats.js.kv import KeyValue

    from ..api import ClubhouseAPI

__all__ = ["Discoverer", "RoomFilter"]

log = get_logger("aioclubhouse.fleet")


@attrs.frozen(kw_only=True)
class RoomFilter:
    """Which rooms to cover: any of ``clubs`` (ids or names), a ``topic`` word, a size."""

    clubs: tuple[str, ...] = ()
    topic: str | None = None
    min_size: int = 0
    max_size: int | None = None

    def accepts(self, room: ChannelInFeed) -> bool:
        if self.clubs:
            club_id = str(room.club_id or (room.club.club_id if room.club else "") or "")
            names = {club_id, (room.club_name or "").casefold()}
            if room.club is not None:
                names.add((room.club.name or "").casefold())
            if not names & {club.casefold() for club in self.clubs}:
                return False
        if self.topic and self.topic.casefold() not in (room.topic or "").casefold():
            return False
        size = room.num_all or len(room.users)
        return size >= self.min_size and (self.max_size is None or size <= self.max_size)


class Discoverer:
    """Queues the live rooms ``session`` can see; see the module docs."""

    def __init__(
        self,
        session: ClubhouseAPI,
        js: JetStreamContext,
        bucket: KeyValue,
        settings: FleetSettings,
        *,
        room_filter: RoomFilter | None = None,
    ) -> None:
        self.session = session
        self.js = js
        self.bucket = bucket
        self.settings = settings
        self.filter = room_filter or RoomFilter()
        self.known: set[str] = set()
        self.queued = 0

    async def live_rooms(self) -> list[ChannelInFeed]:
        """The rooms of the hallway and the feed, each once, that pass the filter."""
        hallway = await self.session.get_channels()
        feed = await self.session.get_feed()
        rooms: dict[str, ChannelInFeed] = {}
        for room in _rooms_of(hallway.channels, (item.channel for item in feed.items)):
            if self.filter.accepts(room):
                rooms.setdefault(room.channel, room)
        return list(rooms.values())

    async def poll_once(self) -> list[str]:
        """One look at the hallway; the rooms queued by this call."""
        queued = []
        for room in await self.live_rooms():
            if room.channel in self.known:
                continue
            if await self._queue(room):
                queued.append(room.channel)
            self.known.add(room.channel)
        self.queued += len(queued)
        return queued

    async def run(self, stop: asyncio.Event, *, interval: float = 10.0) -> None:
        """Poll until ``stop`` is set; a failed poll is logged and the next one tried."""
        while not stop.is_set():
            try:
                queued = await self.poll_once()
            except ClubhouseError as exc:
                log.warning("discovery: the hallway could not be read (%s)", exc)
            else:
                if queued:
                    log.info("discovery: queued %d rooms: %s", len(queued), ", ".join(queued))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)

    async def _queue(self, room: ChannelInFeed) -> bool:
        errors = nats_module().js.errors
        key = record_key(room.channel)
        try:
            await self.bucket.get(key)
            return False  # queued by someone, covered, or ended
        except errors.KeyNotFoundError:
            pass
        club = room.club.name if room.club is not None else room.club_name
        assignment = Assignment(room=room.channel, topic=room.topic, club=club)
        ack = await self.js.publish(
            self.settings.work_subject(room.channel),
            assignment.to_bytes(),
            headers={MSG_ID_HEADER: room.channel},
        )
        record = RoomRecord(room=room.channel, state="queued", topic=room.topic, club=club)
        try:
            await self.bucket.create(key, record.to_bytes())
        except errors.KeyWrongLastSequenceError:
            return False
        return not ack.duplicate


def _rooms_of(
    hallway: Sequence[ChannelInFeed], feed: Iterable[ChannelInFeed | None]
) -> list[ChannelInFeed]:
    return [*hallway, *(room for room in feed if room is not None)]
