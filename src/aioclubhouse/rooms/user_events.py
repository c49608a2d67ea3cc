"""Events addressed to you outside any room: invitations and their answers.

They arrive on the PubNub channel ``users.<your id>``.  Without a room there is no
room ``pubnub_token``, so which token reads that channel depends on who runs the
PubNub origin:

* When the PubNub origin is the API's own host (the emulator, or a self-hosted
  service that speaks both on one host), the session's API ``auth_token`` is used:
  it goes nowhere it has not already been.  A plain ``http://host:port`` API serves
  PubNub on the same host and port, so this is the default for the emulator.
* For any other origin (``clubhouse.pubnub.com`` by default for the real service) the
  API token is never sent: it is the account's main credential, and the origin is a
  third party.  Pass ``pubnub_token=`` (a PubNub token that may read
  ``users.<id>``) and, when needed, ``pubnub_origin=``; without a token
  :func:`user_events` raises :class:`~aioclubhouse.errors.InvalidArgumentError`
  before anything is sent.

A refused token ends the stream with ``Left(REALTIME_ERROR)``.

    async with user_events(session) as stream:
        async for event in stream:
            if isinstance(event, NewRoomInvite): ...
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from ..errors import InvalidArgumentError, RealtimeError
from ..redaction import get_logger
from .dispatch import EventHub, Handler
from .realtime import (
    ConnectionChange,
    ConnectionState,
    RealtimeAccess,
    RealtimeMessage,
    RealtimeOptions,
    RealtimePool,
    Subscription,
    realtime_origin,
    timetoken_now,
)
from .realtime_events import (
    Connected,
    LeaveReason,
    Left,
    Reconnected,
    Reconnecting,
    RoomEvent,
    parse_message,
)

if TYPE_CHECKING:
    from ..session import ClubhouseSession

__all__ = ["UserEvents", "user_events"]

log = get_logger("aioclubhouse.rooms")

E = TypeVar("E", bound=RoomEvent)


class UserEvents:
    """The live stream of ``users.<me>``; an async context manager and async iterable."""

    def __init__(
        self,
        session: ClubhouseSession,
        *,
        max_queue: int = 10_000,
        connect_timeout: float = 10.0,
        realtime_options: RealtimeOptions | None = None,
        pool: RealtimePool | None = None,
        pubnub_token: str | None = None,
        pubnub_origin: str | None = None,
    ) -> None:
        self.session = session
        self._pubnub_token = pubnub_token
        self._origin, self._ssl = realtime_origin(session.base_url, pubnub_origin)
        if not pubnub_token and not _same_host(self._origin, session.base_url):
            raise InvalidArgumentError(
                "pubnub_token",
                f"is needed to read your user channel at {self._origin}: the API "
                "auth_token is only sent to the API's own host, never to another origin",
            )
        self._max_queue = max_queue
        self._connect_timeout = connect_timeout
        self._realtime_options = realtime_options
        self._pool = pool
        self._hub: EventHub | None = None
        self._subscription: Subscription | None = None
        self._closing: asyncio.Future[None] | None = None
        self.left_reason: LeaveReason | None = None

    def access(self) -> RealtimeAccess:
        """Where and how the stream subscribes (see the module docs)."""
        credentials = self.session.credentials
        if credentials.user_id is None:
            raise InvalidArgumentError("session", "is not logged in (no user_id)")
        if self._pubnub_token:
            return RealtimeAccess(
                origin=self._origin,
                ssl=self._ssl,
                auth_token=self._pubnub_token,
                user_id=credentials.user_id,
            )
        if not credentials.auth_token:
            raise InvalidArgumentError("session", "is not logged in (no auth_token)")
        return RealtimeAccess(
            origin=self._origin,
            ssl=self._ssl,
            auth_token=credentials.auth_token,
            user_id=credentials.user_id,
            scrub_token=False,  # the session's own token: the session keeps it scrubbed
        )

    @property
    def started(self) -> bool:
        return self._hub is not None

    @property
    def dropped_events(self) -> int:
        return self._hub.dropped_events if self._hub is not None else 0

    @property
    def handler_errors(self) -> int:
        return self._hub.handler_errors if self._hub is not None else 0

    async def start(self) -> None:
        """Subscribe and wait (up to ``connect_timeout``) until the server accepted it."""
        if self._hub is not None:
            return
        access = self.access()
        self._hub = EventHub(name=f"user {access.user_id} events", max_queue=self._max_queue)
        pool = self._pool or RealtimePool.shared()
        self._subscription = pool.subscribe(
            access, [f"users.{access.user_id}"], self, options=self._realtime_options
        )
        try:
            async with asyncio.timeout(self._connect_timeout):
                await self._subscription.wait_connected()
        except TimeoutError:
            log.warning("user events: realtime not connected yet; it keeps trying")

    async def close(self) -> None:
        """Unsubscribe and end the stream (idempotent)."""
        await self._finish(LeaveReason.USER)

    async def _finish(self, reason: LeaveReason, error: str | None = None) -> None:
        if self.left_reason is None:
            self.left_reason = reason
        subscription, self._subscription = self._subscription, None
        if subscription is not None:
            await subscription.close()
        if self._closing is not None:
            await self._closing
        hub = self._hub
        if hub is not None and not hub.closed:
            hub.close(Left(reason=reason, error=error, timetoken=timetoken_now()))
        if hub is not None:
            await hub.drain(5.0)

    async def __aenter__(self) -> UserEvents:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __aiter__(self) -> AsyncIterator[RoomEvent]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[RoomEvent]:
        """Events until the stream ends; starts (and then closes) it when needed."""
        owned = not self.started
        if owned:
            await self.start()
        assert self._hub is not None
        try:
            async for event in self._hub.events():
                yield event
        finally:
            if owned:
                await self.close()

    def events(self) -> AsyncIterator[RoomEvent]:
        return self._iterate()

    def _started_hub(self) -> EventHub:
        if self._hub is None:
            raise RuntimeError("start the stream first ('async with user_events(session)')")
        return self._hub

    def on(self, event_type: type[E], handler: Handler | None = None) -> Any:
        """Like :meth:`Room.on`."""
        return self._started_hub().on(event_type, handler)

    def off(self, event_type: type[RoomEvent], handler: Handler) -> None:
        self._started_hub().off(event_type, handler)

    async def wait_for(
        self,
        event_type: type[E],
        *,
        check: Callable[[E], bool] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the familiar wait_for signature
    ) -> E:
        """Like :meth:`Room.wait_for`."""
        return await self._started_hub().wait_for(event_type, check=check, timeout=timeout)

    # -- realtime listener -----------------------------------------------------------------
    def realtime_messages(self, messages: Sequence[RealtimeMessage]) -> None:
        if self._hub is None:
            return
        self._hub.publish(
            parse_message(m.payload, pubnub_channel=m.channel, timetoken=m.timetoken)
            for m in messages
        )

    def realtime_status(self, change: ConnectionChange) -> None:
        if self._hub is None:
            return
        if change.state is ConnectionState.CONNECTED:
            self._hub.publish([Connected(timetoken=change.timetoken)])
        elif change.state is ConnectionState.RECONNECTING:
            self._hub.publish(
                [
                    Reconnecting(
                        attempt=change.attempt, error=change.error, timetoken=change.timetoken
                    )
                ]
            )
        else:
            self._hub.publish([Reconnected(timetoken=change.timetoken)])

    def realtime_failed(self, error: RealtimeError) -> None:
        if self._hub is not None and not self._hub.closed:
            self.left_reason = LeaveReason.REALTIME_ERROR
            self._hub.close(
                Left(reason=LeaveReason.REALTIME_ERROR, error=str(error), timetoken=timetoken_now())
            )
        subscription = self._subscription
        if subscription is not None:
            self._subscription = None
            self._closing = asyncio.ensure_future(subscription.close())


def user_events(
    session: ClubhouseSession,
    *,
    max_queue: int = 10_000,
    connect_timeout: float = 10.0,
    realtime_options: RealtimeOptions | None = None,
    pool: RealtimePool | None = None,
    pubnub_token: str | None = None,
    pubnub_origin: str | None = None,
) -> UserEvents:
    """Events sent to the session's user outside rooms (``users.<id>``).

    ``async with user_events(session) as stream: async for event in stream: ...`` or
    simply ``async for event in user_events(session)``.

    ``pubnub_origin`` (``host`` or ``host:port``) defaults to the one that goes with
    the API base URL.  The API ``auth_token`` is used only when that origin is the
    API's own host; anywhere else ``pubnub_token`` is required, and without it
    :class:`~aioclubhouse.errors.InvalidArgumentError` is raised here, before any
    network traffic.
    """
    return UserEvents(
        session,
        max_queue=max_queue,
        connect_timeout=connect_timeout,
        realtime_options=realtime_options,
        pool=pool,
        pubnub_token=pubnub_token,
        pubnub_origin=pubnub_origin,
    )


def _same_host(origin: str, base_url: str) -> bool:
    """Whether the PubNub ``origin`` is the host that already holds the API token."""
    origin_host = urlsplit(f"//{origin}").hostname
    api_host = urlsplit(base_url).hostname
    return origin_host is not None and origin_host == api_host
