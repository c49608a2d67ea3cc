"""Where the realtime link subscribes and as whom, and how patiently.

One function, :func:`realtime_origin`, decides the PubNub origin and whether it is
reached over TLS, for rooms and for the user-event stream alike.
"""

from __future__ import annotations

import random
import time
from urllib.parse import urlsplit

import attrs

__all__ = [
    "DEFAULT_ORIGIN",
    "PUBLISH_KEY",
    "SUBSCRIBE_KEY",
    "RealtimeAccess",
    "RealtimeOptions",
    "realtime_origin",
    "seconds_to_timetoken",
    "timetoken_now",
]

SUBSCRIBE_KEY = "sub-c-a4abea84-9ca3-11ea-8e71-f2b83ac9263d"
PUBLISH_KEY = "pub-c-6878d382-5ae6-4494-9099-f930f938868b"
DEFAULT_ORIGIN = "clubhouse.pubnub.com"
"""Where the apps subscribe when the service names no ``pubnub_origin``."""


def realtime_origin(api_base_url: str, named: str | None = None) -> tuple[str, bool]:
    """The PubNub ``(origin, ssl)`` for a session whose API is at ``api_base_url``.

    ``named`` is an origin (``host`` or ``host:port``) the service gave
    (``pubnub_origin`` of a join) or the caller chose; without one, a plain-http
    API is a local emulator, which also speaks PubNub on its own host and port, and
    anything else is the real service, whose origin is :data:`DEFAULT_ORIGIN`.
    TLS follows the API: off only for a plain-http API.
    """
    parts = urlsplit(api_base_url)
    local = parts.scheme == "http" and bool(parts.netloc)
    if named:
        return named, not local
    if local:
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
    """Seconds to open a connection and to wait for a request that is not a long-poll."""
    reconnect_delay: float = 0.5
    """Ceiling of the first retry delay; it doubles per failure up to the maximum."""
    max_reconnect_delay: float = 15.0
    """The largest retry delay ceiling, in seconds."""
    max_channels_per_connection: int = 600
    """About 150 rooms of four channels each: a subscribe URL of roughly 30 KB."""
    max_rewind: float = 10.0
    """How far before the server's "now" a new subscription may start (``start_at``)."""

    def backoff(self, attempt: int) -> float:
        """Jittered delay before retry number ``attempt`` (1-based)."""
        ceiling = min(self.max_reconnect_delay, self.reconnect_delay * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)


def timetoken_now() -> int:
    """The local clock as a PubNub timetoken (100 ns units since the epoch)."""
    return time.time_ns() // 100


def seconds_to_timetoken(seconds: float) -> int:
    return int(seconds * 10_000_000)
