"""Waiting, in tests, for something to become true.

Tests never sleep to order events: they wait for the signal that shows the event
happened.  `signalled` awaits a signal the code under test gives (such as
``hub.wait_for_parked_polls()``); `until` watches for a state (a message received, a
counter moved) where no such signal exists.  Their limit only ends a test that is
already failing, it never decides an outcome.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

WAIT_LIMIT = 20.0
"""Seconds after which a wait fails the test: only reached when something is broken."""
CHECK_INTERVAL = 0.01
"""Seconds between two looks at the condition."""


async def until(
    condition: Callable[[], bool | Awaitable[bool]],
    *,
    what: str = "the condition",
    limit: float = WAIT_LIMIT,
) -> None:
    """Return once `condition()` holds; fail the test naming `what` if it never does.

    The condition may be a coroutine function (to look through HTTP, say).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        outcome = condition()
        if inspect.isawaitable(outcome):
            outcome = await outcome
        if outcome:
            return
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(CHECK_INTERVAL)


async def signalled(signal: Awaitable[T], *, what: str, limit: float = WAIT_LIMIT) -> T:
    """Await `signal`; fail the test naming `what` if it does not come."""
    try:
        async with asyncio.timeout(limit):
            return await signal
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None
