"""The realtime link's requests as they cross the socket: subscribe, heartbeat and
leave, built by the real `pubnub` package, with the access's uuid, token, presence
timing and ``pnsdk``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from hypothesis import given, settings
from hypothesis import strategies as st
from pubnub.exceptions import PubNubException
from yarl import URL

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms.realtime import RealtimeAccess, RealtimePool
from aioclubhouse.rooms.realtime.access import DEFAULT_PRESENCE_TIMEOUT
from aioclubhouse.rooms.realtime.answers import MalformedAnswer
from aioclubhouse.rooms.realtime.wire import (
    ClubhousePubNub,
    SubscribeRequest,
    make_client,
    session_handler,
    subscribe,
    subscribe_url,
)

from ..reliability.realtime_script import (
    FIRST_TIMETOKEN,
    QUICK,
    Answer,
    Recorder,
    ScriptedPubNub,
    access_for,
    envelope,
    poll_answer,
)
from ..support.waiting import signalled, until

JAVA = "PubNub-Java-Unified/4.36.0"
TIMEOUT = aiohttp.ClientTimeout(total=10, connect=5)
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


# -- the prepared long-poll is the package's request, byte for byte ------------------------

CHANNEL_SETS = [
    [MINE],
    [ALL, MINE, "users.7"],
    [ALL, "channel_speakers.abcdefgh", MINE, "users.7"],
    ["channel_all.a b", "channel_user.ä.7", "x,y"],
]


def client_for(access: RealtimeAccess) -> ClubhousePubNub:
    return make_client(access, QUICK, session_handler(lambda: aiohttp.ClientSession()))


@pytest.mark.parametrize("channels", CHANNEL_SETS)
@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"presence_timeout": 60, "heartbeat_interval": 29, "pnsdk": JAVA},
        {"auth_token": "tok/en+with=odd&chars%"},
    ],
)
async def test_the_prepared_url_is_the_package_builders_for_every_cursor_and_region(
    channels: list[str], fields: dict[str, Any]
) -> None:
    access = RealtimeAccess(
        **{"origin": "127.0.0.1:9", "ssl": False, "auth_token": "t", "user_id": 7, **fields}
    )
    client = client_for(access)
    prepared = SubscribeRequest(client, channels)
    for cursor in (None, 1, 17_000_000_000_000_123, 9_999_999_999_999_999_999):
        for region in (None, "1", "12", "a/b c"):
            theirs = URL(subscribe_url(client, sorted(channels), cursor, region), encoded=True)
            assert str(prepared.url(cursor, region)) == str(theirs)


@settings(max_examples=200, deadline=None)
@given(
    cursor=st.none() | st.integers(min_value=1, max_value=10**19 - 1),
    region=st.none() | st.text(max_size=8),
    token=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40),
    user_id=st.integers(min_value=1, max_value=10**12),
)
def test_the_prepared_url_matches_the_builder_for_any_values(
    cursor: int | None, region: str | None, token: str, user_id: int
) -> None:
    async def compare() -> None:
        access = RealtimeAccess(origin="127.0.0.1:9", ssl=True, auth_token=token, user_id=user_id)
        client = client_for(access)
        channels = [f"channel_user.abc.{user_id}", f"users.{user_id}"]
        ours = SubscribeRequest(client, channels).url(cursor, region)
        # What the package's handler sends: its URL, as yarl reads it (encoded=True).
        theirs = URL(subscribe_url(client, sorted(channels), cursor, region), encoded=True)
        assert str(ours) == str(theirs)

    asyncio.run(compare())


async def test_the_prepared_request_and_the_package_send_the_same_bytes(
    server: ScriptedPubNub,
) -> None:
    """The same requests through the package's handler and through the prepared
    request, as the server saw them: request target and headers."""
    access = access_for(server, presence_timeout=60, heartbeat_interval=29, pnsdk=JAVA)
    async with aiohttp.ClientSession() as http:
        client = make_client(access, QUICK, session_handler(lambda: http))
        channels = [ALL, MINE]
        prepared = SubscribeRequest(client, channels)
        cases = [(None, None), (FIRST_TIMETOKEN + 5, None), (FIRST_TIMETOKEN + 5, "3")]
        for cursor, region in cases:
            for send in ("package", "prepared"):
                if cursor is not None:
                    await server.script.put(poll_answer(cursor + 1))
                if send == "package":
                    await subscribe(client, sorted(channels), cursor, region)
                else:
                    await prepared.send(http, cursor, region, timeout=TIMEOUT, limit=1 << 20)
        await client.stop()
    seen = server.polls()
    assert len(seen) == 2 * len(cases)
    for package, ours in zip(seen[::2], seen[1::2], strict=True):
        assert ours.raw_path == package.raw_path
        assert ours.headers == package.headers


ANSWERS = [
    poll_answer(FIRST_TIMETOKEN + 9, envelope(ALL, {"action": "end_channel"}, FIRST_TIMETOKEN + 9)),
    Answer(body=b'{"t": {"t": "17000000000000010", "r": 1}, "m": [{"d": "caf\xe9"}]}'),
    Answer(body=b"", status=200),
    Answer(body=b"", status=204),
    Answer.json({"t": {"t": "17000000000000011", "r": 1}, "m": []}, status=307),
    Answer.json({"message": "Forbidden", "payload": {"channels": [ALL]}}, status=403),
    Answer.json({"error": True}, status=400),
    Answer.json({"error": True}, status=502),
    Answer(body=b"<html>bad gateway</html>", status=502),
    Answer(body=b"not json"),
    Answer.json([1, 2, 3]),
    Answer.json({"t": {"t": "-5"}, "m": []}),
]


def outcome(run: Callable[[], Any]) -> Callable[[], Awaitable[tuple[Any, ...]]]:
    async def observe() -> tuple[Any, ...]:
        try:
            answer = await run()
        except PubNubException as exc:
            return ("PubNubException", exc.get_status_code(), exc._errormsg)
        except (ValueError, MalformedAnswer) as exc:
            return (type(exc).__name__,)
        return ("answer", answer)

    return observe


@pytest.mark.parametrize("answer", ANSWERS)
async def test_the_prepared_request_reads_every_answer_as_the_package_does(
    server: ScriptedPubNub, answer: Answer
) -> None:
    async with aiohttp.ClientSession() as http:
        client = make_client(access_for(server), QUICK, session_handler(lambda: http))
        cursor = FIRST_TIMETOKEN + 1
        await server.script.put(answer)
        theirs = await outcome(lambda: subscribe(client, [ALL], cursor, None))()
        await server.script.put(answer)
        prepared = SubscribeRequest(client, [ALL])
        ours = await outcome(
            lambda: prepared.send(http, cursor, None, timeout=TIMEOUT, limit=1 << 20)
        )()
        await client.stop()
    assert ours == theirs
