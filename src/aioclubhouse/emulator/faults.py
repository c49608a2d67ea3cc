"""Failures an emulator can be told to produce, so clients can be tested against them.

`Faults` is the one declaration of every fault and of its "nothing goes wrong"
default: a test flips a field (``emu.faults.force_429 = 2``) and the next requests
misbehave accordingly; `Faults.reset` puts back the declared defaults.  Each protocol
applies them at one point: the API through the middleware `api_fault_middleware`
builds, PubNub through `Faults.next_poll_fault`, which the hub asks once for every
long-poll.
"""

from __future__ import annotations

import asyncio
import enum
import random
from typing import Any

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

API_PREFIX = "/api/"


def _non_negative_number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ValueError(f"Faults.{attribute.name} must be a number >= 0, not {value!r}")


def _non_negative_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"Faults.{attribute.name} must be a whole number >= 0, not {value!r}")


def _fraction(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _non_negative_number(instance, attribute, value)
    if value > 1:
        raise ValueError(f"Faults.{attribute.name} must be between 0 and 1, not {value!r}")


class PollFault(enum.Enum):
    """What happens to one long-poll."""

    NONE = "answered normally"
    DROP = "connection closed without an answer"
    STALL = "held for `stall_polls` seconds, then answered with nothing"


@attrs.define(kw_only=True)
class Faults:
    """What should go wrong right now; every field at its default means "nothing".

    Values are checked when set: a negative count or a fractional Retry-After raises
    ValueError at once rather than silently meaning something else.
    """

    latency: float = attrs.field(default=0.0, validator=_non_negative_number)
    """Seconds added before every API response."""
    error_rate: float = attrs.field(default=0.0, validator=_fraction)
    """Fraction (0..1) of API requests answered with 500, 502 or 503 and a JSON body."""
    force_429: int = attrs.field(default=0, validator=_non_negative_int)
    """The next N API requests are answered 429 with a Retry-After header."""
    retry_after: int = attrs.field(default=1, validator=_non_negative_int)
    """Whole seconds announced in Retry-After by forced 429 answers, as servers send
    them; 0 tells the client to retry at once."""
    stall_polls: float = attrs.field(default=0.0, validator=_non_negative_number)
    """While above 0, each long-poll that arrives is held this many seconds, then answered
    with no messages (its cursor unchanged), whatever is waiting for it."""
    drop_polls: int = attrs.field(default=0, validator=_non_negative_int)
    """The next N long-polls (not handshakes) get their connection closed without a response."""

    def reset(self) -> None:
        """Turn every fault off: each field back to its declared default."""
        defaults = Faults()
        for field in attrs.fields(Faults):
            setattr(self, field.name, getattr(defaults, field.name))

    def take_forced_429(self) -> bool:
        """Consume one forced 429, telling whether this request gets it."""
        if self.force_429 <= 0:
            return False
        self.force_429 -= 1
        return True

    def next_poll_fault(self) -> PollFault:
        """The fault for the long-poll that just arrived (a drop is consumed by it)."""
        if self.drop_polls > 0:
            self.drop_polls -= 1
            return PollFault.DROP
        if self.stall_polls > 0:
            return PollFault.STALL
        return PollFault.NONE


def too_many_requests(retry_after: int, message: str) -> web.Response:
    """The 429 answer the Clubhouse API gives, with its Retry-After header (whole seconds)."""
    return web.json_response(
        {"success": False, "error_message": message},
        status=429,
        headers={"Retry-After": str(retry_after)},
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
