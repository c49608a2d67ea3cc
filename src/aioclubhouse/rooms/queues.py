"""A bounded queue that never blocks its producer: when full, the oldest item goes.

Realtime messages and audio frames arrive whether or not the program keeps up, and
the code handing them over must never wait for it.  So every consumer-facing queue
of the rooms package is a :class:`DropOldestQueue`: ``put`` always succeeds, a full
queue makes room by dropping its oldest item (``dropped`` counts them), and the last
item given to ``close`` (e.g. the ``Left`` that ends a room's events) is never
dropped.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Sequence
from typing import Generic, TypeVar

__all__ = ["DropOldestQueue"]

T = TypeVar("T")


class DropOldestQueue(Generic[T]):
    """A FIFO of at most ``maxsize`` items that makes room by dropping the oldest.

    ``put`` never blocks; ``dropped`` counts the items lost.  After ``close`` the
    consumer drains what is left and then its iteration ends.
    """

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self.dropped = 0
        self._items: deque[T] = deque()
        self._closed = False
        self._changed = asyncio.Event()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def closed(self) -> bool:
        return self._closed

    def put(self, item: T) -> bool:
        """Append, dropping the oldest item if full (then True); ignored once closed."""
        if self._closed:
            return False
        dropped = len(self._items) >= self.maxsize
        if dropped:
            self._items.popleft()
            self.dropped += 1
        self._items.append(item)
        self._changed.set()
        return dropped

    def put_many(self, items: Sequence[T]) -> int:
        """:meth:`put` each of ``items`` in order (waking the consumer once); how many
        items were dropped to make room."""
        if self._closed or not items:
            return 0
        queued = self._items
        queued.extend(items)
        dropped = len(queued) - self.maxsize
        if dropped > 0:
            for _ in range(dropped):
                queued.popleft()
            self.dropped += dropped
        self._changed.set()
        return max(dropped, 0)

    def get_nowait(self) -> T | None:
        """The oldest item, or None if there is none right now."""
        return self._items.popleft() if self._items else None

    async def wait(self) -> None:
        """Return when an item may be available, the queue closed, or :meth:`notify` ran.

        Wake-ups can be spurious: callers check again and wait again.
        """
        if self._items or self._closed:
            return
        self._changed.clear()
        await self._changed.wait()

    def notify(self) -> None:
        """Wake waiting consumers without adding an item (something else changed)."""
        self._changed.set()

    def close(self, last: T | None = None) -> None:
        """No more items will come after ``last`` (kept even when the queue is full)."""
        if self._closed:
            return
        if last is not None:
            self._items.append(last)
        self._closed = True
        self._changed.set()

    async def __aiter__(self) -> AsyncIterator[T]:
        while True:
            item = self.get_nowait()
            if item is not None:
                yield item
            elif self._closed:
                return
            else:
                await self.wait()
