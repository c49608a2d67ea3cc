"""Getting events to the program: a bounded queue, handlers and one-shot waiters.

The realtime link hands events over synchronously and must never wait for the
program, so every way of consuming them is decoupled from it:

* ``events()`` reads a bounded queue.  When the program falls behind by
  ``max_queue`` events, the oldest are dropped: ``dropped_events`` counts them and
  a warning is logged (the first time, then every 1000th).  The final ``Left``
  event is never dropped, and iteration ends after it.
* ``on(EventType, handler)`` handlers run in a task of their own, in order, one
  event at a time; a handler registered for a base class sees its subclasses.
  Handlers may be plain functions or coroutines.  An exception in a handler is
  logged and counted in ``handler_errors``; delivery goes on.  The handler backlog
  is bounded and dropped the same way as the queue.
* ``wait_for(EventType, check=..., timeout=...)`` resolves on the first matching
  event published after the call, however far behind the queue is.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar, overload

from ..errors import RoomClosedError
from ..redaction import get_logger
from .queues import DropOldestQueue
from .realtime_events import RoomEvent

__all__ = ["EventHub", "Handler"]

log = get_logger("aioclubhouse.rooms")

E = TypeVar("E", bound=RoomEvent)
Handler = Callable[[Any], Awaitable[None] | None]

_WARN_EVERY = 1000


class _Waiter:
    __slots__ = ("check", "event_type", "future")

    def __init__(
        self,
        event_type: type[RoomEvent],
        check: Callable[[Any], bool] | None,
        future: asyncio.Future[Any],
    ) -> None:
        self.event_type = event_type
        self.check = check
        self.future = future


class EventHub:
    """Fans events out to the queue, the handlers and the waiters of one room or stream.

    ``max_queue`` has been checked by the stream's options (a whole number >= 1).
    """

    def __init__(self, *, name: str, max_queue: int) -> None:
        self.name = name
        self.max_queue = max_queue
        self.handler_errors = 0
        self._queue: DropOldestQueue[RoomEvent] = DropOldestQueue(max_queue)
        self._backlog: DropOldestQueue[RoomEvent] = DropOldestQueue(max_queue)
        """Events waiting for the handlers (filled only while there are handlers)."""
        self._handlers: dict[type[RoomEvent], list[Handler]] = {}
        self._dispatcher: asyncio.Task[None] | None = None
        self._waiters: list[_Waiter] = []

    @property
    def closed(self) -> bool:
        return self._queue.closed

    @property
    def dropped_events(self) -> int:
        """Events dropped from the queue or the handler backlog, oldest first."""
        return self._queue.dropped + self._backlog.dropped

    # -- producing -------------------------------------------------------------------------
    def publish(self, events: Sequence[RoomEvent]) -> None:
        """Hand events over; never blocks, never raises."""
        if self.closed or not events:
            return
        # Wakes in the order of one event at a time: waiters matching the first event,
        # then the queue's reader and the handlers, then waiters matching later ones.
        if self._waiters:
            self._resolve_waiters(events[0])
        dropped = self._queue.put_many(events)
        if self._handlers:
            dropped += self._backlog.put_many(events)
        if self._waiters:
            for event in events[1:]:
                self._resolve_waiters(event)
        if dropped:
            self._warn_dropped(dropped)

    def close(self, final: RoomEvent | None = None) -> None:
        """Publish the last event (never dropped) and end the stream."""
        if self.closed:
            return
        if final is not None:
            self._resolve_waiters(final)
        self._queue.close(final)
        self._backlog.close(final if self._handlers else None)
        for waiter in self._waiters:
            if not waiter.future.done():
                waiter.future.set_exception(RoomClosedError(f"{self.name} was left"))
        self._waiters.clear()

    def _warn_dropped(self, just_now: int) -> None:
        """Warn at the first event dropped and at every _WARN_EVERY-th after it."""
        dropped = self.dropped_events
        before = dropped - just_now
        if before == 0 or dropped // _WARN_EVERY > before // _WARN_EVERY:
            log.warning(
                "%s: events are not consumed fast enough; %d dropped so far (oldest first)",
                self.name,
                dropped,
            )

    def _resolve_waiters(self, event: RoomEvent) -> None:
        if not self._waiters:
            return
        for waiter in self._waiters:
            if waiter.future.done() or not isinstance(event, waiter.event_type):
                continue
            try:
                matched = waiter.check is None or waiter.check(event)
            except Exception as exc:
                waiter.future.set_exception(exc)
                continue
            if matched:
                waiter.future.set_result(event)
        self._waiters = [w for w in self._waiters if not w.future.done()]

    # -- consuming -------------------------------------------------------------------------
    def events(self) -> AsyncIterator[RoomEvent]:
        """Every event in order, until the final one."""
        return aiter(self._queue)

    @overload
    def on(self, event_type: type[E], handler: None = None) -> Callable[[Handler], Handler]: ...

    @overload
    def on(self, event_type: type[E], handler: Handler) -> Handler: ...

    def on(
        self, event_type: type[E], handler: Handler | None = None
    ) -> Handler | Callable[[Handler], Handler]:
        """Call ``handler(event)`` for every event of ``event_type`` (or a subclass).

        Without ``handler`` it returns a decorator.
        """
        if handler is None:

            def register(function: Handler) -> Handler:
                self.on(event_type, function)
                return function

            return register
        self._handlers.setdefault(event_type, []).append(handler)
        if self._dispatcher is None and not self.closed:
            self._dispatcher = asyncio.get_running_loop().create_task(
                self._dispatch(), name=f"{self.name} handlers"
            )
        return handler

    def off(self, event_type: type[RoomEvent], handler: Handler) -> None:
        """Stop calling ``handler`` for ``event_type``."""
        handlers = self._handlers.get(event_type, [])
        if handler in handlers:
            handlers.remove(handler)

    async def wait_for(
        self,
        event_type: type[E],
        *,
        check: Callable[[E], bool] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the familiar wait_for signature
    ) -> E:
        """The next event of ``event_type`` for which ``check`` is true.

        Raises ``TimeoutError`` after ``timeout`` seconds and :class:`RoomClosedError`
        when the stream ends first.
        """
        if self.closed:
            raise RoomClosedError(f"{self.name} was left")
        future: asyncio.Future[E] = asyncio.get_running_loop().create_future()
        self._waiters.append(_Waiter(event_type, check, future))
        try:
            async with asyncio.timeout(timeout):
                return await future
        finally:
            if not future.done():
                future.cancel()
            self._waiters = [w for w in self._waiters if w.future is not future]

    # -- handlers --------------------------------------------------------------------------
    def _handlers_for(self, event: RoomEvent) -> list[Handler]:
        found: list[Handler] = []
        for cls in type(event).__mro__:
            for handler in self._handlers.get(cls, ()):
                if handler not in found:
                    found.append(handler)
        return found

    async def _dispatch(self) -> None:
        async for event in self._backlog:
            for handler in self._handlers_for(event):
                try:
                    result = handler(event)
                    if inspect.isawaitable(result):
                        await result
                except Exception:
                    self.handler_errors += 1
                    log.exception("%s: a handler for %s failed", self.name, type(event).__name__)

    async def drain(self, timeout: float) -> None:  # noqa: ASYNC109 - bounded by design
        """Let the handlers finish the backlog (at most ``timeout`` s), then stop them."""
        task = self._dispatcher
        if task is None or task is asyncio.current_task():
            return
        try:
            async with asyncio.timeout(timeout):
                await asyncio.shield(task)
        except TimeoutError:
            log.warning("%s: handlers still busy after %.1f s; cancelling them", self.name, timeout)
        except Exception:
            pass  # handler errors are counted where they happen
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        self._dispatcher = None
