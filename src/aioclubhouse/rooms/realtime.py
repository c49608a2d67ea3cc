"""The realtime link: PubNub long-polls, shared between rooms, that never give up.

Clubhouse pushes room activity through PubNub.  This module sends the ``pubnub``
package's own ``Subscribe`` requests (through its aiohttp request handler) from a
task of its own, instead of using the package's subscription manager, whose 10.8.0
behaviour would otherwise have to be patched from outside:

* an exception in a listener callback kills its receive loop for good;
* a reconnect delivers the same messages twice (it replays the old cursor);
* there is no "reconnected" status, and after its retries run out it stops;
* changing the channel set trips bugs in its subscription registry;
* every client builds its own TLS context (about 0.8 MB and 40 ms each) and an
  unused event loop.

So one :class:`_Connection` is one ``PubNubAsyncio`` client plus one loop of
``Subscribe`` requests: a handshake (``tt=0``) to learn the server's cursor and to
prove the token is accepted, then long-polls from the last cursor.  Every failure is
retried forever with jittered exponential backoff; after a failure a handshake
checks that the server is back (reported as *reconnected*) before long-polling
again from the same cursor, so nothing is lost.  A 403 (the token died with the
room) is final.  Messages are de-duplicated per channel by timetoken, so a replayed
window is never delivered twice.  All clients of a :class:`RealtimePool` share one
aiohttp session.

Rooms whose access is identical (origin, token, user) share a connection, up to
``max_channels_per_connection`` channels so the subscribe URL stays far below the
64 KiB servers accept.  Presence rides on the subscribe requests (``heartbeat=``,
from ``set_presence_timeout``); no separate heartbeat or leave requests are sent.
"""

from __future__ import annotations

import asyncio
import enum
import random
import time
import weakref
from collections.abc import Iterable, Sequence
from typing import Any, Protocol
from urllib.parse import urlsplit

import aiohttp
import attrs
from pubnub.endpoints.pubsub.subscribe import Subscribe
from pubnub.exceptions import PubNubException
from pubnub.pnconfiguration import PNConfiguration
from pubnub.pubnub_asyncio import PubNubAsyncio
from pubnub.request_handlers.async_aiohttp import AsyncAiohttpRequestHandler

from ..coerce import wire_int
from ..errors import RealtimeError
from ..redaction import get_logger, live_secrets

__all__ = [
    "DEFAULT_ORIGIN",
    "PUBLISH_KEY",
    "SUBSCRIBE_KEY",
    "ConnectionChange",
    "ConnectionState",
    "RealtimeAccess",
    "RealtimeListener",
    "RealtimeMessage",
    "RealtimeOptions",
    "RealtimePool",
    "Subscription",
    "origin_for_api",
    "timetoken_now",
]

log = get_logger("aioclubhouse.realtime")
get_logger("pubnub")  # its debug lines show request URLs, which carry ?auth=<token>

SUBSCRIBE_KEY = "sub-c-a4abea84-9ca3-11ea-8e71-f2b83ac9263d"
PUBLISH_KEY = "pub-c-6878d382-5ae6-4494-9099-f930f938868b"
DEFAULT_ORIGIN = "clubhouse.pubnub.com"
"""Where the apps subscribe when the service names no ``pubnub_origin``."""


def origin_for_api(base_url: str) -> tuple[str, bool]:
    """The PubNub ``(origin, ssl)`` that goes with an API base URL.

    A plain-http API is a local emulator, which also speaks PubNub on the same
    host and port; anything else is the real service, whose PubNub origin is
    :data:`DEFAULT_ORIGIN` over TLS.
    """
    parts = urlsplit(base_url)
    if parts.scheme == "http" and parts.netloc:
        return parts.netloc, False
    return DEFAULT_ORIGIN, True


@attrs.frozen(kw_only=True)
class RealtimeAccess:
    """Where to subscribe and as whom; connections are shared when these are equal."""

    origin: str
    ssl: bool = True
    auth_token: str = attrs.field(repr=False)
    user_id: int
    presence_timeout: int | None = None
    """Sent as ``heartbeat=`` on every subscribe (the join response's heartbeat value)."""
    subscribe_key: str = SUBSCRIBE_KEY
    scrub_token: bool = attrs.field(default=True, eq=False)
    """Whether the link keeps ``auth_token`` in the log scrubber while it uses it.
    False when its owner already does (the API token, which the session scrubs)."""


