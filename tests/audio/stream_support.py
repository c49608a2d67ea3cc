"""Bounded reading of a backend's streams: every wait here ends on its own."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

T = TypeVar("T")

WITHIN = 20.0
"""Seconds any single collection may take before the test fails (never a measurement)."""


async def take(
    stream: AsyncIterator[T],
    *,
    count: int | None = None,
    until: Callable[[T], bool] | None = None,
    keep: Callable[[T], bool] = lambda _item: True,
) -> list[T]:
    """Items ``keep`` accepts, until ``count`` were kept, ``until`` matched or the stream ended."""
    kept: list[T] = []
    async with asyncio.timeout(WITHIN), contextlib.aclosing(stream) as items:  # type: ignore[type-var]
        async for item in items:
            if keep(item):
                kept.append(item)
            if (count is not None and len(kept) >= count) or (until is not None and until(item)):
                break
    return kept
