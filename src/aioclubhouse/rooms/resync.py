"""Re-reading a room with ``get_channel``: on a period, after reconnects, and on demand.

Events keep a room's state current, but a message can be missed where no
reconnect could recover it (the service never sent it, or it was older than the
cursor).  So the room is re-read every ``interval`` seconds and after every
reconnect.  The snapshot is applied with the state's journal (see
:mod:`aioclubhouse.rooms.state`), so events that arrived while it was being
fetched are not undone.  The answer may also say the room is gone (ended) or that
you are no longer in it (``should_leave``): both end the room.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from ..errors import ClubhouseError, RoomNotAvailableError
from ..models.rooms import Channel
from ..redaction import get_logger
from .realtime_events import LeaveReason
from .state import RoomState

__all__ = ["Resync"]

log = get_logger("aioclubhouse.rooms")


class Resync:
    """Keeps ``state`` in line with the service's view of the room.

    ``read`` fetches the room (``get_channel``); ``on_leave`` is told when the answer
    means the room is over for you; ``on_reset`` runs after a snapshot was applied;
    ``precheck`` may end the loop first (e.g. the session was closed under the room);
    ``is_left`` stops re-reads once the room is being left.
    """

    def __init__(
        self,
        state: RoomState,
        read: Callable[[], Awaitable[Channel]],
        *,
        interval: float,
        on_leave: Callable[[LeaveReason], object],
        on_reset: Callable[[], None],
        precheck: Callable[[], LeaveReason | None],
        is_left: Callable[[], bool],
        name: str,
    ) -> None:
        self.state = state
        self._read = read
        self.interval = interval
        self._on_leave = on_leave
        self._on_reset = on_reset
        self._precheck = precheck
        self._is_left = is_left
        self._name = name
        self._wanted = asyncio.Event()
        self._lock = asyncio.Lock()

    def soon(self) -> None:
        """Re-read at once (e.g. after the realtime link reconnected)."""
        self._wanted.set()

    async def run(self) -> None:
        """Re-read every ``interval`` seconds, or sooner when asked, until told to stop."""
        while True:
            try:
                async with asyncio.timeout(self.interval):
                    await self._wanted.wait()
            except TimeoutError:
                pass
            self._wanted.clear()
            reason = self._precheck()
            if reason is not None:
                self._on_leave(reason)
                return
            await self.now()

    async def now(self) -> None:
        """Re-read the room now."""
        async with self._lock:
            if self._is_left():
                return
            self.state.start_journal()
            try:
                channel = await self._read()
            except RoomNotAvailableError:
                self.state.drop_journal()
                self._on_leave(LeaveReason.ENDED)
                return
            except ClubhouseError as exc:
                self.state.drop_journal()
                log.warning("%s: get_channel failed (%s)", self._name, type(exc).__name__)
                return
            if channel.should_leave:
                self.state.drop_journal()
                self._on_leave(LeaveReason.SHOULD_LEAVE)
                return
            self.state.reset(channel)
            self._on_reset()