@attrs.frozen(kw_only=True)
class RealtimeOptions:
    """Timeouts and retry pacing of the realtime link."""

    request_timeout: int = 310
    """Seconds a long-poll may stay open; the server answers every ~280 s at most."""
    connect_timeout: int = 10
    reconnect_delay: float = 0.5
    """Ceiling of the first retry delay; it doubles per failure up to the maximum."""
    max_reconnect_delay: float = 15.0
    max_channels_per_connection: int = 600
    """About 150 rooms of four channels each: a subscribe URL of roughly 30 KB."""
    max_rewind: float = 10.0
    """How far before the server's "now" a new subscription may start (``start_at``)."""

    def backoff(self, attempt: int) -> float:
        """Jittered delay before retry number ``attempt`` (1-based)."""
        ceiling = min(self.max_reconnect_delay, self.reconnect_delay * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)


@attrs.frozen(kw_only=True)
class RealtimeMessage:
    """One message as it came off a PubNub channel."""

    channel: str
    timetoken: int
    payload: Any
    publisher: str | None = None


class ConnectionState(enum.Enum):
    CONNECTED = "connected"
    """The subscription was accepted by the server for the first time."""
    RECONNECTING = "reconnecting"
    """A request failed; the link retries after a backoff (``attempt`` counts them)."""
    RECONNECTED = "reconnected"
    """The server answered again after failures; nothing was lost in between."""


@attrs.frozen(kw_only=True)
class ConnectionChange:
    state: ConnectionState
    attempt: int = 0
    error: str | None = None
    timetoken: int = 0


class RealtimeListener(Protocol):
    """What a subscriber implements; called on the event loop, must not block or raise."""

    def realtime_messages(self, messages: Sequence[RealtimeMessage]) -> None: ...

    def realtime_status(self, change: ConnectionChange) -> None: ...

    def realtime_failed(self, error: RealtimeError) -> None: ...


class _NoSubscriptionManager:
    """Stands in for pubnub's subscription manager, which this module replaces.

    The ``Subscribe`` endpoint asks the manager for extra query parameters; there
    are none without it.
    """

    def __init__(self, pubnub: Any) -> None:
        self._pubnub = pubnub

    def get_custom_params(self) -> dict[str, Any]:
        return {}

    def stop(self) -> None:
        return None


class Subscription:
    """One subscriber's channels on the realtime link; made by :meth:`RealtimePool.subscribe`."""

    def __init__(self, pool: RealtimePool, listener: RealtimeListener) -> None:
        self._pool = pool
        self.listener = listener
        self._connection: _Connection | None = None
        self._channels: frozenset[str] = frozenset()
        self._connected: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed = False

    @property
    def channels(self) -> frozenset[str]:
        return self._channels

    @property
    def timetoken(self) -> int:
        """The cursor of the link: everything up to it has been delivered."""
        connection = self._connection
        if connection is None or connection.cursor is None:
            return 0
        return connection.cursor

    async def wait_connected(self) -> None:
        """Wait until the server accepted the subscription (bound it with asyncio.timeout).

        Raises :class:`RealtimeError` when the server refused it (HTTP 403).
        """
        await asyncio.shield(self._connected)

    @property
    def connected(self) -> bool:
        """Whether the server accepted the subscription (it may be reconnecting now)."""
        future = self._connected
        return future.done() and not future.cancelled() and future.exception() is None

    def set_channels(self, channels: Iterable[str]) -> None:
        """Replace the channel set; the long-poll restarts from the same cursor."""
        if self._connection is None or self.closed:
            return
        self._channels = frozenset(channels)
        self._connection.update(self)

    async def reauthorize(self, access: RealtimeAccess) -> None:
        """Continue with new credentials (e.g. the token of a new role), losing nothing."""
        if self.closed or self._connection is None:
            return
        old = self._connection
        if old.access == access:
            return
        since, watermarks = old.cursor, old.watermarks_for(self._channels)
        old.remove(self)
        self._connection = None
        await self._pool._release_if_idle(old)
        self._pool._place(self, access, since=since, watermarks=watermarks)

    async def close(self) -> None:
        """Stop receiving; the shared connection closes when nobody uses it any more."""
        if self.closed:
            return
        self.closed = True
        connection, self._connection = self._connection, None
        if not self._connected.done():
            self._connected.cancel()
        if connection is not None:
            connection.remove(self)
            await self._pool._release_if_idle(connection)

    # -- called by the connection ------------------------------------------------------
    def _confirm(self) -> bool:
        """Mark the subscription accepted; True the first time (later moves are silent)."""
        if self._connected.done():
            return False
        self._connected.set_result(None)
        return True

    def _refuse(self, error: RealtimeError) -> None:
        if not self._connected.done():
            self._connected.set_exception(error)
            self._connected.exception()  # retrieved here: waiting is optional


