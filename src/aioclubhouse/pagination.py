"""Paginated endpoints: ``await`` a pager for one page, ``async for`` it for every item.

The next page is fetched while the caller is still consuming the current one, and the
walk stops at ``next: null``, at ``limit`` items, or when a server hands back a page it
has already given (so a buggy server can never loop us forever).

A listing whose pages can be fetched by number alone (``by_number=True``: the
Clubhouse endpoints, which take ``page=N``) and that says how many items it has
(``count``) has its coming pages known in advance: up to :data:`PREFETCH_PAGES` of
them are fetched at once, never past the last page or past what ``limit`` needs, so
a walk takes a fraction of its pages' round trips.  A page whose ``next`` is not the
number after it drops what was fetched ahead, and the walk goes on from the ``next``
the server named.  Other listings (where a page is only known once the one before it
is back, as an offset is) fetch one page ahead.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

import attrs

from . import validation
from .redaction import get_logger

__all__ = ["PREFETCH_PAGES", "Page", "Pager"]

T = TypeVar("T")
log = get_logger("aioclubhouse.pagination")

PREFETCH_PAGES = 4
"""Pages fetched ahead at most, when the listing says they exist."""


@attrs.define(kw_only=True)
class Page(Generic[T]):
    """One page of a listing, with the service's cursor fields and the raw payload."""

    items: list[T]
    """What this page holds."""
    count: int | None = None
    """How many items the whole listing has, when the service says."""
    next: int | None = None
    """The next page's number, or None on the last page."""
    previous: int | None = None
    """The previous page's number, or None on the first."""
    page: int = 1
    raw: dict[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)


class Pager(Generic[T]):
    """A lazy listing over a paginated endpoint.

    ``await pager`` gives the first page; ``async for item in pager`` yields items
    across pages (prefetching the next page); ``pager.pages()`` yields whole pages.
    """

    def __init__(
        self,
        fetch: Callable[[int], Awaitable[Page[T]]],
        *,
        endpoint: str,
        start_page: int = 1,
        limit: int | None = None,
        prefetch: bool = True,
        by_number: bool = False,
    ) -> None:
        self._fetch = fetch
        self.endpoint = endpoint
        self.start_page = validation.page(start_page)
        """The page the listing starts at."""
        self.limit = validation.limit(limit)
        """How many items ``async for`` yields at most (None: all)."""
        self.prefetch = prefetch
        """Whether the next page is fetched while this one is being read."""
        self.by_number = by_number
        """Whether any page can be fetched by its number alone (then several at once)."""

    def __repr__(self) -> str:
        return f"Pager({self.endpoint}, start_page={self.start_page}, limit={self.limit})"

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self._fetch(self.start_page).__await__()

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Yield pages until ``next`` is null, the limit is met, or a page repeats."""
        seen: set[int] = set()
        previous_items: list[Any] | None = None
        delivered = 0
        number = self.start_page
        ahead: dict[int, asyncio.Future[Page[T]]] = {number: self._start(number)}
        size: int | None = None
        """Items per page, from the first page (pages after it are predicted with it)."""
        try:
            while True:
                pending = ahead.pop(number, None) or self._start(number)
                page = await pending
                seen.add(number)
                delivered += len(page.items)
                size = size or len(page.items)
                following = page.next
                repeated = previous_items is not None and page.items == previous_items
                if repeated:
                    log.warning("%s: page %s repeats the last one; stopping", self.endpoint, number)
                    return
                if following is not None and following in seen:
                    log.warning("%s: page %s was already seen; stopping", self.endpoint, following)
                    following = None
                if not page.items:
                    following = None
                if self.limit is not None and delivered >= self.limit:
                    following = None
                if following is None or following != number + 1:
                    self._drop(ahead)  # fetched ahead on a prediction that did not hold
                if following is not None and self.prefetch:
                    for wanted in self._pages_after(page, number, following, size, delivered):
                        if wanted not in ahead:
                            ahead[wanted] = self._start(wanted)
                yield page
                if following is None:
                    return
                previous_items = page.items
                number = following
        finally:
            await self._drop_and_wait(ahead)

    def _pages_after(
        self, page: Page[T], number: int, following: int, size: int, delivered: int
    ) -> range:
        """The pages to have in flight after ``page``: its ``next``, and while the listing
        says more exist (``count``), the ones after it, within PREFETCH_PAGES and limit."""
        if not self.by_number or page.count is None or not size or following != number + 1:
            return range(following, following + 1)
        last = -(-page.count // size)  # pages numbered from 1, `size` items each
        wanted = -(-(page.count - delivered) // size)
        if self.limit is not None:
            wanted = min(wanted, -(-(self.limit - delivered) // size))
        stop = min(following + PREFETCH_PAGES, following + max(wanted, 1), last + 1)
        return range(following, max(stop, following + 1))

    def _start(self, number: int) -> asyncio.Future[Page[T]]:
        return asyncio.ensure_future(self._fetch(number))

    @staticmethod
    def _drop(ahead: dict[int, asyncio.Future[Page[T]]]) -> None:
        for future in ahead.values():
            future.cancel()
            future.add_done_callback(_retrieve)
        ahead.clear()

    @staticmethod
    async def _drop_and_wait(ahead: dict[int, asyncio.Future[Page[T]]]) -> None:
        futures = list(ahead.values())
        ahead.clear()
        for future in futures:
            future.cancel()
        for future in futures:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await future

    async def __aiter__(self) -> AsyncIterator[T]:
        remaining = self.limit
        if remaining == 0:
            return
        pages = self.pages()
        try:
            async for page in pages:
                for item in page.items:
                    yield item
                    if remaining is not None:
                        remaining -= 1
                        if remaining == 0:
                            return
        finally:
            await pages.aclose()  # type: ignore[attr-defined]

    async def collect(self) -> list[T]:
        """Every item (up to ``limit``) as a list."""
        return [item async for item in self]


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Read the outcome of a page nobody waits for any more, so none is left unretrieved."""
    if not future.cancelled():
        future.exception()
