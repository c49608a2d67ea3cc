"""What one call may cost, and what calls did cost: timeouts, retries and their counters.

:class:`Timeout` bounds one attempt (as a whole, while connecting, between two reads),
:class:`RetryPolicy` how often and how long a call waits before sending again. What
retries and the client-side rate limit actually did is counted in one
:class:`TransportStats` per session (``session.stats``), and each retry is announced
to an optional hook as a :class:`RetryNotice`, so a bot can see how close it runs to
the service's limits. Nothing here sends anything: :mod:`aioclubhouse.transport`
applies these.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import aiohttp
import attrs

from .errors import InvalidArgumentError

__all__ = [
    "DEFAULT_TIMEOUT",
    "RetryHook",
    "RetryNotice",
    "RetryPolicy",
    "RetryReason",
    "Timeout",
    "TransportStats",
]

DEFAULT_TIMEOUT = 30.0
"""Seconds one attempt may take, from connecting to the last byte of the answer."""


def _positive_or_none(name: str) -> Callable[[Any, Any, Any], None]:
    def check(_instance: object, _attribute: object, value: object) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise InvalidArgumentError(name, "must be a number of seconds above 0, or None")

    return check


@attrs.frozen(kw_only=True)
class Timeout:
    """How long one attempt may take, in seconds (``None``: no bound of that kind).

    ``total`` bounds the attempt from asking for a connection to the last byte of the
    answer; ``connect`` bounds getting a connection (waiting for a free one in the pool,
    then connecting); ``read`` bounds each wait for the next bytes of the answer, so a
    server that stalls mid-answer is given up on long before ``total``. Wherever a
    timeout is accepted, a plain number means ``Timeout(total=number)``. Every attempt
    also ends by the call's ``deadline``.
    """

    total: float | None = attrs.field(
        default=DEFAULT_TIMEOUT, validator=_positive_or_none("timeout.total")
    )
    connect: float | None = attrs.field(
        default=None, validator=_positive_or_none("timeout.connect")
    )
    read: float | None = attrs.field(default=None, validator=_positive_or_none("timeout.read"))

    @classmethod
    def of(cls, value: float | Timeout) -> Timeout:
        """``value`` as a :class:`Timeout`: a number of seconds bounds the whole attempt."""
        if isinstance(value, Timeout):
            return value
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise InvalidArgumentError("timeout", "must be more than 0 seconds, or a Timeout")
        return cls(total=float(value))

    def for_attempt(self, remaining: float) -> aiohttp.ClientTimeout:
        """aiohttp's per-request timeout for one attempt with ``remaining`` s of deadline."""
        total = remaining if self.total is None else min(self.total, remaining)
        return aiohttp.ClientTimeout(total=total, connect=self.connect, sock_read=self.read)


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """Bounded, jittered exponential backoff.

    ``max_retry_after`` caps how long the SDK will sleep for a server's
    ``Retry-After``; a longer wait raises :class:`RateLimitedError` instead.
    """

    max_retries: int = 3
    """Retries after the first attempt (0: none)."""
    base_delay: float = 0.5
    """Ceiling of the first backoff, in seconds; it doubles per retry."""
    max_delay: float = 8.0
    """The largest backoff ceiling, in seconds."""
    max_retry_after: float = 30.0

    def __attrs_post_init__(self) -> None:
        if self.max_retries < 0:
            raise InvalidArgumentError("retry.max_retries", "must be 0 or more")
        if self.base_delay < 0 or self.max_delay < 0:
            raise InvalidArgumentError("retry.base_delay", "delays must be 0 or more")

    def backoff(self, attempt: int) -> float:
        """Full-jitter delay before retry number ``attempt`` (0-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)


RetryReason = str
"""Why a request is sent again: ``"rate_limited"`` (HTTP 429), ``"server_error"``
(HTTP 5xx), ``"timeout"`` or ``"connection"`` (the connection failed or broke)."""


@attrs.frozen(kw_only=True)
class RetryNotice:
    """One retry about to happen, as the ``on_retry`` hook receives it.

    ``retry`` counts from 1 and is at most ``max_retries``; ``delay`` is the wait before
    sending again (the server's ``Retry-After`` when it gave one). ``status`` is the
    HTTP status that caused it, if any. Nothing here carries a secret.
    """

    endpoint: str
    """The endpoint being retried."""
    reason: RetryReason
    """Why it is retried (a :data:`RetryReason`)."""
    retry: int
    max_retries: int
    delay: float
    status: int | None = None
    retry_after: float | None = None
    """The server's ``Retry-After`` in seconds, when it sent one."""

    def describe(self) -> str:
        """One line for a log: what failed, and when it is tried again."""
        cause = self.reason.replace("_", " ")
        if self.status is not None:
            cause += f" (HTTP {self.status}"
            if self.retry_after is not None:
                cause += f", Retry-After {self.retry_after:g} s"
            cause += ")"
        return (
            f"{self.endpoint}: {cause}; retry {self.retry} of {self.max_retries} "
            f"in {self.delay:.2f} s"
        )


RetryHook = Callable[[RetryNotice], None]
"""Called before each retry's wait; an exception it raises is logged and ignored."""


@attrs.define(kw_only=True)
class TransportStats:
    """What a session's calls cost so far, counted across every view of it.

    ``requests`` counts HTTP requests sent (each retry is one more); ``retries`` the
    retries by reason (see :data:`RetryReason`) and ``retry_seconds`` the time spent
    waiting before them; ``rate_limited`` the HTTP 429 answers received and
    ``last_retry_after`` the last ``Retry-After`` one of them carried (seconds);
    ``throttled`` how many requests the client-side rate limit held back and
    ``throttled_seconds`` for how long in all.
    """

    requests: int = 0
    retries: dict[RetryReason, int] = attrs.field(factory=dict)
    retry_seconds: float = 0.0
    rate_limited: int = 0
    last_retry_after: float | None = None
    throttled: int = 0
    throttled_seconds: float = 0.0

    @property
    def total_retries(self) -> int:
        """Retries of every reason."""
        return sum(self.retries.values())