class _Connection:
    """One PubNub client and the long-poll loop serving its subscriptions."""

    def __init__(
        self,
        pool: RealtimePool,
        access: RealtimeAccess,
        options: RealtimeOptions,
    ) -> None:
        self.pool = pool
        self.access = access
        self.options = options
        self.cursor: int | None = None
        self.region: str | None = None
        self._subscriptions: dict[Subscription, frozenset[str]] = {}
        self._pending: set[Subscription] = set()
        self._watermarks: dict[str, int] = {}
        self._failures = 0
        """Failed requests since the last answered long-poll: paces the backoff."""
        self._outage = False
        """RECONNECTING was announced and RECONNECTED not yet."""
        self._start_at: int | None = None
        """The earliest start time a subscriber asked for, until the first handshake."""
        self._changed = asyncio.Event()
        self._request: asyncio.Task[dict[str, Any]] | None = None
        """The subscribe request in flight; a change of channels cancels it."""
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self.pubnub = self._make_client()
        if access.scrub_token:
            live_secrets.hold(access.auth_token)

    def _make_client(self) -> Any:
        config = PNConfiguration()
        config.subscribe_key = self.access.subscribe_key
        config.publish_key = PUBLISH_KEY
        config.user_id = str(self.access.user_id)
        config.origin = self.access.origin
        config.ssl = self.access.ssl
        config.subscribe_request_timeout = int(self.options.request_timeout)
        config.connect_timeout = int(self.options.connect_timeout)
        config.non_subscribe_request_timeout = int(self.options.connect_timeout)
        config.enable_presence_heartbeat = False
        config.disable_config_locking = False  # frozen once built: nothing changes it later
        if self.access.presence_timeout:
            config.set_presence_timeout(int(self.access.presence_timeout))
        client = PubNubAsyncio(
            config,
            subscription_manager=_NoSubscriptionManager,
            custom_request_handler=self.pool._handler_class,
        )
        client.set_token(self.access.auth_token)
        return client

    # -- membership ------------------------------------------------------------------
    def _wanted(self) -> set[str]:
        return {c for channels in self._subscriptions.values() for c in channels}

    def has_room_for(self, channels: frozenset[str]) -> bool:
        return len(self._wanted() | channels) <= self.options.max_channels_per_connection

    def add(
        self,
        subscription: Subscription,
        *,
        since: int | None = None,
        start_at: int | None = None,
        watermarks: dict[str, int] | None = None,
    ) -> None:
        self._subscriptions[subscription] = subscription.channels
        self._pending.add(subscription)
        if since is not None and (self.cursor is None or since < self.cursor):
            self.cursor = since
        if start_at is not None and self.cursor is None:
            self._start_at = start_at if self._start_at is None else min(start_at, self._start_at)
        for channel, timetoken in (watermarks or {}).items():
            self._watermarks[channel] = max(timetoken, self._watermarks.get(channel, 0))
        self._poke()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"realtime {self.access.origin}")

    def update(self, subscription: Subscription) -> None:
        if subscription in self._subscriptions:
            self._subscriptions[subscription] = subscription.channels
            self._poke()

    def remove(self, subscription: Subscription) -> None:
        """Stop serving ``subscription``; an idle connection leaves the pool at once."""
        self._subscriptions.pop(subscription, None)
        self._pending.discard(subscription)
        wanted = self._wanted()
        for channel in list(self._watermarks):
            if channel not in wanted:
                del self._watermarks[channel]
        self._poke()
        if not self._subscriptions:
            self.pool._forget(self)

    def watermarks_for(self, channels: Iterable[str]) -> dict[str, int]:
        return {c: self._watermarks[c] for c in channels if c in self._watermarks}

    async def close(self) -> None:
        """Stop the loop and wait for it (unless called from inside it); for good."""
        releasing = not self._closed and self.access.scrub_token
        self._closed = True
        try:
            task, self._task = self._task, None
            if task is not None and task is not asyncio.current_task():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            await self.pubnub.stop()
        finally:
            if releasing:  # after the last request, whose log lines carry the token
                live_secrets.release(self.access.auth_token)

    # -- the loop --------------------------------------------------------------------
    async def _run(self) -> None:
        while self._subscriptions:
            self._changed.clear()
            asked = self._wanted()
            probing = self.cursor is None or bool(self._pending) or self._outage
            started_from = self.cursor
            request = self._subscribe(sorted(asked), None if probing else started_from)
            try:
                answer = await self._unless_changed(request)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # every failure is retried or turned into an event
                if self._handle_failure(exc):
                    await self._pause(self.options.backoff(self._failures))
                continue
            if answer is None:  # the channel set changed mid-request: ask again
                continue
            self._handle_answer(answer, asked, probing)
            if not probing and not self._wanted() <= asked:
                # Channels joined while this poll was open: their messages since
                # `started_from` were not asked for. Replay from there; the
                # watermarks drop what the other channels already delivered.
                self.cursor = started_from

    async def _subscribe(self, channels: list[str], cursor: int | None) -> dict[str, Any]:
        """A handshake (``cursor`` None: answered at once) or a long-poll from ``cursor``."""
        request = Subscribe(self.pubnub).channels(channels)
        request.timetoken(0 if cursor is None else cursor)
        if cursor is not None and self.region is not None:
            request.region(self.region)
        answer = await request.result()
        if not isinstance(answer, dict) or not isinstance(answer.get("t"), dict):
            raise RealtimeError("malformed subscribe answer")
        return answer

    async def _unless_changed(self, request: Any) -> dict[str, Any] | None:
        """Run ``request`` unless the channel set changes first (then return None)."""
        task: asyncio.Task[dict[str, Any]] = asyncio.ensure_future(request)
        self._request = task
        try:
            return await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # this loop itself is being stopped
            return None  # only the request was cancelled, by _poke
        finally:
            self._request = None

    def _poke(self) -> None:
        """The channel set changed: wake the loop and drop the request in flight."""
        self._changed.set()
        request = self._request
        if request is not None and not request.done():
            request.cancel()

    async def _pause(self, seconds: float) -> None:
        """Sleep before a retry; returns early when the last subscriber leaves."""
        try:
            async with asyncio.timeout(seconds):
                while self._subscriptions:
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            pass

    def _handle_failure(self, exc: BaseException) -> bool:
        """Deal with a failed request; True when the loop should back off and retry."""
        if isinstance(exc, PubNubException) and exc.get_status_code() == 403:
            self._refuse(exc)
            return False
        self._failures += 1
        self._outage = True
        error = _describe(exc)
        log.debug("realtime request failed (attempt %d): %s", self._failures, error)
        change = ConnectionChange(
            state=ConnectionState.RECONNECTING,
            attempt=self._failures,
            error=error,
            timetoken=self.cursor or 0,
        )
        for subscription in list(self._subscriptions):
            if subscription not in self._pending:
                _notify_status(subscription, change)
        return True

    def _refuse(self, exc: PubNubException) -> None:
        """HTTP 403: the token may not read some channels any more; that is final for them."""
        denied = _denied_channels(exc)
        refused = [
            s for s, channels in self._subscriptions.items() if denied is None or channels & denied
        ]
        if not refused:
            refused = list(self._subscriptions)
        error = RealtimeError(
            "the realtime service refused the subscription (HTTP 403)", status=403
        )
        for subscription in refused:
            self.remove(subscription)
            subscription._refuse(error)
            try:
                subscription.listener.realtime_failed(error)
            except Exception:
                log.exception("realtime listener failed")

    def _handle_answer(self, answer: dict[str, Any], asked: set[str], probing: bool) -> None:
        cursor_info = answer["t"]
        cursor = wire_int(cursor_info.get("t"))
        region = cursor_info.get("r")
        if probing:
            if self.cursor is None and cursor is not None:
                self.cursor = self._first_cursor(cursor)
                self.region = None if region is None else str(region)
        else:
            self._failures = 0
            if cursor is not None:
                self.cursor = cursor
            if region is not None:
                self.region = str(region)
            self._deliver(answer.get("m") or [])
        if self._outage:
            self._outage = False
            change = ConnectionChange(state=ConnectionState.RECONNECTED, timetoken=self.cursor or 0)
            for subscription in list(self._subscriptions):
                if subscription not in self._pending:
                    _notify_status(subscription, change)
        confirmed = [s for s in self._pending if self._subscriptions.get(s, frozenset()) <= asked]
        for subscription in confirmed:
            self._pending.discard(subscription)
            if subscription._confirm():
                # The handshake's timetoken is the server's "now": everything after
                # it reaches this subscriber.
                now = cursor if probing and cursor is not None else self.cursor or 0
                _notify_status(
                    subscription, ConnectionChange(state=ConnectionState.CONNECTED, timetoken=now)
                )

    def _first_cursor(self, handshake: int) -> int:
        """Where a new connection starts: the earliest ``start_at`` asked for, unless it is
        later than the server's clock or further back than ``max_rewind``."""
        start_at, self._start_at = self._start_at, None
        if start_at is None:
            return handshake
        if handshake - _seconds_to_timetoken(self.options.max_rewind) <= start_at <= handshake:
            return start_at
        return handshake

    def _deliver(self, envelopes: list[Any]) -> None:
        batches: dict[Subscription, list[RealtimeMessage]] = {}
        for envelope in envelopes:
            message = _parse_envelope(envelope)
            if message is None:
                continue
            last = self._watermarks.get(message.channel)
            if last is not None and message.timetoken <= last:
                continue  # already delivered (a replayed window after a reconnect)
            self._watermarks[message.channel] = message.timetoken
            for subscription, channels in self._subscriptions.items():
                if message.channel in channels:
                    batches.setdefault(subscription, []).append(message)
        for subscription, messages in batches.items():
            try:
                subscription.listener.realtime_messages(messages)
            except Exception:
                log.exception("realtime listener failed; delivery continues")


