"""Where a backend's output goes: bounded queues for frames and events, fed from any thread.

Agora calls back on its own native threads and must never wait for Python consumers,
so every callback copies its data and hands it to the event loop with
``call_soon_threadsafe``; there it lands in a :class:`DropOldestQueue` that discards the
oldest item when a slow consumer lets it fill up, and counts what it discarded.
:class:`BackendStreams` bundles the two queues with the connection state, so a
backend's ``connect`` can wait for the state its callbacks report.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from ...redaction import get_logger
from ..queues import DropOldestQueue
from .backend import AudioEvent, ConnectionState, PcmFrame, StateChanged

__all__ = ["BackendStreams", "DropOldestQueue"]

log = get_logger("aioclubhouse.rooms.audio")

T = TypeVar("T")

DEFAULT_FRAME_QUEUE = 1000
"""Frames kept for a slow consumer: 10 s of one speaker in 10 ms frames."""

DEFAULT_EVENT_QUEUE = 1000


class BackendStreams:
    """A backend's frame and event queues, its connection state, and the thread bridge.

    Methods named ``*_threadsafe`` may be called from any thread; the others only on
    the loop :meth:`bind` was given.
    """

    def __init__(
        self,
        *,
        frame_queue_size: int = DEFAULT_FRAME_QUEUE,
        event_queue_size: int = DEFAULT_EVENT_QUEUE,
    ) -> None:
        self.frames: DropOldestQueue[PcmFrame] = DropOldestQueue(frame_queue_size)
        self.events: DropOldestQueue[AudioEvent] = DropOldestQueue(event_queue_size)
        self.state = ConnectionState.DISCONNECTED
        self._last_state_change: StateChanged | None = None
        self._leaving = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._state_waiters: list[
            tuple[Callable[[ConnectionState], bool], asyncio.Future[StateChanged]]
        ] = []

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver callbacks to ``loop`` from now on."""
        self._loop = loop

    # -- on the loop ---------------------------------------------------------------------

    def emit(self, event: AudioEvent) -> None:
        """Queue an event; a state change also updates ``state`` and wakes waiters.

        Once the streams are closed, late callbacks are ignored.  While leaving, the
        SDK's DISCONNECTED report is the last event: it closes the streams at once,
        so nothing still in flight from SDK threads can land after it.
        """
        if self.events.closed:
            return
        if isinstance(event, StateChanged):
            if event == self._last_state_change:
                return  # SDKs report some transitions through two callbacks
            self._last_state_change = event
            self.state = event.state
            waiting = []
            for accepts, future in self._state_waiters:
                if future.done():
                    continue
                if accepts(event.state):
                    future.set_result(event)
                else:
                    waiting.append((accepts, future))
            self._state_waiters = waiting
        self.events.put(event)
        leaving_done = (
            isinstance(event, StateChanged) and event.state is ConnectionState.DISCONNECTED
        )
        if self._leaving and leaving_done:
            self.close()

    def emit_frame(self, frame: PcmFrame) -> None:
        self.frames.put(frame)

    def expect_state(
        self, accepts: Callable[[ConnectionState], bool]
    ) -> asyncio.Future[StateChanged]:
        """A future for the next state change ``accepts`` approves, registered right now.

        Registering before starting the operation means a callback that fires at once
        cannot slip past.  Cancel the future to stop waiting.
        """
        loop = self._loop or asyncio.get_running_loop()
        future: asyncio.Future[StateChanged] = loop.create_future()
        self._state_waiters.append((accepts, future))
        return future

    def begin_leaving(self) -> None:
        """The local user is leaving: the next DISCONNECTED ends both streams."""
        self._leaving = True

    def finish(self, reason: str = "leave_channel") -> None:
        """End both streams, reporting DISCONNECTED first unless that was the last state."""
        if not self.events.closed and self.state is not ConnectionState.DISCONNECTED:
            self.emit(StateChanged(state=ConnectionState.DISCONNECTED, reason=reason))
        self.close()

    def close(self) -> None:
        """End both streams (consumers drain what is queued)."""
        self.frames.close()
        self.events.close()

    # -- from native threads ----------------------------------------------------------------

    def emit_threadsafe(self, event: AudioEvent) -> None:
        self._call_threadsafe(self.emit, event)

    def emit_frame_threadsafe(self, frame: PcmFrame) -> None:
        self._call_threadsafe(self.frames.put, frame)

    def _call_threadsafe(self, function: Callable[[T], object], item: T) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(function, item)
        except RuntimeError:
            # The loop closed between the check and the call: the callback came late.
            log.debug("audio callback after the event loop closed; dropped")
