"""The realtime link's requests as they cross the socket: subscribe, heartbeat and
leave, built by the real `pubnub` package, with the access's uuid, token, presence
timing and ``pnsdk``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms.realtime import RealtimeAccess, RealtimePool
from aioclubhouse.rooms.realtime.access import DEFAULT_PRESENCE_TIMEOUT

from ..reliability.realtime_script import QUICK, Recorder, ScriptedPubNub, access_for
from ..support.waiting import signalled, until

JAVA = "PubNub-Java-Unified/4.36.0"
ALL = "channel_all.abcdefgh"
MINE = "channel_user.abcdefgh.7"


@pytest_asyncio.fixture
async def server() -> AsyncIterator[ScriptedPubNub]:
    scripted = ScriptedPubNub()
    await scripted.start()
    yield scripted
    await scripted.stop()


async def test_every_request_carries_the_access_and_the_presence_timing(
    server: ScriptedPubNub,
) -> None:
    pool = RealtimePool(QUICK)
    access = access_for(server, presence_timeout=60, heartbeat_interval=29, pnsdk=JAVA)
    subscription = pool.subscribe(access, [ALL, MINE], Recorder(), presence=[MINE])
    await signalled(subscription.wait_connected(), what="the handshake")
    await until(lambda: any("/heartbeat" in r.path for r in server.requests), what="a heartbeat")
    await until(lambda: len(server.polls()) >= 2, what="the first long-poll")
    await subscription.close()
    await pool.close()

    handshake, poll = server.polls()[:2]
    [heartbeat] = [r for r in server.requests if r.path.endswith("/heartbeat")]
    [leave] = [r for r in server.requests if r.path.endswith("/leave")]
    for request in (handshake, poll, heartbeat, leave):
        assert request.query["pnsdk"] == JAVA
        assert request.query["uuid"] == "7"
        assert request.query["auth"] == "token-scripted"
    for request in (handshake, poll, heartbeat):
        assert request.query["heartbeat"] == "60"
    assert "heartbeat" not in leave.query
    assert heartbeat.path.endswith(f"/channel/{MINE}/heartbeat")
    assert set(leave.path.split("/channel/")[1].removesuffix("/leave").split(",")) == {ALL, MINE}
    assert handshake.query["tt"] == "0" and poll.query["tt"] != "0"


async def test_a_presence_timeout_below_twenty_seconds_is_raised_to_twenty(
    server: ScriptedPubNub,
) -> None:
    access = access_for(server, presence_timeout=5, heartbeat_interval=2)
    assert (access.presence_seconds, access.heartbeat_seconds) == (20, 2.0)
    pool = RealtimePool(QUICK)
    subscription = pool.subscribe(access, [MINE], Recorder(), presence=[MINE])
    await until(lambda: any("/heartbeat" in r.path for r in server.requests), what="a heartbeat")
    await subscription.close()
    await pool.close()
    assert {r.query["heartbeat"] for r in server.requests if "leave" not in r.path} == {"20"}
    assert all(r.query["pnsdk"].startswith("PubNub-Python") for r in server.requests)


def test_presence_timing_without_the_service_values() -> None:
    bare = RealtimeAccess(origin="o", auth_token="t", user_id=1)
    assert bare.presence_seconds == DEFAULT_PRESENCE_TIMEOUT
    assert bare.heartbeat_seconds == DEFAULT_PRESENCE_TIMEOUT // 2 - 1
    odd = RealtimeAccess(
        origin="o", auth_token="t", user_id=1, presence_timeout=60, heartbeat_interval=90
    )
    assert odd.heartbeat_seconds == 29  # an interval that would let presence lapse is not used
    tiny = RealtimeAccess(
        origin="o", auth_token="t", user_id=1, presence_timeout=20, heartbeat_interval=0
    )
    assert tiny.heartbeat_seconds == 9


@pytest.mark.parametrize("pnsdk", ["", "with space", "new\nline", "ü", "x" * 101, 5])
def test_a_pnsdk_that_cannot_go_on_the_wire_is_refused(pnsdk: object) -> None:
    with pytest.raises(InvalidArgumentError) as refused:
        RealtimeAccess(origin="o", auth_token="t", user_id=1, pnsdk=pnsdk)  # type: ignore[arg-type]
    assert refused.value.field == "pnsdk"


async def test_no_heartbeats_without_presence_channels(server: ScriptedPubNub) -> None:
    pool = RealtimePool(QUICK)
    subscription = pool.subscribe(access_for(server), [ALL], Recorder())
    await signalled(subscription.wait_connected(), what="the handshake")
    await until(lambda: len(server.polls()) >= 2, what="the first long-poll")
    assert pool.heartbeats.scheduled == 0
    await subscription.close()
    await pool.close()
    assert not any("/heartbeat" in r.path for r in server.requests)
