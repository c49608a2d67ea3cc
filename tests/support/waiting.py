"""Waiting, in tests, for something to become true.

Tests never sleep to order events: they wait for the state that shows the event
happened (a message received, a poll open, a counter moved).  `until` is the one
way to do that when no awaitable signal exists; the limit only ends a test that is
already failing, it never decides an outcome.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

WAIT_LIMIT = 20.0
"""Seconds after which a wait fails the test: only reached when something is broken."""
CHECK_INTERVAL = 0.01
"""Seconds between two looks at the condition."""


async def until(
    condition: Callable[[], bool], *, what: str = "the condition", limit: float = WAIT_LIMIT
) -> None:
    """Return once `condition()` holds; fail the test naming `what` if it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(CHECK_INTERVAL)
