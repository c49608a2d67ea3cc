"""Timeouts that apply whoever owns the pool, per-call views, and retries made visible.

Every test here crosses a real socket: a local aiohttp server that stalls (on an event
that is never set, so the only thing that can end the wait is the client's timeout),
or the emulator forcing 429 answers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import attrs
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from aioclubhouse import (
    ClubhouseSession,
    ClubhouseTimeoutError,
    Credentials,
    InvalidArgumentError,
    RateLimit,
    RetryNotice,
    RetryPolicy,
    Timeout,
)
from aioclubhouse.emulator import Emulator

NO_RETRY = RetryPolicy(max_retries=0)
CREDENTIALS = Credentials(user_id=1, auth_token="timeout-test-token", device_id="DEV-1")


@attrs.define
class StallingServer:
    """``/api/get_channels`` never answers; ``/api/me`` sends its headers, then stalls."""

    url: str
    release: asyncio.Event
    answering: asyncio.Event


@pytest.fixture
async def stalling() -> AsyncIterator[StallingServer]:
    release = asyncio.Event()
    answering = asyncio.Event()

    async def never(request: web.Request) -> web.Response:
        answering.set()
        await release.wait()
        return web.json_response({"channels": []})

    async def half(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b'{"user_profile": ')
        answering.set()
        await release.wait()
        await response.write(b'{"user_id": 1}}')
        return response

    app = web.Application()
    app.router.add_get("/api/get_channels", never)
    app.router.add_post("/api/me", half)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield StallingServer(str(server.make_url("/api/")), release, answering)
    finally:
        release.set()
        await server.close()


async def timed(call: Any) -> tuple[type[BaseException] | None, float]:
    started = time.monotonic()
    try:
        await call
    except Exception as exc:
        return type(exc), time.monotonic() - started
    return None, time.monotonic() - started


async def test_the_timeout_applies_to_a_lent_pool(stalling: StallingServer) -> None:
    # The lent pool's own default is five minutes: only the session's timeout can end this.
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as lent,
        ClubhouseSession(
            CREDENTIALS,
            base_url=stalling.url,
            http_session=lent,
            timeout=0.5,
            retry=NO_RETRY,
            rate_limit=None,
        ) as ch,
    ):
        failed, elapsed = await timed(ch.get_channels())
    assert failed is ClubhouseTimeoutError
    assert 0.4 <= elapsed < 2.0


async def test_a_view_overrides_the_timeout_and_shares_the_pool(stalling: StallingServer) -> None:
    async with (
        aiohttp.ClientSession() as lent,
        ClubhouseSession(
            CREDENTIALS, base_url=stalling.url, http_session=lent, timeout=60, rate_limit=None
        ) as ch,
    ):
        quick = ch.with_options(timeout=0.3, retry=NO_RETRY)
        failed, elapsed = await timed(quick.get_channels())
        assert failed is ClubhouseTimeoutError and elapsed < 2.0
        assert quick.credentials is ch.credentials and quick.stats is ch.stats
        assert ch.stats.requests == 1  # counted once, on the session's counters
        assert "view=True" in repr(quick) and "timeout-test-token" not in repr(quick)
        async with quick:
            pass  # leaving a view's block closes nothing
        assert not ch.closed and not lent.closed
        deadline_bound = ch.with_options(deadline=0.4)
        failed, elapsed = await timed(deadline_bound.get_channels())
        assert failed is ClubhouseTimeoutError and elapsed < 2.0
    assert quick.closed  # closing the session closed its views


async def test_read_bounds_the_wait_between_bytes_of_an_answer(stalling: StallingServer) -> None:
    split = Timeout(total=60, read=0.4)
    async with ClubhouseSession(
        CREDENTIALS, base_url=stalling.url, timeout=split, retry=NO_RETRY, rate_limit=None
    ) as ch:
        started = time.monotonic()
        with pytest.raises(ClubhouseTimeoutError) as caught:
            await ch.me()
        elapsed = time.monotonic() - started
    assert stalling.answering.is_set()  # the headers and a first chunk did arrive
    assert elapsed < 3.0
    assert "after" in str(caught.value)


async def test_connect_bounds_the_wait_for_a_connection(stalling: StallingServer) -> None:
    # One connection in the pool, held by a request the server never answers: the next
    # request waits for a connection, and only the connect bound ends that wait.
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as lent,
        ClubhouseSession(
            CREDENTIALS, base_url=stalling.url, http_session=lent, rate_limit=None, retry=NO_RETRY
        ) as ch,
    ):
        holder = asyncio.ensure_future(ch.get_channels())
        await stalling.answering.wait()
        waiting = ch.with_options(timeout=Timeout(total=60, connect=0.3))
        failed, elapsed = await timed(waiting.get_channels())
        holder.cancel()
        await asyncio.gather(holder, return_exceptions=True)
    assert failed is ClubhouseTimeoutError
    assert elapsed < 3.0


def test_timeouts_are_checked_when_made() -> None:
    assert Timeout.of(30.0) == Timeout(total=30.0)
    assert Timeout.of(Timeout(read=5)).read == 5
    for bad in (0, -1, float("nan"), True):
        with pytest.raises(InvalidArgumentError, match="timeout"):
            Timeout.of(bad)
    with pytest.raises(InvalidArgumentError, match=r"timeout\.read"):
        Timeout(read=0)
    with pytest.raises(InvalidArgumentError, match="timeout"):
        ClubhouseSession(timeout=0)
    with pytest.raises(InvalidArgumentError, match="deadline"):
        ClubhouseSession().with_options(deadline=-1)


# -- retries and throttling, made visible -------------------------------------------------


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(seed=3) as emu:
        yield emu


def logged_in(emu: Emulator, **options: Any) -> ClubhouseSession:
    login = emu.login(name="Retry Watcher")
    credentials = Credentials(
        user_id=login["user_id"], auth_token=login["auth_token"], device_id=login["device_id"]
    )
    return ClubhouseSession(credentials, base_url=emu.base_url, **options)


async def test_forced_429s_are_logged_counted_and_announced(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    notices: list[RetryNotice] = []
    fast = RetryPolicy(max_retries=3, base_delay=0.01, max_delay=0.02)
    async with logged_in(emulator, rate_limit=None, retry=fast, on_retry=notices.append) as ch:
        token = ch.credentials.auth_token
        assert token
        emulator.faults.force_429 = 2
        emulator.faults.retry_after = 0
        with caplog.at_level(logging.INFO, logger="aioclubhouse"):
            feed = await ch.get_channels()
        stats = ch.stats
    assert feed.channels
    assert [(n.endpoint, n.reason, n.retry, n.status) for n in notices] == [
        ("get_channels", "rate_limited", 1, 429),
        ("get_channels", "rate_limited", 2, 429),
    ]
    assert all(n.retry_after == 0 and n.delay == 0 for n in notices)
    assert stats.requests == 3 and stats.rate_limited == 2 and stats.last_retry_after == 0
    assert stats.retries == {"rate_limited": 2} and stats.total_retries == 2
    retries = [r for r in caplog.records if r.levelno == logging.INFO and "retrying" in r.message]
    assert len(retries) == 2
    assert "get_channels" in retries[0].message and "HTTP 429" in retries[0].message
    assert "retry 1 of 3" in retries[0].message
    assert token not in caplog.text


async def test_a_failing_hook_is_logged_and_the_call_goes_on(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(notice: RetryNotice) -> None:
        raise RuntimeError("hook bug")

    fast = RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.02)
    async with logged_in(emulator, rate_limit=None, retry=fast, on_retry=broken) as ch:
        emulator.faults.force_429 = 1
        emulator.faults.retry_after = 0
        with caplog.at_level(logging.ERROR, logger="aioclubhouse"):
            await ch.get_channels()
    assert "on_retry hook failed" in caplog.text


async def test_throttling_waits_are_counted_and_logged_at_debug(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    waits: list[float] = []

    async def record(delay: float) -> None:
        waits.append(delay)

    limit = RateLimit(per_second=10, burst=1)
    async with logged_in(emulator, rate_limit=limit, sleep=record) as ch:
        with caplog.at_level(logging.DEBUG, logger="aioclubhouse.transport"):
            for _ in range(3):
                await ch.get_channels()
        stats = ch.stats
    assert stats.requests == 3
    assert stats.throttled == len(waits) >= 1
    assert stats.throttled_seconds == pytest.approx(sum(waits))
    throttles = [r for r in caplog.records if "rate limit" in r.message]
    assert throttles and all(r.levelno == logging.DEBUG for r in throttles)
