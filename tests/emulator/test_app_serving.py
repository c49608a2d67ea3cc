"""The HTTP plumbing under the emulator: every error is JSON, timetokens never go back."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from aioclubhouse.emulator import timetokens
from aioclubhouse.emulator.serving import HttpServer, json_errors_middleware


async def explode(request: web.Request) -> web.Response:
    raise RuntimeError("handler bug")


async def refuse_in_text(request: web.Request) -> web.Response:
    raise web.HTTPBadRequest(text="plain text refusal")


async def refuse_in_json(request: web.Request) -> web.Response:
    raise web.HTTPConflict(text='{"custom": true}', content_type="application/json")


@pytest.fixture
async def base_url() -> AsyncIterator[str]:
    app = web.Application(middlewares=[json_errors_middleware()])
    app.router.add_get("/api/explode", explode)
    app.router.add_get("/explode", explode)
    app.router.add_get("/api/refuse", refuse_in_text)
    app.router.add_get("/api/conflict", refuse_in_json)
    server = HttpServer(app, host="127.0.0.1", port=0)
    await server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        await server.stop()


async def fetch(url: str) -> tuple[int, str, object]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.content_type, await response.json(content_type=None)


async def test_handler_exceptions_become_json_500(base_url: str) -> None:
    assert await fetch(base_url + "/api/explode") == (
        500,
        "application/json",
        {"success": False, "error_message": "Internal server error"},
    )
    status, content_type, body = await fetch(base_url + "/explode")
    assert (status, content_type) == (500, "application/json")
    assert body == {"status": 500, "error": True, "message": "Internal server error"}


async def test_text_http_errors_become_json_and_json_ones_are_kept(base_url: str) -> None:
    assert await fetch(base_url + "/api/refuse") == (
        400,
        "application/json",
        {"success": False, "error_message": "plain text refusal"},
    )
    assert await fetch(base_url + "/api/conflict") == (409, "application/json", {"custom": True})


def test_timetokens_increase_when_the_wall_clock_stalls_or_steps_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [17_000_000_000_000_000_00]
    monkeypatch.setattr(timetokens.time, "time_ns", lambda: now[0])
    clock = timetokens.TimetokenClock()

    first = clock.next()
    second = clock.next()
    now[0] -= 5_000_000_000
    third = clock.next()
    handshake = clock.current()
    fourth = clock.next()

    assert first < second < third
    assert handshake >= third
    assert fourth > handshake
    assert timetokens.TimetokenClock(last_issued=fourth).next() > fourth


async def test_access_log_leaves_tokens_out(
    base_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="aiohttp.access")

    await fetch(base_url + "/api/refuse?auth=secret-token-123")

    assert "/api/refuse" in caplog.text
    assert "secret-token-123" not in caplog.text
