"""Realtime connections shared between subscribers, and each subscriber's handle.

A :class:`RealtimePool` owns one aiohttp session, every connection sending through
it and the one task sending their presence heartbeats; whoever creates a pool
closes it (a ``ClubhouseSession`` creates one on its first room and closes it with
itself).  Subscribers with equal access (origin, token, user) and options share a
connection while it has room for their channels.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import aiohttp

from ...errors import RealtimeError
from .access import RealtimeAccess, RealtimeOptions
from .connection import Connection
from .heartbeats import HeartbeatScheduler
from .listener import RealtimeListener
from .package_logs import route_package_logs
from .wire import session_handler

__all__ = ["RealtimePool", "Subscription"]


class Subscription:
    """One subscriber's channels on the realtime link; made by :meth:`RealtimePool.subscribe`."""

    def __init__(
        self, pool: RealtimePool, listener: RealtimeListener, presence: frozenset[str]
    ) -> None:
        self._pool = pool
        self.listener = listener
        self.presence_channels = presence
        """The channels kept present with heartbeats while they are subscribed."""
        self._connection: Connection | None = None
        self._channels: frozenset[str] = frozenset()
        self._connected: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._failed = False
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
        """Whether the server accepted the subscription (it may be reconnecting now);
        False once it was refused or its link failed."""
        future = self._connected
        return (
            not self._failed
            and future.done()
            and not future.cancelled()
            and future.exception() is None
        )

    def set_channels(self, channels: Iterable[str]) -> None:
        """Replace the channel set; the long-poll restarts from the same cursor, and the
        channels given up are left (presence)."""
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
        old.remove(self)  # no presence leave: the same user goes on with the new token
        self._connection = None
        await self._pool._release(old)
        self._pool._place(self, access, since=since, watermarks=watermarks)

    async def close(self) -> None:
        """Stop receiving and leave the channels (presence, at most ``leave_timeout``);
        the shared connection closes when nobody uses it any more."""
        if self.closed:
            return
        self.closed = True
        connection, self._connection = self._connection, None
        if not self._connected.done():
            self._connected.cancel()
        if connection is not None:
            dropped = connection.remove(self)
            await self._pool._release(connection, leave=dropped)

    # -- called by the connection ------------------------------------------------------
    def _confirm(self) -> bool:
        """Mark the subscription accepted; True the first time (later moves are silent)."""
        if self._connected.done():
            return False
        self._connected.set_result(None)
        return True

    def _refuse(self, error: RealtimeError) -> None:
        """Refused (its connection already let it go: closing it later leaves nothing)."""
        if not self._connected.done():
            self._connected.set_exception(error)
            self._connected.exception()  # retrieved here: waiting is optional

    def _fail(self, error: RealtimeError) -> None:
        """The link stopped for good (it never should): no longer connected."""
        self._failed = True
        self._refuse(error)


class RealtimePool:
    """Realtime connections sharing one HTTP connection pool, which this object owns."""

    def __init__(self, options: RealtimeOptions | None = None) -> None:
        self.options = options or RealtimeOptions()
        """Timeouts and retry pacing of every connection of the pool."""
        self._connections: dict[tuple[RealtimeAccess, RealtimeOptions], list[Connection]] = {}
        self._releasing: set[Connection] = set()
        """Connections out of the pool still sending their presence leave."""
        self._http: aiohttp.ClientSession | None = None
        self._handler_class = session_handler(self.http)
        self.heartbeats = HeartbeatScheduler()
        """Sends the presence heartbeats of every connection of this pool."""
        route_package_logs()

    @property
    def connection_count(self) -> int:
        """Open realtime connections (long-poll loops) across every origin and token."""
        return sum(len(connections) for connections in self._connections.values())

    @property
    def http_open(self) -> bool:
        """Whether the pool's aiohttp session is open (it is while a connection lives)."""
        return self._http is not None and not self._http.closed

    def subscribe(
        self,
        access: RealtimeAccess,
        channels: Iterable[str],
        listener: RealtimeListener,
        *,
        options: RealtimeOptions | None = None,
        since: int | None = None,
        start_at: int | None = None,
        presence: Iterable[str] = (),
    ) -> Subscription:
        """Start delivering ``channels`` to ``listener``.

        ``since`` resumes from a known cursor.  ``start_at`` (a timetoken from the
        local clock, see :func:`~aioclubhouse.rooms.realtime.timetoken_now`) asks for
        messages from that moment on, e.g. from just before a join request; it is
        honoured only when it is within ``max_rewind`` before the server's clock, else
        delivery starts "now".  ``presence`` names the channels to keep present with
        heartbeats (every ``access.heartbeat_seconds``) while they are subscribed.
        Await :meth:`Subscription.wait_connected` to know the server accepted it.
        """
        subscription = Subscription(self, listener, frozenset(presence))
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
        """Close every connection, the heartbeats and the HTTP session."""
        connections = [c for group in self._connections.values() for c in group]
        self._connections.clear()
        await self.heartbeats.close()
        self.heartbeats = HeartbeatScheduler()  # a pool closed early may be used again
        for connection in [*connections, *self._releasing]:
            await connection.close()
        self._releasing.clear()
        if self._http is not None:
            http, self._http = self._http, None
            await http.close()

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
            connection = Connection(
                access,
                options,
                handler_class=self._handler_class,
                http=self.http,
                heartbeats=self.heartbeats,
                on_idle=self._forget,
            )
            group.append(connection)
        subscription._connection = connection
        connection.add(subscription, since=since, start_at=start_at, watermarks=watermarks)

    def _forget(self, connection: Connection) -> None:
        """Take an idle connection out of the pool so nobody new joins it."""
        key = (connection.access, connection.options)
        group = self._connections.get(key, [])
        if connection in group:
            group.remove(connection)
        if not group:
            self._connections.pop(key, None)

    async def _release(self, connection: Connection, *, leave: Iterable[str] = ()) -> None:
        """Leave ``leave`` on ``connection``, and close it once nobody uses it; the HTTP
        session closes with the last connection (not before its last leave is sent)."""
        self._releasing.add(connection)
        try:
            await connection.leave(leave)
            if connection.idle:
                await connection.close()
        finally:
            self._releasing.discard(connection)
        if not self._connections and not self._releasing and self._http is not None:
            http, self._http = self._http, None
            await http.close()
