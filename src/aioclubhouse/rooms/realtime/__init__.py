"""The realtime link: PubNub long-polls, shared between rooms, that never give up.

Clubhouse pushes room activity through PubNub.  This package sends the ``pubnub``
package's own ``Subscribe`` requests (made by its builder once per channel set, see
:mod:`.wire`) from a task of its own, instead of using the package's subscription
manager, whose 10.8.0 behaviour would otherwise have to be patched from outside:

* an exception in a listener callback kills its receive loop for good;
* a reconnect delivers the same messages twice (it replays the old cursor);
* there is no "reconnected" status, and after its retries run out it stops;
* changing the channel set trips bugs in its subscription registry;
* every client builds its own TLS context (about 0.8 MB and 40 ms each) and an
  unused event loop.

So one connection is one ``PubNubAsyncio`` client plus one loop of ``Subscribe``
requests: a handshake (``tt=0``) to learn the server's cursor and to prove the token
is accepted, then long-polls from the last cursor.  Every failure is retried forever
with jittered exponential backoff; after a failure a handshake checks that the server
is back (reported as *reconnected*) before long-polling again from the same cursor,
so nothing is lost.  A 403 (the token died with the room) is final.  Messages are
de-duplicated per channel by timetoken, so a replayed window is never delivered
twice.

Rooms whose access is identical (origin, token, user) share a connection, up to
``max_channels_per_connection`` channels so the subscribe URL stays far below the
64 KiB servers accept; all connections of a :class:`RealtimePool` send through one
aiohttp session, which the pool owns.  Presence is kept as the apps keep it
(docs/protocol.md C.5): every subscribe carries ``heartbeat=<timeout>``, one task
per pool sends the ``Heartbeat`` requests every connection is due, and channels
given up get a ``Leave``, bounded in time.

No answer can stop a loop: a malformed, oversized or non-JSON answer is a failed
poll like a network error, and the ``pubnub`` package's own error lines become one
counted warning (:mod:`.package_logs`).

The modules, from the bottom up:

* :mod:`.access`: where to subscribe and as whom (origin and TLS, tokens, presence
  timing, ``pnsdk``), the link's timeouts, limits and pacing;
* :mod:`.listener`: what a subscriber is given (messages, connection changes);
* :mod:`.answers`: reading subscribe answers without trusting them;
* :mod:`.wire`: the ``pubnub`` package's client and requests (the long-poll prepared
  once per channel set), with a bound on answers;
* :mod:`.package_logs`: the package's log lines, routed;
* :mod:`.heartbeats`: one scheduler of presence heartbeats per pool;
* :mod:`.connection`: one client's long-poll loop, its retries, de-duplication and
  presence;
* :mod:`.pool`: connections shared by equal access, and subscriptions on them.
"""

from .access import (
    DEFAULT_ORIGIN,
    PUBLISH_KEY,
    SUBSCRIBE_KEY,
    RealtimeAccess,
    RealtimeOptions,
    is_api_origin,
    realtime_origin,
    timetoken_now,
)
from .listener import ConnectionChange, ConnectionState, RealtimeListener, RealtimeMessage
from .pool import RealtimePool, Subscription

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
    "is_api_origin",
    "realtime_origin",
    "timetoken_now",
]
