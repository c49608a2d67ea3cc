"""Pager behaviour: one page on await, items across pages, prefetch, limit, loop guards."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.pagination import PREFETCH_PAGES, Page, Pager


def numbered_pages(
    total: int, size: int, log: list[int] | None = None
) -> Callable[[int], asyncio.Future[Page[int]]]:
    """A fake endpoint serving ``total`` items, ``size`` per page, recording each fetch."""

    async def fetch(number: int) -> Page[int]:
        if log is not None:
            log.append(number)
        await asyncio.sleep(0)
        start = (number - 1) * size
        items = list(range(start, min(start + size, total)))
        last = start + size >= total
        return Page(
            items=items,
            count=total,
            next=None if last else number + 1,
            previous=number - 1 or None,
            page=number,
        )

    return fetch  # type: ignore[return-value]


async def test_await_gives_the_first_page() -> None:
    page = await Pager(numbered_pages(25, 10), endpoint="x")
    assert page.items == list(range(10)) and page.next == 2 and page.count == 25


async def test_iterates_every_item_and_stops_at_next_null() -> None:
    fetched: list[int] = []
    items = [i async for i in Pager(numbered_pages(25, 10, fetched), endpoint="x")]
    assert items == list(range(25))
    assert fetched == [1, 2, 3]


async def test_pages_yields_whole_pages() -> None:
    pages = [p async for p in Pager(numbered_pages(25, 10), endpoint="x").pages()]
    assert [len(p) for p in pages] == [10, 10, 5]
    assert [p.page for p in pages] == [1, 2, 3]


async def test_limit_stops_early_and_fetches_no_more_than_needed() -> None:
    fetched: list[int] = []
    items = [i async for i in Pager(numbered_pages(1000, 10, fetched), endpoint="x", limit=15)]
    assert items == list(range(15))
    assert fetched == [1, 2]


async def test_limit_zero_fetches_nothing() -> None:
    fetched: list[int] = []
    assert [i async for i in Pager(numbered_pages(10, 5, fetched), endpoint="x", limit=0)] == []
    assert fetched == []


async def test_next_page_is_prefetched_while_the_current_is_consumed() -> None:
    started: list[int] = []
    release = {n: asyncio.Event() for n in range(1, 4)}

    async def fetch(number: int) -> Page[int]:
        started.append(number)
        await release[number].wait()
        return Page(items=[number], next=number + 1 if number < 3 else None, page=number)

    release[1].set()
    seen_during_consumption: list[list[int]] = []
    pager = Pager(fetch, endpoint="x")
    async for item in pager:
        await asyncio.sleep(0)  # let the prefetch task start
        seen_during_consumption.append(list(started))
        release[item + 1 if item < 3 else 3].set()
    # While item 1 was being handled, page 2 had already been requested.
    assert seen_during_consumption[0] == [1, 2]
    assert seen_during_consumption[1] == [1, 2, 3]


async def test_server_repeating_next_cannot_loop_forever() -> None:
    fetched: list[int] = []

    async def fetch(number: int) -> Page[int]:
        fetched.append(number)
        return Page(items=[number], next=1, page=number)  # always points back at page 1

    items = [i async for i in Pager(fetch, endpoint="x")]
    assert items == [1]
    assert fetched == [1]


async def test_server_repeating_the_same_page_content_stops() -> None:
    fetched: list[int] = []

    async def fetch(number: int) -> Page[str]:
        fetched.append(number)
        return Page(items=["a", "b"], next=number + 1, page=number)  # ignores the page number

    items = [i async for i in Pager(fetch, endpoint="x")]
    assert items == ["a", "b"]
    assert len(fetched) <= 3


async def test_empty_page_with_a_next_stops() -> None:
    async def fetch(number: int) -> Page[int]:
        return Page(items=[], next=number + 1, page=number)

    assert [i async for i in Pager(fetch, endpoint="x")] == []


async def test_breaking_out_cancels_the_prefetch() -> None:
    cancelled = asyncio.Event()

    async def fetch(number: int) -> Page[int]:
        if number > 1:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                cancelled.set()
                raise
        return Page(items=[1, 2], next=number + 1, page=number)

    pager = Pager(fetch, endpoint="x")
    iterator = pager.__aiter__()
    assert await iterator.__anext__() == 1
    await asyncio.sleep(0.01)  # the prefetch of page 2 is now running
    await iterator.aclose()  # type: ignore[attr-defined]
    await asyncio.wait_for(cancelled.wait(), 2)


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(InvalidArgumentError, match="limit"):
        Pager(numbered_pages(1, 1), endpoint="x", limit=-1)
    with pytest.raises(InvalidArgumentError, match="page"):
        Pager(numbered_pages(1, 1), endpoint="x", start_page=0)


def counted_pages(
    total: int, size: int, in_flight: list[int], fetched: list[int]
) -> Callable[[int], asyncio.Future[Page[int]]]:
    """Pages that take a moment each, noting how many were being fetched at once."""
    busy = 0

    async def fetch(number: int) -> Page[int]:
        nonlocal busy
        fetched.append(number)
        busy += 1
        in_flight.append(busy)
        try:
            for _ in range(3):
                await asyncio.sleep(0)
        finally:
            busy -= 1
        start = (number - 1) * size
        items = list(range(start, min(start + size, total)))
        last = start + size >= total
        return Page(items=items, count=total, next=None if last else number + 1, page=number)

    return fetch  # type: ignore[return-value]


async def test_a_counted_listing_is_fetched_several_pages_at_once() -> None:
    in_flight: list[int] = []
    fetched: list[int] = []
    pager = Pager(counted_pages(100, 10, in_flight, fetched), endpoint="x", by_number=True)
    items = [i async for i in pager]
    assert items == list(range(100))
    assert sorted(fetched) == list(range(1, 11))  # every page once, none past the last
    assert max(in_flight) == PREFETCH_PAGES


async def test_fetching_ahead_stops_at_what_the_limit_needs() -> None:
    in_flight: list[int] = []
    fetched: list[int] = []
    pager = Pager(
        counted_pages(1000, 10, in_flight, fetched), endpoint="x", limit=25, by_number=True
    )
    assert [i async for i in pager] == list(range(25))
    assert sorted(fetched) == [1, 2, 3]


async def test_a_next_that_skips_drops_the_pages_fetched_ahead() -> None:
    fetched: list[int] = []

    async def fetch(number: int) -> Page[int]:
        fetched.append(number)
        await asyncio.sleep(0)
        following = {1: 2, 2: 7, 7: 8}.get(number)  # page 2 says the next is 7
        return Page(items=[number], count=100, next=following, page=number)

    assert [i async for i in Pager(fetch, endpoint="x", by_number=True)] == [1, 2, 7, 8]
    assert fetched[:2] == [1, 2] and 7 in fetched and 8 in fetched


async def test_without_a_count_only_the_next_page_is_fetched_ahead() -> None:
    in_flight: list[int] = []
    started: list[int] = []

    async def fetch(number: int) -> Page[int]:
        started.append(number)
        in_flight.append(len(started) - len(done))
        await asyncio.sleep(0)
        done.append(number)
        return Page(items=[number], next=number + 1 if number < 6 else None, page=number)

    done: list[int] = []
    assert [i async for i in Pager(fetch, endpoint="x")] == [1, 2, 3, 4, 5, 6]
    assert max(in_flight) == 1 and started == [1, 2, 3, 4, 5, 6]


async def test_a_listing_not_fetched_by_number_alone_is_fetched_one_page_ahead() -> None:
    in_flight: list[int] = []
    fetched: list[int] = []
    items = [i async for i in Pager(counted_pages(100, 10, in_flight, fetched), endpoint="x")]
    assert items == list(range(100)) and fetched == list(range(1, 11))
    assert max(in_flight) == 1
