"""Who is on which PubNub channel, and the join/leave/timeout events that changes produce.

A client is present on a channel while it has a subscribe long-poll open there, and
for `timeout` seconds after its last poll or heartbeat (the `heartbeat=` value the
client sends, PubNub's default otherwise).  An explicit leave removes it at once.
Every change is reported through `announce(channel, event)`; the hub turns that into
a message on ``<channel>-pnpres``.
"""

from __future__ import annotations

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
    open_polls: int = 0
    """Long-polls held for this uuid on this channel; while any is open it never expires."""

    def refresh(self, now: float, timeout: float) -> None:
        self.timeout = timeout
        self.expires_at = max(self.expires_at, now + timeout)


class PresenceTracker:
    """Occupants per channel; reports every join, leave and timeout."""

    def __init__(self, announce: PresenceAnnouncer) -> None:
        self._announce = announce
        self._channels: dict[str, dict[str, Occupant]] = {}

    def occupants(self, channel: str) -> list[str]:
        """The uuids present on `channel`, in the order they arrived."""
        return list(self._channels.get(channel, {}))

    def is_polling(self, channel: str, uuid: str) -> bool:
        """Whether `uuid` has a long-poll open on `channel` right now."""
        occupant = self._channels.get(channel, {}).get(uuid)
        return occupant is not None and occupant.open_polls > 0

    def poll_started(self, channels: Iterable[str], uuid: str, timeout: float, now: float) -> None:
        """A long-poll opened: the uuid is present (joining if new) until it is closed."""
        for channel in channels:
            self._touch(channel, uuid, timeout, now).open_polls += 1

    def poll_finished(self, channels: Iterable[str], uuid: str, now: float) -> None:
        """A long-poll ended: the uuid stays present for its timeout unless it polls again."""
        for channel in channels:
            occupant = self._channels.get(channel, {}).get(uuid)
            if occupant is not None:
                occupant.open_polls = max(occupant.open_polls - 1, 0)
                occupant.refresh(now, occupant.timeout)

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
            expired = [
                uuid
                for uuid, occupant in occupants.items()
                if occupant.open_polls == 0 and occupant.expires_at <= now
            ]
            for uuid in expired:
                self._remove(channel, uuid)
                self._report(channel, "timeout", uuid, now)

    def to_state(self, now: float) -> dict[str, Any]:
        """JSON-ready occupants; open polls count as activity at `now`."""
        state: dict[str, Any] = {}
        for channel, occupants in self._channels.items():
            state[channel] = {
                uuid: {
                    "timeout": occupant.timeout,
                    "expires_at": (
                        max(occupant.expires_at, now + occupant.timeout)
                        if occupant.open_polls
                        else occupant.expires_at
                    ),
                }
                for uuid, occupant in occupants.items()
            }
        return state

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
