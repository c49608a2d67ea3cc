"""Exit codes, and every failure said in one line of plain words.

========  =============================================================================
 code      meaning
========  =============================================================================
 0         done
 1         the service (or the network, or the audio backend) refused or failed
 2         the command line was wrong: unknown command or option, a bad value, tokens
           that would go to another host than their login's
 3         a login is needed: nobody is logged in under the profile, its file is
           damaged, or the service no longer accepts it (HTTP 401)
 130       interrupted (Ctrl-C)
========  =============================================================================

A pipe closed by the reader (``aioclubhouse listen | head -1``) ends the command
quietly with 0: the reader had what it wanted.  ``--debug`` adds the traceback.
"""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

import aiohttp

from ..errors import (
    AuthenticationError,
    BannedError,
    ClubhouseConnectionError,
    ClubhouseError,
    ClubhouseTimeoutError,
    DecodeError,
    ForbiddenError,
    InvalidArgumentError,
    RateLimitedError,
    RealtimeError,
    RoomNotAvailableError,
    ServerError,
    WaitlistedError,
)
from ..profiles import (
    DEFAULT_PROFILE,
    OtherServiceError,
    ProfileDamagedError,
    ProfileNotFoundError,
)
from ..rooms.audio import AudioError

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_LOGIN",
    "EXIT_OK",
    "EXIT_SERVICE",
    "EXIT_USAGE",
    "CliError",
    "explain",
    "login_command",
]

EXIT_OK = 0
EXIT_SERVICE = 1
EXIT_USAGE = 2
EXIT_LOGIN = 3
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A failure the command has already put into words, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_SERVICE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def login_command(profile: str = DEFAULT_PROFILE, credentials: str | None = None) -> str:
    """The command that logs in again under ``profile`` (or into ``credentials``)."""
    if credentials is not None:
        return f"aioclubhouse --credentials {credentials} login"
    if profile == DEFAULT_PROFILE:
        return "aioclubhouse login"
    return f"aioclubhouse --profile {profile} login"


def explain(
    error: BaseException, *, login_hint: str = "aioclubhouse login", service: str | None = None
) -> tuple[int, str]:
    """The exit code and the one line that say what went wrong.

    ``login_hint`` is the command that logs in again; ``service`` is the API base URL
    the command talked to (for network failures).
    """
    if isinstance(error, CliError):
        return error.code, error.message
    if isinstance(error, ProfileNotFoundError):
        return EXIT_LOGIN, f"{error.message}: run `{login_hint}`"
    if isinstance(error, ProfileDamagedError):
        return EXIT_LOGIN, f"{error.message}; `{login_hint}` replaces it with a new login"
    if isinstance(error, OtherServiceError):
        return EXIT_USAGE, (
            f"{error.message}; log in there under another --profile, "
            "or pass --allow-other-host if you mean it"
        )
    if isinstance(error, ClubhouseError):
        return _explain_service(error, login_hint=login_hint, service=service)
    if isinstance(error, OSError):
        target = f"{error.filename}: " if error.filename else ""
        return EXIT_SERVICE, f"{target}{error.strerror or error}"
    return EXIT_SERVICE, (
        f"unexpected {type(error).__name__}: {error} (--debug shows where it happened)"
    )


def _explain_service(
    error: ClubhouseError, *, login_hint: str, service: str | None
) -> tuple[int, str]:
    said = error.message
    if isinstance(error, InvalidArgumentError):
        return EXIT_USAGE, said
    if isinstance(error, AuthenticationError):
        return EXIT_LOGIN, (
            f"the service no longer accepts this login ({said}): run `{login_hint}`"
        )
    if isinstance(error, WaitlistedError):
        return EXIT_SERVICE, f"the account is still on the waitlist ({said})"
    if isinstance(error, BannedError):
        return EXIT_SERVICE, f"the service refuses this account: {said}"
    if isinstance(error, ForbiddenError):
        return EXIT_SERVICE, f"not allowed: {said}"
    if isinstance(error, RateLimitedError):
        wait = f"; try again in {error.retry_after:.0f} s" if error.retry_after else ""
        return EXIT_SERVICE, f"the service is rate limiting this account{wait}"
    if isinstance(error, RoomNotAvailableError):
        return EXIT_SERVICE, f"the room is not available: {said}"
    if isinstance(error, ServerError):
        return EXIT_SERVICE, f"the service failed (HTTP {error.status}): {said}"
    if isinstance(error, ClubhouseTimeoutError):
        return EXIT_SERVICE, f"no answer from {_where(service)} in time ({said})"
    if isinstance(error, ClubhouseConnectionError):
        return EXIT_SERVICE, f"cannot reach {_where(service)}: {_network_problem(error)}"
    if isinstance(error, DecodeError):
        return EXIT_SERVICE, f"the service's answer could not be read: {said}"
    if isinstance(error, RealtimeError):
        return EXIT_SERVICE, f"the realtime connection failed: {said}"
    if isinstance(error, AudioError):
        return EXIT_SERVICE, said
    endpoint = f"{error.endpoint}: " if error.endpoint else ""
    return EXIT_SERVICE, f"{endpoint}{said}"


def _where(service: str | None) -> str:
    if not service:
        return "the service"
    parts = urlsplit(service)
    return parts.netloc or service


def _network_problem(error: ClubhouseConnectionError) -> str:
    """What went wrong on the network, without the library's class names."""
    cause = error.__cause__
    os_error = cause.os_error if isinstance(cause, aiohttp.ClientConnectorError) else cause
    if isinstance(os_error, ConnectionRefusedError):
        return "nothing is listening there (connection refused)"
    if isinstance(os_error, socket.gaierror):
        return "that host name is unknown (check the address and your network)"
    if isinstance(os_error, ssl.SSLError | aiohttp.ClientSSLError):
        return "its TLS certificate was not accepted"
    if isinstance(os_error, TimeoutError):
        return "the connection timed out"
    if isinstance(cause, aiohttp.ServerDisconnectedError | ConnectionResetError):
        return "the server closed the connection"
    if isinstance(os_error, OSError) and os_error.strerror:
        return os_error.strerror.lower()
    return "the connection failed (check the address and your network)"
