"""Following a call as it progresses, by polling ``GET /v1/calls/:id``.

The API has no push channel; its documentation says to fetch the call repeatedly.
:func:`watch_status` turns those polls into a stream of *changes*: a state is
reported once, however many polls see it, and the stream ends at a final state.
States are compared as the service spelled them, so two different unknown states
are still two changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Collection

from .models import Call, CallStatus

__all__ = ["watch_status"]

_NOT_YET = object()


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
) -> AsyncIterator[Call]:
    """Yield the call each time its status changes; stop after one in ``stop_at``.

    The first poll is always reported. Errors from ``fetch`` end the stream (the
    transport has already retried what was safe to retry). ``sleep`` waits between
    polls.
    """
    last: object = _NOT_YET
    while True:
        call = await fetch()
        spelling = _spelling(call)
        if spelling != last:
            last = spelling
            yield call
        if call.status is not None and call.status in stop_at:
            return
        await sleep(interval)
