"""Realtime connections shared between subscribers, and each subscriber's handle.

A :class:`RealtimePool` owns one aiohttp session and every connection sending
through it; whoever creates a pool closes it (a ``ClubhouseSession`` creates one on
its first room and closes it with itself).  Subscribers with equal access (origin,
token, user) and options share a connection while it has room for their channels.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import aiohttp

from ...errors import RealtimeError
from .access import RealtimeAccess, RealtimeOptions
from .connection import Connection
from .listener import RealtimeListener
from .wire import session_handler

__all__ = ["RealtimePool", "Subscription"]


class Subscription:
    """One subscriber's channels on the realtime link; made by :meth:`RealtimePool.subscribe`."""

    def __init__(self, pool: RealtimePool, listener: RealtimeListener) -> None:
        self._pool = pool
        self.listener = listener
        self._connection: Connection | None = None
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


class RealtimePool:
    """Realtime connections sharing one HTTP connection pool, which this object owns."""

    def __init__(self, options: RealtimeOptions | None = None) -> None:
        self.options = options or RealtimeOptions()
        """Timeouts and retry pacing of every connection of the pool."""
        self._connections: dict[tuple[RealtimeAccess, RealtimeOptions], list[Connection]] = {}
        self._http: aiohttp.ClientSession | None = None
        self._handler_class = session_handler(self.http)

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
    ) -> Subscription:
        """Start delivering ``channels`` to ``listener``.

        ``since`` resumes from a known cursor.  ``start_at`` (a timetoken from the
        local clock, see :func:`~aioclubhouse.rooms.realtime.timetoken_now`) asks for
        messages from that moment on, e.g. from just before a join request; it is
        honoured only when it is within ``max_rewind`` before the server's clock, else
        delivery starts "now".  Await :meth:`Subscription.wait_connected` to know the
        server accepted it.
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
                access, options, handler_class=self._handler_class, on_idle=self._forget
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

    async def _release_if_idle(self, connection: Connection) -> None:
        if not connection.idle:
            return
        await connection.close()
        if not self._connections and self._http is not None:
            http, self._http = self._http, None
            await http.close()