class RealtimePool:
    """All realtime connections of one event loop, sharing one HTTP connection pool."""

    def __init__(self, options: RealtimeOptions | None = None) -> None:
        self.options = options or RealtimeOptions()
        self._connections: dict[tuple[RealtimeAccess, RealtimeOptions], list[_Connection]] = {}
        self._http: aiohttp.ClientSession | None = None
        self._handler_class = _shared_session_handler(self)

    @classmethod
    def shared(cls) -> RealtimePool:
        """The pool of the running event loop (made on first use)."""
        loop = asyncio.get_running_loop()
        pool = _POOLS.get(loop)
        if pool is None:
            pool = cls()
            _POOLS[loop] = pool
        return pool

    @property
    def connection_count(self) -> int:
        return sum(len(connections) for connections in self._connections.values())

    def subscribe(
        self,
        access: RealtimeAccess,
        channels: Iterable[str],
        listener: RealtimeListener,
        *,
        options: RealtimeOptions | None = None,
        since: int | None = None,
        start_at: int | None = None,
    ) -> Subscription:
        """Start delivering ``channels`` to ``listener``.

        ``since`` resumes from a known cursor.  ``start_at`` (a timetoken from the
        local clock, see :func:`timetoken_now`) asks for messages from that moment
        on, e.g. from just before a join request; it is honoured only when it is
        within ``max_rewind`` before the server's clock, else delivery starts "now".
        Await :meth:`Subscription.wait_connected` to know the server accepted it.
        """
        subscription = Subscription(self, listener)
        subscription._channels = frozenset(channels)
        self._place(subscription, access, since=since, start_at=start_at, options=options)
        return subscription

    def http(self) -> aiohttp.ClientSession:
        """The HTTP session every PubNub client of this pool sends through."""
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0),
                timeout=aiohttp.ClientTimeout(total=None, connect=self.options.connect_timeout),
            )
        return self._http

    async def close(self) -> None:
        """Close every connection and the HTTP session."""
        connections = [c for group in self._connections.values() for c in group]
        self._connections.clear()
        for connection in connections:
            await connection.close()
        if self._http is not None:
            await self._http.close()
            self._http = None

    def _place(
        self,
        subscription: Subscription,
        access: RealtimeAccess,
        *,
        since: int | None = None,
        start_at: int | None = None,
        watermarks: dict[str, int] | None = None,
        options: RealtimeOptions | None = None,
    ) -> None:
        options = options or self.options
        group = self._connections.setdefault((access, options), [])
        connection = next((c for c in group if c.has_room_for(subscription.channels)), None)
        if connection is None:
            connection = _Connection(self, access, options)
            group.append(connection)
        subscription._connection = connection
        connection.add(subscription, since=since, start_at=start_at, watermarks=watermarks)

    def _forget(self, connection: _Connection) -> None:
        """Take an idle connection out of the pool so nobody new joins it."""
        key = (connection.access, connection.options)
        group = self._connections.get(key, [])
        if connection in group:
            group.remove(connection)
        if not group:
            self._connections.pop(key, None)

    async def _release_if_idle(self, connection: _Connection) -> None:
        if connection._subscriptions:
            return
        await connection.close()
        if not self._connections and self._http is not None:
            http, self._http = self._http, None
            await http.close()




