"""What a subscriber of the realtime link is given, and what it must implement."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any, Protocol

import attrs

from ...errors import RealtimeError

__all__ = ["ConnectionChange", "ConnectionState", "RealtimeListener", "RealtimeMessage"]


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
