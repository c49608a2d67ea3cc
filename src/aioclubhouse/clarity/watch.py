"""Following a call as it progresses, by polling ``GET /v1/calls/:id``.

The API has no push channel; its documentation says to fetch the call repeatedly.
:func:`watch_status` turns those polls into a stream of *changes*: a state is
reported once, however many polls see it. The stream ends in one of two ways, so it
never polls forever unless asked to: after a final state (completed or canceled by
default), or, when a time limit is given, with :class:`WatchTimeoutError` once that
much time has passed. States are compared as the service spelled them, so two
different unknown states are still two changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Collection

import attrs

from ..errors import ClubhouseTimeoutError
from .models import Call, CallStatus

__all__ = ["WatchTimeoutError", "watch_status"]

_NOT_YET = object()


class WatchTimeoutError(ClubhouseTimeoutError, TimeoutError):
    """The watched call did not reach a final state in time.

    Also a built-in :class:`TimeoutError`, so ``except TimeoutError`` catches it like
    ``asyncio.timeout``. ``last`` is the call as last seen (``None`` if no poll
    finished).
    """

    def __init__(self, message: str, *, last: Call | None) -> None:
        super().__init__(message, endpoint="get_call")
        self.last = last


def _spelling(call: Call) -> object:
    if call.raw_status is not None:
        return call.raw_status
    return call.status


async def watch_status(
    fetch: Callable[[], Awaitable[Call]],
    *,
    interval: float,
    stop_at: Collection[CallStatus],
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    time_limit: float | None = None,
    clock: Callable[[], float] | None = None,
) -> AsyncIterator[Call]:
    """Yield the call each time its status changes; stop after one in ``stop_at``.

    The first poll is always reported. Errors from ``fetch`` end the stream (the
    transport has already retried what was safe to retry). ``sleep`` waits between
    polls. ``time_limit`` (seconds, counted by ``clock`` from the first step of the
    iteration, the event loop's clock by default) bounds the whole watch, polls and
    the caller's own time between changes included; when it runs out,
    :class:`WatchTimeoutError` is raised, also in the middle of a poll.
    """
    now = clock or asyncio.get_running_loop().time
    deadline = (
        None
        if time_limit is None
        else _Deadline(seconds=time_limit, at=now() + time_limit, now=now)
    )
    last: object = _NOT_YET
    seen: Call | None = None
    while True:
        seen = call = await _poll(fetch, deadline, seen)
        spelling = _spelling(call)
        if spelling != last:
            last = spelling
            yield call
        if call.status is not None and call.status in stop_at:
            return
        pause = interval
        if deadline is not None:
            pause = min(interval, deadline.remaining(seen))
        await sleep(pause)


@attrs.frozen(kw_only=True)
class _Deadline:
    """When a watch gives up, and the error it gives up with."""

    seconds: float
    at: float
    now: Callable[[], float]

    def remaining(self, seen: Call | None) -> float:
        """Seconds left; raises :class:`WatchTimeoutError` when there are none."""
        left = self.at - self.now()
        if left <= 0:
            raise self.expired(seen)
        return left

    def expired(self, seen: Call | None) -> WatchTimeoutError:
        what = "the call" if seen is None else f"call {seen.id}"
        where = "no answer yet" if seen is None else f"last status {_spelling(seen)!s}"
        return WatchTimeoutError(
            f"{what} did not reach a final state within {self.seconds:g} s ({where})",
            last=seen,
        )


async def _poll(
    fetch: Callable[[], Awaitable[Call]], deadline: _Deadline | None, seen: Call | None
) -> Call:
    """One fetch, cut short when the deadline (if any) passes."""
    if deadline is None:
        return await fetch()
    scope = asyncio.timeout(deadline.remaining(seen))
    try:
        async with scope:
            return await fetch()
    except TimeoutError:
        if scope.expired():
            raise deadline.expired(seen) from None
        raise
