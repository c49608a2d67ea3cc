"""Refusals the world gives, and the HTTP answer each becomes.

The world raises these from its rules (a listener trying to mute someone, a room
that ended); the API layer turns them into the service's JSON bodies, so the same
rule holds whether a client or the simulated activity asked.
"""

from __future__ import annotations

from typing import Any

ROOM_GONE = "That room is no longer available 👋🏼\nTry starting a new one instead?"
WAITLISTED = "Your account is waitlisted. Please contact us if this is in error."
THROTTLED = (
    "Our systems have detected high usage of this feature from your account. "
    "Please try again later."
)


class WorldError(Exception):
    """A request the service refuses: HTTP 400 ``{"success": false, "error_message"}``.

    A few refusals are answered differently (the login flow says "no" with HTTP 200
    and extra fields such as ``number_of_attempts_remaining``): `status` and `extra`
    carry that.
    """

    status = 400

    def __init__(
        self, message: str, *, status: int | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.extra: dict[str, Any] = extra or {}


class RoomUnavailable(WorldError):
    """The room ended, never existed, or is not open to this user."""

    def __init__(self, message: str = ROOM_GONE) -> None:
        super().__init__(message)


class NotAllowed(WorldError):
    """The user may not do this (not a moderator, not a club admin...): HTTP 403."""

    status = 403
