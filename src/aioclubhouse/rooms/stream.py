"""What a room and the user-event stream share: typed events out, link status in.

Both read PubNub channels through a realtime subscription and hand what arrives to
the program through an :class:`~aioclubhouse.rooms.dispatch.EventHub` (``events()``
/ ``async for``, ``on()`` / ``off()``, ``wait_for()``).  Both turn the link's
connection changes into :class:`Connected`, :class:`Reconnecting` and
:class:`Reconnected` events, end with :class:`Left`, and belong to a session that
leaves or closes them when it closes (:mod:`aioclubhouse.rooms.ownership`).
"""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TypeVar, overload

from .dispatch import EventHub
from .options import StreamOptions
from .realtime import ConnectionChange, ConnectionState, RealtimeMessage
from .realtime_events import (
    Connected,
    LeaveReason,
    Reconnected,
    Reconnecting,
    RoomEvent,
    parse_message,
)

__all__ = ["EventHandler", "EventStream", "lifecycle_event"]

E = TypeVar("E", bound=RoomEvent)
R = TypeVar("R", bound=Awaitable[None] | None)

EventHandler = Callable[[E], Awaitable[None] | None]
"""A handler of events of type ``E``: a plain function or a coroutine function.

Generic, so the type checker holds ``room.on(UserJoined, handler)`` to a handler that
accepts a ``UserJoined`` (or one of its bases), never one that expects another event."""


def lifecycle_event(change: ConnectionChange, *, channel: str | None = None) -> RoomEvent:
    """The event announcing a change of the realtime link."""
    if change.state is ConnectionState.CONNECTED:
        return Connected(channel=channel, timetoken=change.timetoken)
    if change.state is ConnectionState.RECONNECTING:
        return Reconnecting(
            channel=channel, timetoken=change.timetoken, attempt=change.attempt, error=change.error
        )
    return Reconnected(channel=channel, timetoken=change.timetoken)


class EventStream(abc.ABC):
    """Base of :class:`~aioclubhouse.rooms.Room` and :class:`~aioclubhouse.rooms.UserEvents`.

    ``channel`` is the room the lifecycle events name (None for user events).
    """

    def __init__(self, *, name: str, channel: str | None, options: StreamOptions) -> None:
        self.left_reason: LeaveReason | None = None
        """Why the stream ended; None while it runs."""
        self._hub = EventHub(name=name, max_queue=options.max_queue)
        self._lifecycle_channel = channel
        self._drain_timeout = options.drain_timeout

    # -- consuming -------------------------------------------------------------------------
    def events(self) -> AsyncIterator[RoomEvent]:
        """Every event in order, ending after the final ``Left``."""
        return self._hub.events()

    def __aiter__(self) -> AsyncIterator[RoomEvent]:
        return self.events()

    @overload
    def on(
        self, event_type: type[E], handler: None = None
    ) -> Callable[[Callable[[E], R]], Callable[[E], R]]: ...

    @overload
    def on(self, event_type: type[E], handler: EventHandler[E]) -> EventHandler[E]: ...

    def on(
        self, event_type: type[E], handler: EventHandler[E] | None = None
    ) -> EventHandler[E] | Callable[[Callable[[E], R]], Callable[[E], R]]:
        """Call ``handler`` for each event of ``event_type`` or a subclass; without a
        handler, a decorator.  Handlers may be coroutines; their errors are logged.

        The handler must accept ``event_type``: ``on(UserJoined, f)`` with an ``f`` that
        takes a ``HandRaised`` is a type error."""
        if handler is None:

            def register(function: Callable[[E], R]) -> Callable[[E], R]:
                self._hub.on(event_type, function)
                return function

            return register
        self._hub.on(event_type, handler)
        return handler

    def off(self, event_type: type[E], handler: EventHandler[E]) -> None:
        """Stop calling ``handler`` for ``event_type`` (as registered with :meth:`on`)."""
        self._hub.off(event_type, handler)

    async def wait_for(
        self,
        event_type: type[E],
        *,
        check: Callable[[E], bool] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the familiar wait_for signature
    ) -> E:
        """The next event of ``event_type`` matching ``check``; ``TimeoutError`` after
        ``timeout`` s, :class:`~aioclubhouse.errors.RoomClosedError` if the stream ends
        first."""
        return await self._hub.wait_for(event_type, check=check, timeout=timeout)

    @property
    def dropped_events(self) -> int:
        """Events dropped because the program did not keep up (see ``events()``)."""
        return self._hub.dropped_events

    @property
    def handler_errors(self) -> int:
        """Exceptions raised by ``on()`` handlers (logged, then delivery went on)."""
        return self._hub.handler_errors

    # -- from the realtime link (called synchronously; must not raise) --------------------
    def realtime_status(self, change: ConnectionChange) -> None:
        """From the realtime link: a connection change, delivered as a lifecycle event."""
        if self.left_reason is not None:
            return
        self._hub.publish([lifecycle_event(change, channel=self._lifecycle_channel)])

    @staticmethod
    def _parse(messages: Sequence[RealtimeMessage]) -> list[RoomEvent]:
        return [
            parse_message(m.payload, pubnub_channel=m.channel, timetoken=m.timetoken)
            for m in messages
        ]

    # -- the owning session ----------------------------------------------------------------
    @abc.abstractmethod
    async def _close_for_session(self) -> None:
        """End the stream because its session is closing (the session is still usable)."""
