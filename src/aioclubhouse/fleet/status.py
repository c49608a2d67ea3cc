"""Fleet status: the rooms covered, by worker and account, and how far behind each one is.

Read from the bucket's records (state, holder, cursor, the lag of the last batch, the
time of the last heartbeat) and the work consumer (assignments waiting for a free
account, held, redelivered).  A covered room whose record has not been updated for a
few heartbeats belongs to a worker that stopped: its ``stale`` seconds grow until
JetStream hands the room to another worker.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import attrs

from ..bridge.nats_link import close_quietly, connect, nats_module
from .records import RoomRecord
from .settings import FleetSettings

__all__ = ["FleetStatus", "fleet_status"]


@attrs.frozen(kw_only=True)
class FleetStatus:
    """Every room's record, with the work consumer's counts."""

    rooms: list[RoomRecord]
    waiting: int
    """Assignments no account has taken yet."""
    held: int
    """Assignments held by a worker (acknowledged-pending)."""
    redelivered: int
    checked_at: float

    def covered(self) -> list[RoomRecord]:
        return [room for room in self.rooms if room.state == "covered"]

    def by_worker(self) -> dict[str, list[RoomRecord]]:
        found: dict[str, list[RoomRecord]] = {}
        for room in self.covered():
            found.setdefault(room.worker or "?", []).append(room)
        return found

    def stale(self, room: RoomRecord) -> float:
        """Seconds since the room's record was last updated."""
        return max(0.0, self.checked_at - room.updated_at)

    def table(self) -> str:
        """A plain-text table: one line per covered room, then the totals."""
        lines = [
            f"{'room':<12} {'worker':<24} {'account':>10} {'events':>8} "
            f"{'lag ms':>8} {'stale s':>8}"
        ]
        for worker, rooms in sorted(self.by_worker().items()):
            for room in sorted(rooms, key=lambda r: r.room):
                lines.append(
                    f"{room.room:<12} {worker:<24} {room.account or 0:>10} {room.events:>8} "
                    f"{room.lag * 1000:>8.1f} {self.stale(room):>8.1f}"
                )
        counts = {
            state: sum(r.state == state for r in self.rooms)
            for state in ("covered", "queued", "released", "ended")
        }
        lines.append(
            f"{counts['covered']} covered by {len(self.by_worker())} workers, "
            f"{self.waiting} waiting for an account, {counts['ended']} ended, "
            f"{self.redelivered} redelivered"
        )
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "rooms": [attrs.asdict(room) | {"stale": self.stale(room)} for room in self.rooms],
            "waiting": self.waiting,
            "held": self.held,
            "redelivered": self.redelivered,
        }


async def fleet_status(
    servers: str | Sequence[str], settings: FleetSettings | None = None
) -> FleetStatus:
    """Read the fleet's state from NATS (nothing is created or changed)."""
    settings = settings or FleetSettings()
    errors = nats_module().js.errors
    client = await connect(servers, name="aioclubhouse fleet status")
    try:
        js = client.jetstream(timeout=10)
        try:
            bucket = await js.key_value(settings.bucket)
            consumer = await js.consumer_info(settings.work_stream, settings.consumer)
        except errors.NotFoundError:
            return FleetStatus(rooms=[], waiting=0, held=0, redelivered=0, checked_at=time.time())
        try:
            keys = await bucket.keys()
        except errors.NoKeysError:
            keys = []
        rooms = []
        for key in keys:
            try:
                entry = await bucket.get(key)
            except errors.KeyNotFoundError:
                continue
            rooms.append(RoomRecord.from_bytes(entry.value or b"", key))
        return FleetStatus(
            rooms=rooms,
            waiting=consumer.num_pending or 0,
            held=consumer.num_ack_pending or 0,
            redelivered=consumer.num_redelivered or 0,
            checked_at=time.time(),
        )
    finally:
        await close_quietly(client)
