"""The token, the client secret and the code never show in logs, reprs or errors."""

from __future__ import annotations

import logging
import re
import socket
import traceback

import aiohttp
import pytest
from aioresponses import aioresponses
from yarl import URL

from aioclubhouse.clarity import ClaritySession, exchange_code
from aioclubhouse.emulator.clarity import ClarityEmulator
from aioclubhouse.errors import (
    AuthenticationError,
    ClubhouseConnectionError,
    ClubhouseError,
    DecodeError,
    NotFoundError,
    ServerError,
)
from aioclubhouse.redaction import get_logger, secret_filter

from .conftest import EXPERT_ID, FAST_RETRY, HOUR


async def test_a_whole_session_leaves_no_secret_behind(
    emu: ClarityEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    code = emu.issue_code()
    secret = emu.client_secret
    token = await exchange_code(emu.client_id, secret, code, base=emu.oauth_url)
    shown: list[str] = []
    errors: list[ClubhouseError] = []
    async with ClaritySession(
        token, base_url=emu.base_url, rate_limit=None, retry=FAST_RETRY
    ) as session:
        shown.append(repr(session))
        shown.append(str(session))
        me = await session.me()
        call = await session.request_call(EXPERT_ID, HOUR, "Anything")
        shown += [repr(me), repr(call), repr(await session.search("moncton"))]
        emu.fail_next(503, times=3)
        for failing in (session.me(), session.get_member("nobody_here")):
            try:
                await failing
            except ClubhouseError as error:
                errors.append(error)
        get_logger("aioclubhouse.clarity").warning("echoing %s by mistake", token)
    async with ClaritySession(token + "x", base_url=emu.base_url, rate_limit=None) as wrong:
        with pytest.raises(AuthenticationError) as caught:
            await wrong.me()
        errors.append(caught.value)
    shown.append(repr(emu))
    assert [type(e) for e in errors] == [ServerError, NotFoundError, AuthenticationError]
    shown += [str(e) for e in errors] + [repr(e) for e in errors]
    everything = "\n".join(shown) + caplog.text + repr(emu.requests)

    assert caplog.records, "the run should have logged something to search"
    assert "echoing <redacted> by mistake" in caplog.text
    assert "GET /v1/me" in caplog.text  # the emulator's access log was captured too
    for value in (token, secret, code):
        assert value not in everything


async def test_connection_errors_hide_the_token(token: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with ClaritySession(
        token, base_url=f"http://127.0.0.1:{port}/v1/", rate_limit=None, retry=FAST_RETRY
    ) as session:
        with pytest.raises(ClubhouseConnectionError) as caught:
            await session.me()
    assert token not in str(caught.value) and token not in repr(caught.value)


async def test_a_connection_error_naming_the_url_leaves_no_token_in_the_traceback(
    token: str,
) -> None:
    """aiohttp's own errors may carry the URL, query string and all: none is chained."""
    leaky = aiohttp.InvalidUrlClientError(URL(f"https://api.clarity.fm/v1/me?oauth_token={token}"))
    with aioresponses() as mocked:
        mocked.get(re.compile(r"^https://api\.clarity\.fm/.*$"), exception=leaky, repeat=True)
        async with ClaritySession(token, rate_limit=None, retry=FAST_RETRY) as session:
            with pytest.raises(ClubhouseConnectionError) as caught:
                await session.me()
    shown = "".join(traceback.format_exception(caught.value))
    assert "InvalidUrlClientError" in shown  # what went wrong is still said
    assert token not in shown


async def test_a_non_json_body_echoing_the_token_is_scrubbed(token: str) -> None:
    with aioresponses() as mocked:
        mocked.get(
            re.compile(r"^https://api\.clarity\.fm/.*$"),
            body=f"<html>debug: oauth_token={token}</html>",
            content_type="text/html",
        )
        async with ClaritySession(token, rate_limit=None) as session:
            with pytest.raises(DecodeError) as caught:
                await session.me()
    assert token not in str(caught.value)
    assert token not in str(caught.value.body)
    assert "<redacted>" in str(caught.value)


async def test_a_replaced_token_is_scrubbed_too(emu: ClarityEmulator) -> None:
    first, second = emu.issue_token(), emu.issue_token()
    async with ClaritySession(first, base_url=emu.base_url, rate_limit=None) as session:
        session.oauth_token = second
        assert second not in repr(session)
        record = logging.LogRecord(
            "aioclubhouse", logging.INFO, __file__, 1, "sent %s", (second,), None
        )
        assert secret_filter.filter(record)
        assert record.getMessage() == "sent <redacted>"
