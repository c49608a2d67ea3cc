"""PubNub timetokens: wall-clock time in 100 ns units, never repeating, never going back.

Clients resume a subscription with the last timetoken they saw, also after the
emulator restarted, so timetokens must keep increasing across restarts: they come
from the wall clock, and the last one issued is part of the saved state.
"""

from __future__ import annotations

import time


def wall_clock_timetoken() -> int:
    """The current time as a PubNub timetoken (100 ns units since the epoch)."""
    return time.time_ns() // 100


class TimetokenClock:
    """Issues strictly increasing timetokens, even if the wall clock stalls or steps back."""

    def __init__(self, last_issued: int = 0) -> None:
        self.last_issued = last_issued

    def next(self) -> int:
        """A timetoken greater than every one issued before (for a new message)."""
        issued = max(wall_clock_timetoken(), self.last_issued + 1)
        self.last_issued = issued
        return issued

    def current(self) -> int:
        """A timetoken no smaller than any issued so far (for a subscribe handshake).

        Every message stored later gets a greater timetoken, so a client starting
        from this cursor sees exactly the messages published after it.
        """
        current = max(wall_clock_timetoken(), self.last_issued)
        self.last_issued = current
        return current
