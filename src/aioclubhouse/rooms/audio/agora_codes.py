"""Agora's numeric codes, shared by the 3.x and 4.x SDKs, turned into SDK-neutral values.

Connection states and the reasons for state changes and for users going offline have
the same numbers in ``agorartc`` (3.x) and the 4.x server SDK; the adapters report them
as :class:`ConnectionState` and lower-case reason names (``"token_expired"``), which is
also what the fake backend reports.
"""

from __future__ import annotations

from .backend import ConnectionState

__all__ = [
    "CONNECTION_STATES",
    "connection_reason",
    "connection_state",
    "user_offline_reason",
]

CONNECTION_STATES: dict[int, ConnectionState] = {
    1: ConnectionState.DISCONNECTED,
    2: ConnectionState.CONNECTING,
    3: ConnectionState.CONNECTED,
    4: ConnectionState.RECONNECTING,
    5: ConnectionState.FAILED,
}
"""``CONNECTION_STATE_*`` values."""

_CONNECTION_REASONS = (
    "connecting",
    "join_success",
    "interrupted",
    "banned_by_server",
    "join_failed",
    "leave_channel",
    "invalid_app_id",
    "invalid_channel_name",
    "invalid_token",
    "token_expired",
    "rejected_by_server",
    "setting_proxy_server",
    "renew_token",
    "client_ip_address_changed",
    "keep_alive_timeout",
)
"""``CONNECTION_CHANGED_*`` names by value (0..14)."""

_USER_OFFLINE_REASONS = ("quit", "dropped", "become_audience")
"""``USER_OFFLINE_*`` names by value (0..2)."""


def connection_state(code: object) -> ConnectionState:
    """The state for an SDK state code; unknown codes count as FAILED."""
    if isinstance(code, int) and code in CONNECTION_STATES:
        return CONNECTION_STATES[code]
    return ConnectionState.FAILED


def connection_reason(code: object) -> str:
    """The name of a ``CONNECTION_CHANGED_*`` code (``"reason_<n>"`` when unknown)."""
    return _name(code, _CONNECTION_REASONS)


def user_offline_reason(code: object) -> str:
    """The name of a ``USER_OFFLINE_*`` code (``"reason_<n>"`` when unknown)."""
    return _name(code, _USER_OFFLINE_REASONS)


def _name(code: object, names: tuple[str, ...]) -> str:
    if isinstance(code, int) and 0 <= code < len(names):
        return names[code]
    return f"reason_{code}"
