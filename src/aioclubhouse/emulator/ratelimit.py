"""Per-client request rate limit of the emulated API, as a token bucket.

A client is its API token when it sends one (``Authorization: Token ...`` or
``Bearer ...``), its remote address before it has logged in.  Each client may make
`rate_limit_burst` requests at once and `rate_limit_per_second` on average; beyond
that it is answered 429 with a Retry-After header, like the real service.  The limits
are read from the config on every request, so tests can change them at run time.
"""

from __future__ import annotations

import math
import time

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.faults import API_PREFIX, too_many_requests

MAX_TRACKED_CLIENTS = 10_000
"""Beyond this many buckets, the ones that are full again are forgotten."""


@attrs.define(kw_only=True)
class TokenBucket:
    """Tokens refill continuously at `rate` per second up to `burst`; a request takes one."""

    tokens: float
    updated: float

    def take(self, now: float, rate: float, burst: int) -> float:
        """Take a token; return 0 on success, else the seconds until one is available."""
        self.tokens = min(float(burst), self.tokens + (now - self.updated) * rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / rate

    def is_full(self, now: float, rate: float, burst: int) -> bool:
        return self.tokens + (now - self.updated) * rate >= burst


class RateLimiter:
    """One token bucket per client; a rate of 0 or less turns the limit off."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self._buckets: dict[str, TokenBucket] = {}

    def check(self, client: str, now: float | None = None) -> float:
        """0 if `client` may make a request now, else the seconds it must wait."""
        rate = self.config.rate_limit_per_second
        burst = max(self.config.rate_limit_burst, 1)
        if rate <= 0:
            return 0.0
        moment = time.monotonic() if now is None else now
        bucket = self._buckets.get(client)
        if bucket is None:
            self._forget_idle_clients(moment, rate, burst)
            bucket = TokenBucket(tokens=float(burst), updated=moment)
            self._buckets[client] = bucket
        return bucket.take(moment, rate, burst)

    def _forget_idle_clients(self, now: float, rate: float, burst: int) -> None:
        if len(self._buckets) < MAX_TRACKED_CLIENTS:
            return
        self._buckets = {
            client: bucket
            for client, bucket in self._buckets.items()
            if not bucket.is_full(now, rate, burst)
        }


def client_key(request: web.Request) -> str:
    """Who is asking: the API token if there is one, else the remote address."""
    authorization = request.headers.get("Authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme in ("Token", "Bearer") and token.strip():
        return "token:" + token.strip()
    return "address:" + (request.remote or "unknown")


def rate_limit_middleware(limiter: RateLimiter) -> Middleware:
    """Build a middleware answering 429 to clients that exceed the limit on /api/ paths."""

    @web.middleware
    async def limit_rate(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(API_PREFIX):
            wait = limiter.check(client_key(request))
            if wait > 0:
                # Whole seconds, rounded up so that the client never comes back too early.
                retry_after = math.ceil(wait)
                return too_many_requests(retry_after, "Too many requests, please slow down")
        return await handler(request)

    return limit_rate
