"""Failures an emulator can be told to produce, so clients can be tested against them.

`Faults` is a plain mutable record: a test flips a field (``emu.faults.force_429 = 2``)
and the next requests misbehave accordingly.  The API-side faults (latency, server
errors, forced 429) are applied by the middleware built by `api_fault_middleware`;
the PubNub-side faults (stalled and dropped long-polls) are read by the PubNub hub.
"""

from __future__ import annotations

import asyncio
import random

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

API_PREFIX = "/api/"


@attrs.define(kw_only=True)
class Faults:
    """What should go wrong right now; every field at its default means "nothing"."""

    latency: float = 0.0
    """Seconds added before every API response."""
    error_rate: float = 0.0
    """Fraction (0..1) of API requests answered with 500, 502 or 503 and a JSON body."""
    force_429: int = 0
    """The next N API requests are answered 429 with a Retry-After header."""
    retry_after: float = 1.0
    """Seconds announced in Retry-After by forced 429 answers."""
    stall_polls: float = 0.0
    """While above 0, each long-poll that arrives is held this many seconds, then answered
    with no messages (its cursor unchanged), whatever is waiting for it."""
    drop_polls: int = 0
    """The next N long-polls (not handshakes) get their connection closed without a response."""

    def reset(self) -> None:
        """Turn every fault off."""
        self.latency = 0.0
        self.error_rate = 0.0
        self.force_429 = 0
        self.retry_after = 1.0
        self.stall_polls = 0.0
        self.drop_polls = 0

    def take_forced_429(self) -> bool:
        """Consume one forced 429, telling whether this request gets it."""
        if self.force_429 <= 0:
            return False
        self.force_429 -= 1
        return True

    def take_dropped_poll(self) -> bool:
        """Consume one dropped long-poll, telling whether this poll gets dropped."""
        if self.drop_polls <= 0:
            return False
        self.drop_polls -= 1
        return True


def retry_after_header(seconds: float) -> str:
    """Retry-After carries whole seconds; round up so clients never come back too early."""
    whole = int(seconds)
    if whole < seconds:
        whole += 1
    return str(max(whole, 1))


def too_many_requests(retry_after: float, message: str) -> web.Response:
    """The 429 answer the Clubhouse API gives, with its Retry-After header."""
    return web.json_response(
        {"success": False, "error_message": message},
        status=429,
        headers={"Retry-After": retry_after_header(retry_after)},
    )


def api_fault_middleware(faults: Faults, *, rng: random.Random | None = None) -> Middleware:
    """Build a middleware that applies `faults` to requests whose path is under /api/.

    `rng` decides which requests hit `error_rate`; pass a seeded one for reproducible runs.
    """
    chooser = rng if rng is not None else random.Random()

    @web.middleware
    async def apply_api_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        if faults.latency > 0:
            await asyncio.sleep(faults.latency)
        if faults.take_forced_429():
            return too_many_requests(faults.retry_after, "Too many requests (injected)")
        if faults.error_rate > 0 and chooser.random() < faults.error_rate:
            status = chooser.choice((500, 502, 503))
            return web.json_response(
                {"success": False, "error_message": f"Server error {status} (injected)"},
                status=status,
            )
        return await handler(request)

    return apply_api_faults
