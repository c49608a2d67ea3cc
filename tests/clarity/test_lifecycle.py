"""ClaritySession's lifecycle: one owned (or borrowed) HTTP pool, closed exactly when it should."""

from __future__ import annotations

import gc
import warnings

import aiohttp
import pytest

from aioclubhouse.clarity import ClaritySession
from aioclubhouse.emulator.clarity import ClarityEmulator


def test_sync_with_is_refused() -> None:
    with pytest.raises(TypeError, match="async with"), ClaritySession():
        pass


async def test_owned_pool_is_closed_on_exit(emu: ClarityEmulator) -> None:
    session = ClaritySession(emu.issue_token(), base_url=emu.base_url, rate_limit=None)
    async with session:
        http = session._transport.open()
        await session.me()
        assert not session.closed
    assert session.closed and http.closed
    await session.close()  # a second close is harmless


async def test_borrowed_pool_is_left_open(emu: ClarityEmulator) -> None:
    async with aiohttp.ClientSession() as http:
        async with ClaritySession(
            emu.issue_token(), base_url=emu.base_url, http_session=http, rate_limit=None
        ) as session:
            assert session._transport.open() is http
            await session.me()
        assert session.closed and not http.closed
        async with http.get(emu.base_url + "me") as response:
            assert response.status == 401  # the pool still works, without a token


async def test_one_pool_serves_every_request(emu: ClarityEmulator) -> None:
    async with ClaritySession(emu.issue_token(), base_url=emu.base_url, rate_limit=None) as s:
        http = s._transport.open()
        await s.me()
        await s.needs()
        assert s._transport.open() is http


async def test_unclosed_session_warns(emu: ClarityEmulator) -> None:
    session = ClaritySession(emu.issue_token(), base_url=emu.base_url)
    await session.__aenter__()
    http = session._transport.open()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del session
        gc.collect()
    await http.close()
    assert any(
        issubclass(w.category, ResourceWarning) and "Unclosed ClaritySession" in str(w.message)
        for w in caught
    )


def test_base_url_gets_a_trailing_slash() -> None:
    assert ClaritySession(base_url="http://127.0.0.1:1/v1").base_url == "http://127.0.0.1:1/v1/"
    assert ClaritySession().base_url == "https://api.clarity.fm/v1/"
