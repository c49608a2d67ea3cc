"""Who was in which room when: every entry and exit, in order, for tests to check.

The world records each change of a room's membership (a join, a leave, a drop for
silence, the room ending) with the world's clock.  A test asks, for instance,
whether two of its accounts were ever in one room at the same time.  The journal
keeps the last `MAX_CHANGES` changes and is not part of the saved state.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection
from typing import Final

import attrs

MAX_CHANGES: Final = 200_000


@attrs.frozen(kw_only=True)
class MembershipChange:
    """``user_id`` entered (``joined``) or left room ``channel`` at ``at`` (Unix time)."""

    at: float
    channel: str
    user_id: int
    joined: bool

    def to_json(self) -> dict[str, object]:
        return {
            "at": self.at,
            "channel": self.channel,
            "user_id": self.user_id,
            "joined": self.joined,
        }


class MembershipJournal:
    """The recent membership changes of every room, oldest first."""

    def __init__(self) -> None:
        self._changes: deque[MembershipChange] = deque(maxlen=MAX_CHANGES)

    def record(self, at: float, channel: str, user_id: int, *, joined: bool) -> None:
        self._changes.append(
            MembershipChange(at=at, channel=channel, user_id=user_id, joined=joined)
        )

    def changes(self, user_ids: Collection[int] | None = None) -> list[MembershipChange]:
        """Every change kept, or only those of ``user_ids``."""
        if user_ids is None:
            return list(self._changes)
        wanted = set(user_ids)
        return [change for change in self._changes if change.user_id in wanted]