_POOLS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RealtimePool] = (
    weakref.WeakKeyDictionary()
)


def _shared_session_handler(pool: RealtimePool) -> type[Any]:
    """A pubnub request handler that sends through the pool's aiohttp session."""

    class SharedSessionHandler(AsyncAiohttpRequestHandler):  # type: ignore[misc]
        def __init__(self, pubnub: Any) -> None:
            self.pubnub = pubnub
            self._connector = None
            self._session: aiohttp.ClientSession | None = None

        async def create_session(self) -> None:
            self._session = pool.http()

        async def close_session(self) -> None:
            self._session = None  # the pool owns the session

    return SharedSessionHandler


def timetoken_now() -> int:
    """The local clock as a PubNub timetoken (100 ns units since the epoch)."""
    return time.time_ns() // 100


def _seconds_to_timetoken(seconds: float) -> int:
    return int(seconds * 10_000_000)


def _notify_status(subscription: Subscription, change: ConnectionChange) -> None:
    try:
        subscription.listener.realtime_status(change)
    except Exception:
        log.exception("realtime listener failed")


def _parse_envelope(envelope: Any) -> RealtimeMessage | None:
    """A message from a subscribe envelope, or None (logged) when it is unusable."""
    if not isinstance(envelope, dict):
        log.warning("ignoring a realtime envelope that is not an object")
        return None
    channel = envelope.get("c")
    published = envelope.get("p")
    timetoken = wire_int(published.get("t")) if isinstance(published, dict) else None
    if not isinstance(channel, str) or timetoken is None:
        log.warning("ignoring a realtime envelope without channel or timetoken")
        return None
    publisher = envelope.get("i")
    return RealtimeMessage(
        channel=channel,
        timetoken=timetoken,
        payload=envelope.get("d"),
        publisher=publisher if isinstance(publisher, str) else None,
    )


def _denied_channels(exc: PubNubException) -> frozenset[str] | None:
    """The channels a 403 names (PubNub Access Manager lists them), if it names any."""
    body = getattr(exc, "_errormsg", None)
    payload = body.get("payload") if isinstance(body, dict) else None
    channels = payload.get("channels") if isinstance(payload, dict) else None
    if isinstance(channels, list) and channels:
        return frozenset(str(c).removesuffix("-pnpres") for c in channels)
    return None


def _describe(exc: BaseException) -> str:
    """A short, token-free description of a failed request."""
    if isinstance(exc, PubNubException):
        status = exc.get_status_code()
        return f"HTTP {status}" if status else type(exc).__name__
    if isinstance(exc, TimeoutError):
        return "timed out"
    text = str(exc)
    if "auth=" in text:
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
