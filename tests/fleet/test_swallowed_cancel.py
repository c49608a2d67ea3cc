"""A worker's background loops stop when told to, even when nats-py swallows the cancel.

nats-py catches a cancellation that arrives while it publishes and returns normally; a
heartbeat loop that went on after such a call kept a stopping worker alive until it was
killed.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from aioclubhouse.fleet.lease import stop_if_cancelled


async def call_that_swallows_cancellation() -> None:
    with contextlib.suppress(asyncio.CancelledError):  # as nats-py does around a flush
        await asyncio.sleep(3600)


async def test_a_loop_whose_call_swallowed_the_cancel_stops() -> None:
    calls = 0

    async def loop() -> None:
        nonlocal calls
        while True:
            calls += 1
            await call_that_swallows_cancellation()
            stop_if_cancelled()

    task = asyncio.create_task(loop())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)
    assert calls == 1


def test_outside_a_cancelled_task_nothing_happens() -> None:
    async def quiet() -> str:
        stop_if_cancelled()
        return "went on"

    assert asyncio.run(quiet()) == "went on"
