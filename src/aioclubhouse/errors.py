"""The exception tree: every failure the SDK raises is a ``ClubhouseError``.

Each API error carries the HTTP status, the endpoint that failed and the server's own
message (``error_message`` or ``detail``), so a caller can branch on the type and still
show the user what the service said.

An error never carries a secret: its message and body are scrubbed when it is made, of
every secret held in :data:`~aioclubhouse.redaction.live_secrets` and of every value
under a credential key, and :meth:`ClubhouseError.scrub_secrets` removes more (the ones
a request was sent with).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from typing import Any

from .redaction import live_secrets, scrub, scrub_payload

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "BannedError",
    "ClubhouseConnectionError",
    "ClubhouseError",
    "ClubhouseTimeoutError",
    "CredentialsNotFoundError",
    "DecodeError",
    "ForbiddenError",
    "InvalidArgumentError",
    "NotFoundError",
    "RateLimitedError",
    "RealtimeError",
    "ResponseTooLargeError",
    "RoomClosedError",
    "RoomNotAvailableError",
    "ServerError",
    "SessionClosedError",
    "TokenExpiredError",
    "UnexpectedRedirectError",
    "WaitlistedError",
]


class ClubhouseError(Exception):
    """Root of every error raised by aioclubhouse."""

    def __init__(
        self,
        message: str,
        *,
        endpoint: str | None = None,
        status: int | None = None,
        body: Any = None,
    ) -> None:
        message = live_secrets.scrub(message)
        super().__init__(message)
        self.message = message
        """What went wrong, secrets cut out."""
        self.endpoint = endpoint
        """The endpoint called, when the error comes from a call."""
        self.status = status
        """The HTTP status of the answer, when there was one."""
        self.body = None if body is None else scrub_payload(body)
        """The decoded answer, secrets cut out, when there was one."""

    def scrub_secrets(self, secrets: Iterable[str | None]) -> None:
        """Cut ``secrets`` (and whatever is held now) out of the message and the body."""
        named = tuple(secrets)
        self.message = live_secrets.scrub(scrub(self.message, named))
        self.args = (self.message, *self.args[1:])
        if self.body is not None:
            self.body = scrub_payload(self.body, named)

    def __str__(self) -> str:
        parts = []
        if self.endpoint is not None:
            parts.append(self.endpoint)
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        prefix = f"[{' '.join(parts)}] " if parts else ""
        return f"{prefix}{self.message}"


class InvalidArgumentError(ClubhouseError, ValueError):
    """A value given to the SDK was rejected before anything was sent."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        """The argument that was rejected (``credentials.user_id``, ``timeout``, ...)."""


class CredentialsNotFoundError(FileNotFoundError, InvalidArgumentError):
    """No credentials file where one was looked for.

    A ``FileNotFoundError`` (``filename`` is the path) and a :class:`ClubhouseError`;
    the message names the path and how to create the file. It is also the
    :class:`InvalidArgumentError` (``field="path"``) a missing file used to raise, so
    code that caught that keeps working.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        problem = (
            f"no credentials file at {self.path}: log in first with 'aioclubhouse login' "
            "(or call save_credentials() after logging in)"
        )
        FileNotFoundError.__init__(self, errno.ENOENT, problem, self.path)
        InvalidArgumentError.__init__(self, "path", problem)
        self.message = problem

    def __str__(self) -> str:
        return self.message


class APIError(ClubhouseError):
    """The service answered, and the answer was an error."""


class BadRequestError(APIError):
    """HTTP 400, or a 200 carrying ``{"success": false}``."""


class RoomNotAvailableError(BadRequestError):
    """The room is gone (ended, private, or never existed)."""


class WaitlistedError(APIError):
    """The account is still on the waitlist and may not do this yet."""


class AuthenticationError(APIError):
    """HTTP 401: missing, wrong or revoked credentials."""


class TokenExpiredError(AuthenticationError):
    """HTTP 401 with ``code: token_not_valid``: the JWT access token expired."""


class ForbiddenError(APIError):
    """HTTP 403: the account may not perform this action."""


class BannedError(ForbiddenError):
    """HTTP 403 with the service's blanket refusal: the account is blocked or banned."""


class NotFoundError(APIError):
    """HTTP 404: no such endpoint or object."""


class RateLimitedError(APIError):
    """HTTP 429, or a client-side wait that would have been longer than allowed."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        endpoint: str | None = None,
        status: int | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message, endpoint=endpoint, status=status, body=body)
        self.retry_after = retry_after
        """Seconds the server asked to wait (``Retry-After``), when it said."""


class ServerError(APIError):
    """HTTP 5xx: the service failed."""


class UnexpectedRedirectError(APIError):
    """The service answered with a redirect (3xx), which the SDK never follows.

    The APIs never redirect; following one would re-send the request (its body may hold
    a refresh token or a login code) to wherever the answer points. ``location`` is
    where it pointed, scrubbed of secrets.
    """

    def __init__(
        self,
        message: str,
        *,
        location: str | None,
        endpoint: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, endpoint=endpoint, status=status)
        self.location = None if location is None else live_secrets.scrub(location)

    def scrub_secrets(self, secrets: Iterable[str | None]) -> None:
        named = tuple(secrets)
        super().scrub_secrets(named)
        if self.location is not None:
            self.location = live_secrets.scrub(scrub(self.location, named))


class DecodeError(ClubhouseError):
    """The response was not JSON, or not the shape the endpoint returns."""


class ResponseTooLargeError(DecodeError):
    """The answer's body was longer than the limit (``max_body_bytes``); reading stopped there.

    The limit counts the bytes after decompression, so a small compressed answer that
    inflates past it is refused too.
    """

    def __init__(
        self,
        message: str,
        *,
        limit: int,
        endpoint: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, endpoint=endpoint, status=status)
        self.limit = limit


class ClubhouseConnectionError(ClubhouseError):
    """The request could not reach the service or the connection broke."""


class ClubhouseTimeoutError(ClubhouseConnectionError):
    """The request took longer than the configured timeout."""


class SessionClosedError(ClubhouseError):
    """The session was closed; a closed session cannot send anything."""


class RealtimeError(ClubhouseError):
    """The realtime (PubNub) connection failed in a way that cannot be recovered."""


class RoomClosedError(ClubhouseError):
    """The room (or event stream) was left before the awaited event arrived."""
