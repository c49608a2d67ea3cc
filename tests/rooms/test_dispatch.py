"""The event hub: bounded queue, handlers by class, waiters (no network)."""

from __future__ import annotations

import asyncio

import pytest

from aioclubhouse.errors import RoomClosedError
from aioclubhouse.rooms.dispatch import EventHub
from aioclubhouse.rooms.realtime_events import (
    HandLowered,
    LeaveReason,
    Left,
    RoomEvent,
    SpeakerRemoved,
    UserLeft,
)


def left(user_id: int) -> UserLeft:
    return UserLeft(channel="r", timetoken=user_id, user_id=user_id)


async def collect(hub: EventHub) -> list[RoomEvent]:
    return [event async for event in hub.events()]


async def test_events_in_order_then_the_end() -> None:
    hub = EventHub(name="test", max_queue=100)
    hub.publish([left(1), left(2)])
    hub.publish([left(3)])
    hub.close(Left(reason=LeaveReason.USER))
    events = await collect(hub)
    assert [type(e) for e in events] == [UserLeft, UserLeft, UserLeft, Left]
    assert [e.timetoken for e in events[:3]] == [1, 2, 3]


async def test_a_full_queue_drops_the_oldest_and_counts_but_keeps_the_end() -> None:
    hub = EventHub(name="test", max_queue=3)
    hub.publish(left(i) for i in range(10))
    hub.close(Left(reason=LeaveReason.ENDED))
    events = await collect(hub)
    assert [e.timetoken for e in events[:3]] == [7, 8, 9]
    assert isinstance(events[-1], Left)
    assert hub.dropped_events == 7


async def test_an_iterator_waits_for_events() -> None:
    hub = EventHub(name="test", max_queue=100)
    reader = asyncio.ensure_future(collect(hub))
    await asyncio.sleep(0)
    hub.publish([left(1)])
    await asyncio.sleep(0)
    hub.close()
    assert [e.timetoken for e in await reader] == [1]


async def test_handlers_by_class_sync_and_async_and_errors_do_not_stop_them() -> None:
    hub = EventHub(name="test", max_queue=100)
    seen: list[str] = []

    def everything(event: RoomEvent) -> None:
        seen.append(f"any:{type(event).__name__}")

    async def leaves(event: UserLeft) -> None:
        await asyncio.sleep(0)
        seen.append(f"left:{event.user_id}")

    def broken(event: RoomEvent) -> None:
        raise RuntimeError("handler bug")

    hub.on(RoomEvent, everything)
    hub.on(UserLeft, leaves)
    hub.on(UserLeft, broken)
    hub.on(RoomEvent, broken)  # registered twice: still called once per event

    hub.publish([left(1), HandLowered(user_id=5), left(2)])
    hub.close(Left(reason=LeaveReason.USER))
    await hub.drain(5.0)
    # Handlers of the most specific class run first, each in registration order.
    assert seen == [
        "left:1",
        "any:UserLeft",
        "any:HandLowered",
        "left:2",
        "any:UserLeft",
        "any:Left",
    ]
    assert hub.handler_errors == 4  # three UserLeft/HandLowered/UserLeft + Left


async def test_the_decorator_form_and_off() -> None:
    hub = EventHub(name="test", max_queue=100)
    seen: list[int] = []
    handled = asyncio.Event()

    @hub.on(UserLeft)
    def record(event: UserLeft) -> None:
        seen.append(event.user_id)
        handled.set()

    hub.publish([left(1)])
    await asyncio.wait_for(handled.wait(), 5)  # the handler ran: only now is it taken off
    hub.off(UserLeft, record)
    hub.publish([left(2)])
    hub.close()
    await hub.drain(5.0)
    assert seen == [1]


async def test_wait_for_with_a_check() -> None:
    hub = EventHub(name="test", max_queue=100)
    waiting = asyncio.ensure_future(hub.wait_for(UserLeft, check=lambda e: e.user_id == 2))
    await asyncio.sleep(0)
    hub.publish([SpeakerRemoved(user_id=2), left(1), left(2), left(3)])
    found = await waiting
    assert found.user_id == 2


async def test_wait_for_times_out_and_ends_with_the_stream() -> None:
    hub = EventHub(name="test", max_queue=100)
    with pytest.raises(TimeoutError):
        await hub.wait_for(UserLeft, timeout=0.01)
    waiting = asyncio.ensure_future(hub.wait_for(UserLeft))
    final = asyncio.ensure_future(hub.wait_for(Left))
    await asyncio.sleep(0)
    hub.close(Left(reason=LeaveReason.REMOVED))
    with pytest.raises(RoomClosedError):
        await waiting
    assert (await final).reason is LeaveReason.REMOVED
    with pytest.raises(RoomClosedError):
        await hub.wait_for(UserLeft)


async def test_a_failing_check_fails_the_wait() -> None:
    hub = EventHub(name="test", max_queue=100)

    def check(event: UserLeft) -> bool:
        raise ValueError("bad check")

    waiting = asyncio.ensure_future(hub.wait_for(UserLeft, check=check))
    await asyncio.sleep(0)
    hub.publish([left(1)])
    with pytest.raises(ValueError, match="bad check"):
        await waiting


async def test_a_stuck_handler_is_cancelled_by_drain() -> None:
    hub = EventHub(name="test", max_queue=100)
    release = asyncio.Event()

    async def stuck(event: RoomEvent) -> None:
        await release.wait()

    hub.on(RoomEvent, stuck)
    hub.publish([left(1)])
    hub.close()
    await hub.drain(0.05)
    assert not release.is_set()
