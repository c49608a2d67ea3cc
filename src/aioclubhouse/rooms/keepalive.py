"""Staying in a room: ``active_ping`` on a fixed period, as every app does.

The service drops room members who stop pinging.  Its answer may say
``should_leave: true`` (the member is no longer in the room), and a room that is
gone answers "no longer available"; both end the keepalive and tell the room why.
Other failures (network, 5xx after the transport's own retries) are logged and the
next ping is tried on schedule.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from ..errors import ClubhouseError, InvalidArgumentError, RoomNotAvailableError
from ..models.rooms import ActivePingResult
from ..redaction import get_logger
from .realtime_events import LeaveReason

__all__ = ["DEFAULT_PING_INTERVAL", "Keepalive", "Sleep"]

log = get_logger("aioclubhouse.rooms")

DEFAULT_PING_INTERVAL = 30.0
"""Seconds between pings; the apps use 30 (Android: 45)."""


Sleep = Callable[[float], Awaitable[object]]


class Keepalive:
    """Pings every ``interval`` seconds until told to stop or asked to leave.

    ``precheck`` runs before each ping and may end the keepalive with a reason
    (e.g. the API session was closed under the room).  ``sleep`` waits between
    pings (``asyncio.sleep``; tests pass a clock of their own).  Rooms build theirs
    from ``RoomOptions.keepalive``, so a subclass can change how pings are paced.
    """

    def __init__(
        self,
        ping: Callable[[], Awaitable[ActivePingResult]],
        *,
        interval: float = DEFAULT_PING_INTERVAL,
        on_leave: Callable[[LeaveReason], object],
        precheck: Callable[[], LeaveReason | None] | None = None,
        name: str = "room",
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if isinstance(interval, bool) or not isinstance(interval, int | float) or not interval > 0:
            raise InvalidArgumentError("ping_interval", "must be a positive number of seconds")
        self._ping = ping
        self.interval = interval
        self._on_leave = on_leave
        self._precheck = precheck
        self._name = name
        self._sleep = sleep
        self.pings = 0
        self.failures = 0

    async def run(self) -> None:
        """Ping forever (the join itself counts as the first ping)."""
        while True:
            await self._sleep(self.interval)
            reason = await self.ping_once()
            if reason is not None:
                self._on_leave(reason)
                return

    async def ping_once(self) -> LeaveReason | None:
        """One ping; the reason to leave, or None to stay."""
        if self._precheck is not None:
            reason = self._precheck()
            if reason is not None:
                return reason
        try:
            answer = await self._ping()
        except RoomNotAvailableError:
            return LeaveReason.ENDED
        except ClubhouseError as exc:
            self.failures += 1
            log.warning("%s: active_ping failed (%s); will retry", self._name, type(exc).__name__)
            return None
        self.pings += 1
        return LeaveReason.SHOULD_LEAVE if answer.should_leave else None
