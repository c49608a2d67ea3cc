"""Paginated endpoints: ``await`` a pager for one page, ``async for`` it for every item.

The next page is fetched while the caller is still consuming the current one, and the
walk stops at ``next: null``, at ``limit`` items, or when a server hands back a page it
has already given (so a buggy server can never loop us forever).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

import attrs

from . import validation
from .redaction import get_logger

__all__ = ["Page", "Pager"]

T = TypeVar("T")
log = get_logger("aioclubhouse.pagination")


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
    ) -> None:
        self._fetch = fetch
        self.endpoint = endpoint
        self.start_page = validation.page(start_page)
        """The page the listing starts at."""
        self.limit = validation.limit(limit)
        """How many items ``async for`` yields at most (None: all)."""
        self.prefetch = prefetch
        """Whether the next page is fetched while this one is being read."""

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
        pending: asyncio.Future[Page[T]] | None = asyncio.ensure_future(self._fetch(number))
        try:
            while pending is not None:
                page = await pending
                pending = None
                seen.add(number)
                delivered += len(page.items)
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
                if following is not None and self.prefetch:
                    pending = asyncio.ensure_future(self._fetch(following))
                yield page
                if following is None:
                    return
                previous_items = page.items
                number = following
                if pending is None:
                    pending = asyncio.ensure_future(self._fetch(number))
        finally:
            if pending is not None:
                pending.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await pending

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
