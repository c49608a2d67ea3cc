"""A client-side token bucket, on by default, because bursts get accounts banned."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import attrs

from .errors import InvalidArgumentError

__all__ = ["RateLimit", "TokenBucket"]


@attrs.frozen(kw_only=True)
class RateLimit:
    """At most ``per_second`` requests on average, with bursts of up to ``burst``."""

    per_second: float = 5.0
    burst: int = 10

    def __attrs_post_init__(self) -> None:
        if not self.per_second > 0:
            raise InvalidArgumentError("rate_limit.per_second", "must be greater than 0")
        if self.burst < 1:
            raise InvalidArgumentError("rate_limit.burst", "must be at least 1")


class TokenBucket:
    """Hands out send slots at a steady rate; callers wait (fairly, in order) for one.

    ``sleep`` and ``clock`` are the waiting and the time it reads; tests pass their own.
    """

    def __init__(
        self,
        limit: RateLimit,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self._sleep = sleep
        self._clock = clock
        self._tokens = float(limit.burst)
        self._stamp = clock()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(
            float(self.limit.burst), self._tokens + (now - self._stamp) * self.limit.per_second
        )
        self._stamp = now

    async def acquire(self) -> float:
        """Take a slot; the seconds this caller slept for it (0.0 when one was free).

        Callers queue in order and each sleeps for its own slot, so the sums of these
        are the time the limit held requests back.
        """
        async with self._lock:
            self._refill()
            waited = 0.0
            if self._tokens < 1.0:
                waited = (1.0 - self._tokens) / self.limit.per_second
                await self._sleep(waited)
                self._refill()
            self._tokens -= 1.0
        return waited
