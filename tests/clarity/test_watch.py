"""watch_status on its own: reports changes only, and knows when to stop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from aioclubhouse.clarity import TERMINAL_STATUSES, Call, CallStatus
from aioclubhouse.clarity.watch import WatchTimeoutError, watch_status
from aioclubhouse.errors import ClubhouseTimeoutError
from aioclubhouse.models.converter import structure


def polls(*states: str | None) -> tuple[Callable[[], Coroutine[Any, Any, Call]], list[int]]:
    """A fetch returning the call in each of ``states`` in turn, and a poll counter."""
    remaining = list(states)
    count = [0]

    async def fetch() -> Call:
        count[0] += 1
        if not remaining:
            raise AssertionError("polled after the end")
        state = remaining.pop(0)
        payload: dict[str, Any] = {"id": 1}
        if state is not None:
            payload["status"] = state
        return structure(payload, Call)

    return fetch, count


async def collect(fetch: Callable[[], Coroutine[Any, Any, Call]], **kw: Any) -> list[str | None]:
    stop_at = kw.pop("stop_at", TERMINAL_STATUSES)
    return [
        call.raw_status
        async for call in watch_status(fetch, interval=0.0001, stop_at=stop_at, **kw)
    ]


async def test_repeated_states_are_reported_once() -> None:
    fetch, count = polls("pending", "pending", "dialing_seeker", "dialing_seeker", "call_completed")
    assert await collect(fetch) == ["pending", "dialing_seeker", "call_completed"]
    assert count[0] == 5


async def test_a_state_seen_again_later_is_a_new_change() -> None:
    fetch, _ = polls("pending", "dialing_seeker", "pending", "canceled")
    assert await collect(fetch) == ["pending", "dialing_seeker", "pending", "canceled"]


async def test_two_unknown_states_are_two_changes() -> None:
    fetch, _ = polls("mystery_one", "mystery_one", "mystery_two", "completed")
    assert await collect(fetch) == ["mystery_one", "mystery_two", "completed"]


async def test_an_already_finished_call_is_reported_once_and_ends() -> None:
    fetch, count = polls("canceled", "canceled")
    assert await collect(fetch) == ["canceled"]
    assert count[0] == 1


async def test_missing_status_is_a_state_too() -> None:
    fetch, _ = polls(None, None, "pending", "call_completed")
    assert await collect(fetch) == [None, "pending", "call_completed"]


async def test_custom_final_states() -> None:
    fetch, count = polls("dialing_expert", "expert_unavailable", "pending")
    assert await collect(fetch, stop_at={CallStatus.EXPERT_UNAVAILABLE}) == [
        "dialing_expert",
        "expert_unavailable",
    ]
    assert count[0] == 2


async def test_errors_end_the_stream() -> None:
    fetch, _ = polls("pending")
    with pytest.raises(AssertionError, match="polled after the end"):
        await collect(fetch)


class VirtualTime:
    """A clock that only moves when the watch sleeps, and a record of those sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def test_a_time_limit_ends_a_call_that_never_finishes() -> None:
    time = VirtualTime()
    fetch, count = polls(*["pending"] * 3, *["dialing_seeker"] * 10)
    seen: list[str | None] = []
    with pytest.raises(WatchTimeoutError) as caught:
        async for call in watch_status(
            fetch,
            interval=2.0,
            stop_at=TERMINAL_STATUSES,
            sleep=time.sleep,
            clock=time.clock,
            time_limit=7.0,
        ):
            seen.append(call.raw_status)
    # Polls at 0, 2, 4 and 6; the last wait is cut to the 1 s left, then it gives up.
    assert count[0] == 4 and time.sleeps == [2.0, 2.0, 2.0, 1.0]
    assert seen == ["pending", "dialing_seeker"]
    error = caught.value
    assert isinstance(error, TimeoutError) and isinstance(error, ClubhouseTimeoutError)
    assert error.last is not None and error.last.raw_status == "dialing_seeker"
    assert error.endpoint == "get_call"
    assert "within 7 s" in str(error) and "dialing_seeker" in str(error)


async def test_a_call_that_ends_in_time_ends_the_stream_without_error() -> None:
    time = VirtualTime()
    fetch, count = polls("pending", "dialing_seeker", "call_completed")
    statuses = [
        call.raw_status
        async for call in watch_status(
            fetch,
            interval=1.0,
            stop_at=TERMINAL_STATUSES,
            sleep=time.sleep,
            clock=time.clock,
            time_limit=60.0,
        )
    ]
    assert statuses == ["pending", "dialing_seeker", "call_completed"]
    assert count[0] == 3 and time.sleeps == [1.0, 1.0]


async def test_a_poll_that_hangs_is_cut_short_by_the_time_limit() -> None:
    never = asyncio.Event()

    async def hanging_fetch() -> Call:
        await never.wait()
        raise AssertionError("the hanging poll was answered")

    with pytest.raises(WatchTimeoutError) as caught:
        async for _ in watch_status(
            hanging_fetch, interval=1.0, stop_at=TERMINAL_STATUSES, time_limit=0.05
        ):
            pass
    assert caught.value.last is None and "no answer yet" in str(caught.value)


async def test_a_timeout_from_the_poll_itself_is_not_taken_for_the_time_limit() -> None:
    async def failing_fetch() -> Call:
        raise TimeoutError("the poll's own timeout")

    with pytest.raises(TimeoutError) as caught:
        async for _ in watch_status(
            failing_fetch, interval=1.0, stop_at=TERMINAL_STATUSES, time_limit=60.0
        ):
            pass
    assert not isinstance(caught.value, WatchTimeoutError)
