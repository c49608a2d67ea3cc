"""No answer can silence the realtime link: each is applied, or it is a failed poll that
is logged, announced (Reconnecting) and retried, after which delivery goes on.

Each test feeds the real `pubnub` client exactly the answer a broken or hostile
server would send, through a socket.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import attrs
import pytest
import pytest_asyncio

from aioclubhouse.errors import RealtimeError
from aioclubhouse.rooms.realtime import ConnectionState, RealtimePool, Subscription
from aioclubhouse.rooms.realtime import connection as connection_module

from ..support.waiting import until
from .realtime_script import (
    QUICK,
    Answer,
    Recorder,
    ScriptedPubNub,
    access_for,
    envelope,
    poll_answer,
)

# Every answer here is read with each JSON reader the SDK may use (conftest.py).
pytestmark = pytest.mark.usefixtures("json_reader")

ROOM = "channel_all.abcdefgh"


@attrs.define
class Link:
    server: ScriptedPubNub
    pool: RealtimePool
    recorder: Recorder
    subscription: Subscription

    async def delivers(self, payload: Any) -> None:
        """Script a valid message after whatever was scripted, and wait for it."""
        timetoken = self.server.next_timetoken()
        self.server.script.put_nowait(poll_answer(timetoken, envelope(ROOM, payload, timetoken)))
        await until(lambda: payload in self.recorder.payloads(ROOM), what=f"{payload!r}")


async def open_link(server: ScriptedPubNub, **options: Any) -> Link:
    pool = RealtimePool(attrs.evolve(QUICK, **options))
    recorder = Recorder()
    subscription = pool.subscribe(access_for(server), [ROOM], recorder)
    await asyncio.wait_for(subscription.wait_connected(), 10)
    return Link(server=server, pool=pool, recorder=recorder, subscription=subscription)


@pytest_asyncio.fixture
async def server() -> AsyncIterator[ScriptedPubNub]:
    scripted = ScriptedPubNub()
    await scripted.start()
    yield scripted
    await scripted.stop()


@pytest_asyncio.fixture
async def link(server: ScriptedPubNub) -> AsyncIterator[Link]:
    opened = await open_link(server)
    yield opened
    await opened.pool.close()


BROKEN_ANSWERS = {
    "timetoken of a non-ASCII digit": Answer.json({"t": {"t": "²"}, "m": []}),
    "timetoken of 5,000 digits": Answer.json({"t": {"t": "9" * 5000}, "m": []}),
    "timetoken negative": Answer.json({"t": {"t": "-5"}, "m": []}),
    "timetoken a list": Answer.json({"t": {"t": [1]}, "m": []}),
    "m a number": Answer.json({"t": {"t": "17000000000000099"}, "m": 5}),
    "m a string": Answer.json({"t": {"t": "17000000000000099"}, "m": "abc"}),
    "t a list": Answer.json({"t": [], "m": []}),
    "no t": Answer.json({"m": []}),
    "null": Answer.json(None),
    "a list": Answer.json([1, 2]),
    "a string": Answer.json("text"),
    "not JSON": Answer(body=b"<html>bad gateway</html>"),
    "empty": Answer(body=b""),
    "HTTP 500": Answer.json({"error": True}, status=500),
    "HTTP 400 not JSON": Answer(body=b"Bad Request", status=400),
    "deep nesting": Answer(body=b"[" * 100_000 + b"]" * 100_000),
    "invalid UTF-8": Answer(body=b'{"t": {"t": "\xff\xfe"}, "m": []}'),
}


@pytest.mark.parametrize("broken", list(BROKEN_ANSWERS.values()), ids=list(BROKEN_ANSWERS))
async def test_a_broken_answer_is_a_failed_poll_and_delivery_goes_on(
    link: Link, broken: Answer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="aioclubhouse.realtime")
    link.server.script.put_nowait(broken)
    await link.delivers({"n": "after"})

    states = link.recorder.states()
    assert ConnectionState.RECONNECTING in states
    assert states[-1] is ConnectionState.RECONNECTED
    assert link.recorder.errors == []
    assert link.subscription.connected
    assert any(r.name == "aioclubhouse.realtime" for r in caplog.records)  # logged, not silent


async def test_several_broken_answers_in_a_row_then_delivery(link: Link) -> None:
    for broken in BROKEN_ANSWERS.values():
        link.server.script.put_nowait(broken)
    await link.delivers({"n": "after them all"})
    assert link.recorder.errors == [] and link.subscription.connected


async def test_unusable_envelopes_cost_only_themselves(link: Link) -> None:
    first, last = link.server.next_timetoken(), link.server.next_timetoken() + 10
    link.server.script.put_nowait(
        poll_answer(
            last,
            envelope(ROOM, {"n": 1}, first),
            5,  # type: ignore[arg-type]
            {"c": 3, "d": {}, "p": {"t": str(first + 1)}},
            {"c": ROOM, "d": {"n": "bad tt"}, "p": {"t": "²"}},
            {"c": ROOM, "d": {"n": "no p"}, "p": []},
            {"c": ROOM, "d": {"n": "huge tt"}, "p": {"t": "9" * 5000}},
            envelope(ROOM, {"n": 2}, first + 2),
        )
    )
    await until(lambda: {"n": 2} in link.recorder.payloads(ROOM), what="the last good message")
    assert link.recorder.payloads(ROOM) == [{"n": 1}, {"n": 2}]
    assert ConnectionState.RECONNECTING not in link.recorder.states()


async def test_a_region_is_sent_back_only_as_digits_and_forgotten_after_a_failure(
    link: Link,
) -> None:
    server = link.server

    def last_poll_region() -> str | None:
        return server.polls()[-1].query.get("tr")

    async def answer_then_next_poll(answer: Answer) -> None:
        polls = len(server.polls())
        server.script.put_nowait(answer)
        await until(lambda: len(server.polls()) > polls, what="the next poll")

    await answer_then_next_poll(poll_answer(server.next_timetoken(), region=12))
    assert last_poll_region() == "12"
    await answer_then_next_poll(poll_answer(server.next_timetoken(), region="1 2"))
    assert last_poll_region() is None
    await answer_then_next_poll(poll_answer(server.next_timetoken(), region="3"))
    assert last_poll_region() == "3"
    await answer_then_next_poll(poll_answer(server.next_timetoken(), region="&tt=0"))
    assert last_poll_region() is None
    await answer_then_next_poll(poll_answer(server.next_timetoken(), region="4"))
    await answer_then_next_poll(Answer.json({"error": True}, status=500))
    # After the failure: a handshake (region 1 from this server), then a poll with it.
    await until(lambda: not server.polls()[-1].is_handshake, what="the poll after the handshake")
    assert server.polls()[-2].is_handshake and last_poll_region() == "1"
    assert all(" " not in poll.query.get("tr", "") for poll in server.polls())


@pytest.mark.parametrize("chunked", [False, True], ids=["with a length", "chunked"])
async def test_an_oversized_answer_is_a_failed_poll(
    server: ScriptedPubNub, chunked: bool, caplog: pytest.LogCaptureFixture
) -> None:
    link = await open_link(server, max_answer_size=64 * 1024)
    try:
        padding = "x" * (200 * 1024)
        body = poll_answer(server.next_timetoken(), envelope(ROOM, padding, 1)).body
        server.script.put_nowait(Answer(body=body, chunked=chunked))
        await link.delivers({"n": "after"})
        assert padding not in link.recorder.payloads(ROOM)
        assert ConnectionState.RECONNECTING in link.recorder.states()
        assert any("AnswerTooLarge" in r.getMessage() for r in caplog.records)
    finally:
        await link.pool.close()


async def test_an_answer_at_the_limit_is_read(server: ScriptedPubNub) -> None:
    link = await open_link(server, max_answer_size=64 * 1024)
    try:
        payload = {"n": "x" * (32 * 1024)}
        await link.delivers(payload)
        assert ConnectionState.RECONNECTING not in link.recorder.states()
    finally:
        await link.pool.close()


async def test_a_stalled_leave_does_not_hold_up_closing(link: Link) -> None:
    link.server.hold_leaves = True
    await link.subscription.close()  # bounded by leave_timeout (0.5 s here)
    assert link.server.leave_arrived.is_set()
    assert link.pool.connection_count == 0


async def test_if_the_loop_dies_anyway_its_subscribers_are_told(
    link: Link, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The loop catches everything; this breaks its error handling too, to prove that a
    loop that ends anyway does not leave its subscribers believing they are connected."""

    def broken(self: Any, exc: BaseException) -> bool:
        raise RuntimeError("the error handling itself failed")

    monkeypatch.setattr(connection_module.Connection, "_handle_failure", broken)
    caplog.set_level(logging.ERROR)
    link.server.script.put_nowait(Answer.json({"t": []}))

    await until(lambda: bool(link.recorder.errors), what="the failure notice")
    assert isinstance(link.recorder.errors[0], RealtimeError)
    assert not link.subscription.connected
    assert any("stopped" in r.getMessage() for r in caplog.records)
