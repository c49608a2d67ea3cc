"""Who is on which PubNub channel, and the join/leave/timeout events that changes produce.

As on PubNub, a client stays present on a channel for `timeout` seconds (the
`heartbeat=` value it sends, PubNub's default otherwise) after its last sign of
life: a heartbeat, a subscribe arriving, or a subscribe answered.  A long-poll that
stays parked does not count while it waits: PubNub registers a subscribe as a
heartbeat when it answers it, and a long-poll may wait far longer than the timeout,
which is why clients send heartbeats (docs/protocol.md C.5).  An explicit leave
removes the client at once.  Every change is reported through
`announce(channel, event)`; the hub turns that into a message on
``<channel>-pnpres``.

Open polls are counted apart (`is_polling`): they are what tests wait for, not what
keeps a client present.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import attrs

DEFAULT_PRESENCE_TIMEOUT = 300.0
"""Seconds a silent client stays present when it did not send `heartbeat=` (PubNub's default)."""

PresenceAnnouncer = Callable[[str, dict[str, Any]], None]


@attrs.define(kw_only=True)
class Occupant:
    """One uuid on one channel."""

    timeout: float
    expires_at: float
    """Wall-clock time after which a silent occupant times out."""

    def refresh(self, now: float, timeout: float) -> None:
        self.timeout = timeout
        self.expires_at = max(self.expires_at, now + timeout)


class PresenceTracker:
    """Occupants per channel; reports every join, leave and timeout."""

    def __init__(self, announce: PresenceAnnouncer) -> None:
        self._announce = announce
        self._channels: dict[str, dict[str, Occupant]] = {}
        self._open_polls: Counter[tuple[str, str]] = Counter()
        """Long-polls open now, per (channel, uuid)."""

    def occupants(self, channel: str) -> list[str]:
        """The uuids present on `channel`, in the order they arrived."""
        return list(self._channels.get(channel, {}))

    def is_present(self, channel: str, uuid: str) -> bool:
        return uuid in self._channels.get(channel, {})

    def is_polling(self, channel: str, uuid: str) -> bool:
        """Whether `uuid` has a long-poll open on `channel` right now."""
        return self._open_polls[(channel, uuid)] > 0

    def poll_started(self, channels: Iterable[str], uuid: str, timeout: float, now: float) -> None:
        """A long-poll arrived: a sign of life (joining if new); it is open until finished."""
        for channel in channels:
            self._touch(channel, uuid, timeout, now)
            self._open_polls[(channel, uuid)] += 1

    def poll_finished(
        self, channels: Iterable[str], uuid: str, timeout: float, now: float, *, answered: bool
    ) -> None:
        """A long-poll ended; answered, it is a sign of life again (PubNub counts the
        answer), while one the client gave up on is not."""
        for channel in channels:
            key = (channel, uuid)
            self._open_polls[key] -= 1
            if self._open_polls[key] <= 0:
                del self._open_polls[key]
            if answered:
                self._touch(channel, uuid, timeout, now)

    def heartbeat(self, channels: Iterable[str], uuid: str, timeout: float, now: float) -> None:
        """A heartbeat (or a handshake) keeps the uuid present, joining if new."""
        for channel in channels:
            self._touch(channel, uuid, timeout, now)

    def leave(self, channels: Iterable[str], uuid: str, now: float) -> None:
        """The uuid left explicitly."""
        for channel in channels:
            if self._remove(channel, uuid):
                self._report(channel, "leave", uuid, now)

    def sweep(self, now: float) -> None:
        """Time out every occupant that went silent for longer than its timeout."""
        for channel, occupants in list(self._channels.items()):
            expired = [uuid for uuid, occupant in occupants.items() if occupant.expires_at <= now]
            for uuid in expired:
                self._remove(channel, uuid)
                self._report(channel, "timeout", uuid, now)

    def to_state(self) -> dict[str, Any]:
        """JSON-ready occupants (open polls are not kept: a restart ends them)."""
        return {
            channel: {
                uuid: {"timeout": occupant.timeout, "expires_at": occupant.expires_at}
                for uuid, occupant in occupants.items()
            }
            for channel, occupants in self._channels.items()
        }

    def load_state(self, state: dict[str, Any]) -> None:
        """Restore occupants saved by `to_state` (without announcing them again)."""
        self._channels = {
            channel: {
                uuid: Occupant(
                    timeout=float(saved["timeout"]), expires_at=float(saved["expires_at"])
                )
                for uuid, saved in occupants.items()
            }
            for channel, occupants in state.items()
        }

    def _touch(self, channel: str, uuid: str, timeout: float, now: float) -> Occupant:
        occupants = self._channels.setdefault(channel, {})
        occupant = occupants.get(uuid)
        if occupant is None:
            occupant = Occupant(timeout=timeout, expires_at=now + timeout)
            occupants[uuid] = occupant
            self._report(channel, "join", uuid, now)
        else:
            occupant.refresh(now, timeout)
        return occupant

    def _remove(self, channel: str, uuid: str) -> bool:
        occupants = self._channels.get(channel)
        if occupants is None or uuid not in occupants:
            return False
        del occupants[uuid]
        if not occupants:
            del self._channels[channel]
        return True

    def _report(self, channel: str, action: str, uuid: str, now: float) -> None:
        self._announce(
            channel,
            {
                "action": action,
                "uuid": uuid,
                "occupancy": len(self._channels.get(channel, {})),
                "timestamp": int(now),
            },
        )
