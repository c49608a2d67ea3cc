"""Events addressed to you outside any room: invitations and their answers.

They arrive on the PubNub channel ``users.<your id>``.  Without a room there is no
room ``pubnub_token``, so which token reads that channel depends on who runs the
PubNub origin:

* When the PubNub origin is the API's own origin (the same scheme, host and port:
  the emulator, or a self-hosted service that speaks both on one server), the
  session's API ``auth_token`` is used: it goes nowhere it has not already been.  A
  plain ``http://host:port`` API serves PubNub on the same host and port, so this is
  the default for the emulator.  Another port of the same host is another server,
  and does not get the token.
* For any other origin (``clubhouse.pubnub.com`` by default for the real service) the
  API token is never sent: it is the account's main credential, and the origin is a
  third party.  Pass ``pubnub_token=`` (a PubNub token that may read
  ``users.<id>``) and, when needed, ``pubnub_origin=``; without a token
  :func:`user_events` raises :class:`~aioclubhouse.errors.InvalidArgumentError`
  before anything is sent.

A refused token ends the stream with ``Left(REALTIME_ERROR)``.

    async with session.user_events() as stream:      # or user_events(session)
        async for event in stream:
            if isinstance(event, NewRoomInvite): ...
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Unpack

from ..errors import InvalidArgumentError, RealtimeError
from ..redaction import get_logger
from .options import StreamOptionFields, StreamOptions, stream_options
from .ownership import SessionRealtime
from .realtime import (
    RealtimeAccess,
    RealtimeMessage,
    RealtimePool,
    Subscription,
    is_api_origin,
    realtime_origin,
    timetoken_now,
)
from .realtime_events import LeaveReason, Left, RoomEvent
from .stream import EventStream

if TYPE_CHECKING:
    from ..api import ClubhouseAPI

__all__ = ["UserEvents", "user_events"]

log = get_logger("aioclubhouse.rooms")


class UserEvents(EventStream):
    """The live stream of ``users.<me>``; an async context manager and async iterable."""

    def __init__(
        self,
        session: ClubhouseAPI,
        options: StreamOptions | None = None,
        *,
        pubnub_token: str | None = None,
        pubnub_origin: str | None = None,
    ) -> None:
        options = stream_options(options, {})
        self.session = session
        """The session whose user the events are sent to."""
        self.options = options
        """How the stream delivers and connects."""
        self._pubnub_token = pubnub_token
        self._origin, self._ssl = realtime_origin(session.base_url, pubnub_origin)
        if not pubnub_token and not is_api_origin(self._origin, self._ssl, session.base_url):
            raise InvalidArgumentError(
                "pubnub_token",
                f"is needed to read your user channel at {self._origin}: the API "
                "auth_token is only sent to the API's own origin (scheme, host and port), "
                "never to another",
            )
        super().__init__(name=f"user {session.user_id} events", channel=None, options=options)
        self._started = False
        self._subscription: Subscription | None = None
        self._closing: asyncio.Future[None] | None = None

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
                pnsdk=self.session.identity.pubnub_sdk,
            )
        if not credentials.auth_token:
            raise InvalidArgumentError("session", "is not logged in (no auth_token)")
        return RealtimeAccess(
            origin=self._origin,
            ssl=self._ssl,
            auth_token=credentials.auth_token,
            user_id=credentials.user_id,
            pnsdk=self.session.identity.pubnub_sdk,
            scrub_token=False,  # the session's own token: the session keeps it scrubbed
        )

    @property
    def started(self) -> bool:
        """Whether :meth:`start` subscribed (it is called by ``async with``)."""
        return self._started

    async def start(self) -> None:
        """Subscribe and wait (up to ``connect_timeout``) until the server accepted it."""
        if self._started:
            return
        access = self.access()
        owner = SessionRealtime.of(self.session)
        pool: RealtimePool = self.options.pool or owner.pool
        owner.adopt(self)
        self._started = True
        self._subscription = pool.subscribe(
            access, [f"users.{access.user_id}"], self, options=self.options.realtime_options
        )
        try:
            async with asyncio.timeout(self.options.connect_timeout):
                await self._subscription.wait_connected()
        except TimeoutError:
            log.warning("user events: realtime not connected yet; it keeps trying")

    async def close(self) -> None:
        """Unsubscribe and end the stream (idempotent)."""
        await self._finish(LeaveReason.USER)

    async def _close_for_session(self) -> None:
        await self._finish(LeaveReason.SESSION_CLOSED)

    async def _finish(self, reason: LeaveReason, error: str | None = None) -> None:
        if self.left_reason is None:
            self.left_reason = reason
        subscription, self._subscription = self._subscription, None
        if subscription is not None:
            await subscription.close()
        if self._closing is not None:
            await self._closing
        if not self._hub.closed:
            self._hub.close(Left(reason=reason, error=error, timetoken=timetoken_now()))
        if self._started:
            SessionRealtime.of(self.session).release(self)
        await self._hub.drain(self._drain_timeout)

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

    def events(self) -> AsyncIterator[RoomEvent]:
        """Events until the stream ends; starts (and then closes) it when needed."""
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[RoomEvent]:
        owned = not self._started
        if owned:
            await self.start()
        try:
            async for event in self._hub.events():
                yield event
        finally:
            if owned:
                await self.close()

    # -- realtime listener -----------------------------------------------------------------
    def realtime_messages(self, messages: Sequence[RealtimeMessage]) -> None:
        """From the realtime link: parse a batch of messages and deliver their events."""
        self._hub.publish(self._parse(messages))

    def realtime_failed(self, error: RealtimeError) -> None:
        """From the realtime link: the token was refused; the stream ends with ``Left``."""
        if not self._hub.closed:
            self.left_reason = LeaveReason.REALTIME_ERROR
            self._hub.close(
                Left(reason=LeaveReason.REALTIME_ERROR, error=str(error), timetoken=timetoken_now())
            )
        subscription = self._subscription
        if subscription is not None:
            self._subscription = None
            self._closing = asyncio.ensure_future(subscription.close())


def user_events(
    session: ClubhouseAPI,
    options: StreamOptions | None = None,
    *,
    pubnub_token: str | None = None,
    pubnub_origin: str | None = None,
    **option_fields: Unpack[StreamOptionFields],
) -> UserEvents:
    """Events sent to the session's user outside rooms (``users.<id>``).

    ``async with user_events(session) as stream: async for event in stream: ...`` or
    simply ``async for event in user_events(session)``.  The options are a
    :class:`~aioclubhouse.rooms.options.StreamOptions`, its fields as keywords, or both.

    ``pubnub_origin`` (``host`` or ``host:port``) defaults to the one that goes with
    the API base URL.  The API ``auth_token`` is used only when that origin is the
    API's own host; anywhere else ``pubnub_token`` is required, and without it
    :class:`~aioclubhouse.errors.InvalidArgumentError` is raised here, before any
    network traffic.
    """
    return UserEvents(
        session,
        stream_options(options, option_fields),
        pubnub_token=pubnub_token,
        pubnub_origin=pubnub_origin,
    )
