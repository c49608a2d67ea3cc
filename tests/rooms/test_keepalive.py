"""The keepalive's decisions (no network) and the user stream's end on a refused token."""

from __future__ import annotations

import asyncio

import pytest

from aioclubhouse.errors import ClubhouseConnectionError, RoomNotAvailableError, ServerError
from aioclubhouse.models.rooms import ActivePingResult
from aioclubhouse.rooms import LeaveReason, Left, NewRoomInvite, user_events
from aioclubhouse.rooms.keepalive import Keepalive

from .helpers import People


class Clock:
    """Stands in for ``asyncio.sleep``: records each wait and returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


class Pings:
    """Answers pings from a script: results or exceptions, in order."""

    def __init__(self, *answers: ActivePingResult | Exception) -> None:
        self.answers = list(answers)
        self.calls = 0

    async def __call__(self) -> ActivePingResult:
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


async def test_failures_are_survived_and_should_leave_ends_it() -> None:
    pings = Pings(
        ServerError("boom", status=503),
        ClubhouseConnectionError("no network"),
        ActivePingResult(should_leave=False),
        ActivePingResult(should_leave=True),
    )
    reasons: list[LeaveReason] = []
    clock = Clock()
    keepalive = Keepalive(pings, interval=30.0, on_leave=reasons.append, sleep=clock)
    await keepalive.run()
    assert reasons == [LeaveReason.SHOULD_LEAVE]
    assert (pings.calls, keepalive.failures, keepalive.pings) == (4, 2, 2)
    assert clock.waits == [30.0] * 4  # one full interval before each ping, none after


async def test_a_room_that_is_gone_has_ended() -> None:
    reasons: list[LeaveReason] = []
    keepalive = Keepalive(
        Pings(RoomNotAvailableError("gone", status=400)),
        interval=45.0,
        on_leave=reasons.append,
        sleep=Clock(),
    )
    await keepalive.run()
    assert reasons == [LeaveReason.ENDED]


async def test_the_precheck_can_end_it_without_a_ping() -> None:
    pings = Pings()
    reasons: list[LeaveReason] = []
    keepalive = Keepalive(
        pings,
        interval=30.0,
        on_leave=reasons.append,
        precheck=lambda: LeaveReason.SESSION_CLOSED,
        sleep=Clock(),
    )
    await keepalive.run()
    assert reasons == [LeaveReason.SESSION_CLOSED]
    assert pings.calls == 0


def test_the_interval_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Keepalive(Pings(), interval=0, on_leave=print)


async def test_a_user_stream_ends_when_its_token_is_refused(people: People) -> None:
    session = await people.session("Ula User")
    inviter = await people.session("Ivy Inviter")
    assert session.user_id is not None and session.credentials.auth_token
    async with user_events(session, pool=people.pool) as stream:
        waiting = asyncio.ensure_future(stream.wait_for(NewRoomInvite, timeout=10))
        await asyncio.sleep(0)  # the waiter is registered before the invitation is sent
        await inviter.invite_to_new_channel(session.user_id)
        await waiting
        people.emu.hub.revoke(session.credentials.auth_token)  # e.g. logged out elsewhere
        people.emu.hub.publish(f"users.{session.user_id}", {"action": "nudge"})
        events = [event async for event in stream]
    final = events[-1]
    assert isinstance(final, Left) and final.reason is LeaveReason.REALTIME_ERROR
    assert stream.left_reason is LeaveReason.REALTIME_ERROR
    assert people.pool.connection_count == 0
