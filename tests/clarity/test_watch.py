"""watch_status on its own: reports changes only, and knows when to stop."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from aioclubhouse.clarity import TERMINAL_STATUSES, Call, CallStatus
from aioclubhouse.clarity.watch import watch_status
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
