"""Where the realtime link subscribes and as whom, and how patiently.

One function, :func:`realtime_origin`, decides the PubNub origin and whether it is
reached over TLS, for rooms and for the user-event stream alike;
:func:`is_api_origin` says whether that origin is the API's own (same scheme, host
and port), the only place the API token may be sent.
"""

from __future__ import annotations

import random
import time
from typing import Any
from urllib.parse import urlsplit

import attrs

from ...errors import InvalidArgumentError

__all__ = [
    "DEFAULT_ORIGIN",
    "DEFAULT_PRESENCE_TIMEOUT",
    "MIN_HEARTBEAT_INTERVAL",
    "MIN_PRESENCE_TIMEOUT",
    "PUBLISH_KEY",
    "SUBSCRIBE_KEY",
    "RealtimeAccess",
    "RealtimeOptions",
    "is_api_origin",
    "realtime_origin",
    "seconds_to_timetoken",
    "timetoken_now",
]

SUBSCRIBE_KEY = "sub-c-a4abea84-9ca3-11ea-8e71-f2b83ac9263d"
PUBLISH_KEY = "pub-c-6878d382-5ae6-4494-9099-f930f938868b"
DEFAULT_ORIGIN = "clubhouse.pubnub.com"
"""Where the apps subscribe when the service names no ``pubnub_origin``."""

DEFAULT_PRESENCE_TIMEOUT = 300
"""PubNub's presence timeout when the service names none (its SDKs' default)."""
MIN_PRESENCE_TIMEOUT = 20
"""The official apps' PubNub SDK raises a lower presence timeout to this."""
MIN_HEARTBEAT_INTERVAL = 1.0
"""Heartbeats are never sent more often than this, whatever the service says."""
MAX_PNSDK_LENGTH = 100


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


def is_api_origin(origin: str, ssl: bool, api_base_url: str) -> bool:
    """Whether the PubNub ``origin`` (reached over TLS when ``ssl``) is the API's own
    origin: the same scheme, host and port.  A different port is another server."""
    scheme = "https" if ssl else "http"
    ours = _origin_of(f"{scheme}://{origin}")
    return ours is not None and ours == _origin_of(api_base_url)


def _origin_of(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number, or out of range
        return None
    host = parts.hostname
    if not host or parts.scheme not in ("http", "https"):
        return None
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80)


def _pnsdk(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if (
        not isinstance(value, str)
        or not 0 < len(value) <= MAX_PNSDK_LENGTH
        or not value.isascii()
        or not value.isprintable()
        or " " in value
    ):
        raise InvalidArgumentError(
            attribute.name, "must be a PubNub SDK name such as 'PubNub-Java-Unified/4.36.0'"
        )


@attrs.frozen(kw_only=True)
class RealtimeAccess:
    """Where to subscribe and as whom; connections are shared when these are equal."""

    origin: str
    ssl: bool = True
    auth_token: str = attrs.field(repr=False)
    user_id: int
    presence_timeout: int | None = None
    """The join's ``pubnub_heartbeat_value``: sent as ``heartbeat=`` on every subscribe
    and heartbeat (PubNub's default of 300 s when None)."""
    heartbeat_interval: int | None = None
    """The join's ``pubnub_heartbeat_interval``: seconds between presence heartbeats."""
    pnsdk: str | None = attrs.field(default=None, validator=_pnsdk)
    """The PubNub client name sent as ``pnsdk=`` (the official apps send their PubNub
    SDK's, see docs/protocol.md C.1); None sends the ``pubnub`` package's own."""
    subscribe_key: str = SUBSCRIBE_KEY
    scrub_token: bool = attrs.field(default=True, eq=False)
    """Whether the link keeps ``auth_token`` in the log scrubber while it uses it.
    False when its owner already does (the API token, which the session scrubs)."""

    @property
    def presence_seconds(self) -> int:
        """The presence timeout really used: the service's, raised to at least
        :data:`MIN_PRESENCE_TIMEOUT` as the apps' PubNub SDK does."""
        value = self.presence_timeout
        if value is None or value <= 0:
            return DEFAULT_PRESENCE_TIMEOUT
        return max(value, MIN_PRESENCE_TIMEOUT)

    @property
    def heartbeat_seconds(self) -> float:
        """Seconds between heartbeats: the service's interval when it keeps the client
        present, else PubNub's own ratio (half the timeout, less one second)."""
        timeout = self.presence_seconds
        interval = self.heartbeat_interval
        if interval is None or interval <= 0 or interval >= timeout:
            interval = timeout // 2 - 1
        return max(float(interval), MIN_HEARTBEAT_INTERVAL)


@attrs.frozen(kw_only=True)
class RealtimeOptions:
    """Timeouts, limits and retry pacing of the realtime link."""

    request_timeout: int = 310
    """Seconds a long-poll may stay open; the server answers every ~280 s at most."""
    connect_timeout: int = 10
    """Seconds to open a connection, and the whole time a request that is not a long-poll
    (a heartbeat, a leave) may take."""
    reconnect_delay: float = 0.5
    """Ceiling of the first retry delay; it doubles per failure up to the maximum."""
    max_reconnect_delay: float = 15.0
    """The largest retry delay ceiling, in seconds."""
    max_channels_per_connection: int = 600
    """About 150 rooms of four channels each: a subscribe URL of roughly 30 KB."""
    max_rewind: float = 10.0
    """How far before the server's "now" a new subscription may start (``start_at``)."""
    max_answer_size: int = 8 * 1024 * 1024
    """Bytes a PubNub answer may have once decompressed; a larger one is a failed poll.
    (100 messages of 32 KiB, PubNub's largest, are 3.2 MiB.)"""
    leave_timeout: float = 2.0
    """Seconds a presence leave may take before leaving goes on without it."""

    def backoff(self, attempt: int) -> float:
        """Jittered delay before retry number ``attempt`` (1-based)."""
        doublings = min(max(attempt - 1, 0), 60)  # a long outage must not overflow a float
        ceiling = min(self.max_reconnect_delay, self.reconnect_delay * 2**doublings)
        return random.uniform(ceiling / 2, ceiling)


def timetoken_now() -> int:
    """The local clock as a PubNub timetoken (100 ns units since the epoch)."""
    return time.time_ns() // 100


def seconds_to_timetoken(seconds: float) -> int:
    return int(seconds * 10_000_000)
