"""What one session owns on the realtime side: its pool, and the rooms and streams on it.

As aiohttp makes connector ownership explicit, so does this: each session owns one
:class:`SessionRealtime` (a companion of the session, see
:meth:`~aioclubhouse.lifecycle.ApiSession.companion`). It creates the session's
:class:`~aioclubhouse.rooms.realtime.RealtimePool` with the first room or user-event
stream and closes it when the session closes, after leaving the rooms still open and
ending the user-event streams (a room whose session is gone must not keep polling).
A pool passed as ``pool=`` is lent by its owner: rooms use it, and the session never
closes it. Nothing here is shared between sessions.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Self

from ..errors import SessionClosedError
from ..redaction import get_logger
from .realtime import RealtimePool
from .stream import EventStream

if TYPE_CHECKING:
    from ..lifecycle import ApiSession

__all__ = ["SessionRealtime"]

log = get_logger("aioclubhouse.rooms")


class SessionRealtime:
    """The realtime pool and the open rooms and user-event streams of one session."""

    @classmethod
    def of(cls, session: ApiSession) -> Self:
        """The realtime side ``session`` owns (made on first use, closed with it)."""
        return session.companion(cls)

    def __init__(self) -> None:
        self._pool: RealtimePool | None = None
        self._streams: dict[EventStream, None] = {}
        self.closed = False
        """Whether the session has closed its realtime side (nothing new starts)."""

    def check_open(self) -> None:
        """Raise :class:`~aioclubhouse.errors.SessionClosedError` once the session is closed."""
        if self.closed:
            raise SessionClosedError("the session is closed; create a new one")

    @property
    def pool(self) -> RealtimePool:
        """The session's own pool, made on first use; :class:`SessionClosedError` once
        the session is closed."""
        self.check_open()
        if self._pool is None:
            self._pool = RealtimePool()
        return self._pool

    @property
    def has_pool(self) -> bool:
        """Whether the session's own pool has been made (and not closed yet)."""
        return self._pool is not None

    @property
    def streams(self) -> tuple[EventStream, ...]:
        """The rooms and user-event streams open now, oldest first."""
        return tuple(self._streams)

    def adopt(self, stream: EventStream) -> None:
        """``stream`` is open: the session ends it when it closes."""
        self.check_open()
        self._streams[stream] = None

    def release(self, stream: EventStream) -> None:
        """``stream`` has ended by itself."""
        self._streams.pop(stream, None)

    async def close(self) -> None:
        """Leave the open rooms, end the streams, then close the session's pool (once)."""
        self.closed = True
        streams = list(self._streams)
        results = await asyncio.gather(
            *(stream._close_for_session() for stream in streams), return_exceptions=True
        )
        for stream, result in zip(streams, results, strict=True):
            if isinstance(result, Exception):
                log.warning("closing %r failed (%s)", stream, type(result).__name__)
        self._streams.clear()
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()
