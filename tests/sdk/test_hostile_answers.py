"""What a hostile or broken server sends, over real sockets: each answer gets a typed error.

Nesting past Python's recursion limit, a gzip bomb, a server that never stops retrying
us, a redirect to another host, a token echoed back in an error: every test feeds
exactly that answer and checks what comes out, and what never reaches anyone else.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from aioresponses import aioresponses

from aioclubhouse import errors
from aioclubhouse.answers import (
    DEFAULT_MAX_BODY_BYTES,
    limited_response_class,
    nests_deeper_than,
)
from aioclubhouse.auth import Credentials
from aioclubhouse.clarity import ClaritySession, exchange_code
from aioclubhouse.endpoints.registry import ENDPOINTS
from aioclubhouse.redaction import REDACTED, TOO_DEEP, redact_payload, scrub_payload
from aioclubhouse.session import ClubhouseSession
from aioclubhouse.transport import DEFAULT_DEADLINE, RetryPolicy

from .scripted_server import Reply, ScriptedServer, scripted_server
from .test_transport import TOKEN, make_transport

# Every answer here is read with each JSON reader the SDK may use (conftest.py).
pytestmark = pytest.mark.usefixtures("json_reader")

NO_RETRY = RetryPolicy(max_retries=0)


class FakeTime:
    """A clock that moves only when the transport sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay


class SteadyRetry(RetryPolicy):
    """Backoff without jitter, so a test knows every wait in advance."""

    def backoff(self, attempt: int) -> float:
        return 10.0


@pytest.fixture
async def raw_server() -> AsyncIterator[tuple[TestServer, list[web.Response]]]:
    """A server answering each request with the next prepared aiohttp response."""
    answers: list[web.Response] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        await request.read()
        return answers.pop(0)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield server, answers
    await server.close()


# -- item: nesting and numbers ------------------------------------------------------------


async def test_json_nested_past_the_recursion_limit_is_a_decode_error() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    reply = Reply(text=deep, content_type="application/json")
    async with scripted_server(reply) as server:
        transport = make_transport(server.url)
        with pytest.raises(errors.DecodeError) as info:
            await transport.request(ENDPOINTS["me"], body={})
        await transport.close()
    assert info.value.status == 200


async def test_json_nested_deeper_than_the_walkers_go_is_refused() -> None:
    deep = '{"success": true, "x": ' + "[" * 500 + "]" * 500 + "}"
    async with scripted_server(Reply(text=deep, content_type="application/json")) as server:
        transport = make_transport(server.url)
        with pytest.raises(errors.DecodeError, match="deeper than 100 levels"):
            await transport.request(ENDPOINTS["me"], body={})
        await transport.close()


async def test_nesting_up_to_the_limit_is_accepted() -> None:
    body = '{"success": true, "x": ' + "[" * 99 + "]" * 99 + "}"  # 100 levels with the object
    async with scripted_server(Reply(text=body, content_type="application/json")) as server:
        transport = make_transport(server.url)
        answer = await transport.request(ENDPOINTS["me"], body={})
        await transport.close()
    assert answer["success"] is True
    assert not nests_deeper_than(answer, 100) and nests_deeper_than({"y": answer}, 100)


async def test_a_deep_5xx_answer_stays_a_retryable_server_error() -> None:
    deep = "[" * 5000 + "]" * 5000
    reply = Reply(status=503, text=deep, content_type="application/json")
    async with scripted_server(reply) as server:
        transport = make_transport(server.url, retry=NO_RETRY)
        with pytest.raises(errors.ServerError):
            await transport.request(ENDPOINTS["get_channels"])
        await transport.close()


def test_payload_walkers_do_not_recurse_without_bound() -> None:
    value: object = "bottom"
    for _ in range(5000):
        value = [value]
    redacted = redact_payload(value)
    scrubbed = scrub_payload({"nested": value})
    for copy in (redacted, scrubbed["nested"]):
        depth = 0
        while isinstance(copy, list):
            copy, depth = copy[0], depth + 1
        assert copy == TOO_DEEP and depth < 200


async def test_an_infinite_count_in_a_page_is_no_count() -> None:
    body = b'{"users": [{"user_id": 7}], "count": 1e999, "next": 1e999, "previous": -1e999}'
    with aioresponses() as mocked:
        mocked.get(
            f"{BASE}get_followers?page=1&page_size=50&user_id=7",
            body=body,
            content_type="application/json",
        )
        async with ClubhouseSession(CREDS(), base_url=BASE, rate_limit=None) as session:
            page = await session.get_followers(7)
    assert [user.user_id for user in page.items] == [7]
    assert (page.count, page.next, page.previous) == (None, None, None)


BASE = "https://api.example.test/api/"


def CREDS() -> Credentials:
    return Credentials(user_id=42, auth_token=TOKEN, device_id="DEVICE-1")


# -- item: body size ------------------------------------------------------------------------


async def test_a_gzip_bomb_stops_at_the_default_limit(
    raw_server: tuple[TestServer, list[web.Response]],
) -> None:
    server, answers = raw_server
    inflated = b'{"success": true, "pad": "' + b"0" * (20 * 1024 * 1024) + b'"}'
    bomb = gzip.compress(inflated, compresslevel=9)
    assert len(bomb) < 64 * 1024  # a small answer on the wire
    answers.append(
        web.Response(
            body=bomb,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )
    )
    transport = make_transport(str(server.make_url("/api/")))
    with pytest.raises(errors.ResponseTooLargeError) as info:
        await transport.request(ENDPOINTS["me"], body={})
    await transport.close()
    assert info.value.limit == DEFAULT_MAX_BODY_BYTES
    assert isinstance(info.value, errors.DecodeError)
    assert "max_body_bytes" in str(info.value) and info.value.endpoint == "me"


async def test_the_limit_is_configurable_and_a_declared_length_is_refused_unread() -> None:
    big = Reply(json={"success": True, "pad": "x" * 5000})
    async with scripted_server(big, Reply(json={"success": True})) as server:
        transport = make_transport(server.url, max_body_bytes=1000)
        with pytest.raises(errors.ResponseTooLargeError, match="declares"):
            await transport.request(ENDPOINTS["me"], body={})
        assert await transport.request(ENDPOINTS["me"], body={}) == {"success": True}
        await transport.close()


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_max_body_bytes_must_be_a_positive_integer(bad: object) -> None:
    with pytest.raises(errors.InvalidArgumentError, match="max_body_bytes"):
        make_transport("http://127.0.0.1:9/api/", max_body_bytes=bad)


async def test_a_limited_response_class_bounds_text_reads(
    raw_server: tuple[TestServer, list[web.Response]],
) -> None:
    server, answers = raw_server
    answers.append(web.Response(text="x" * 2000))
    answers.append(web.Response(text="small"))
    async with aiohttp.ClientSession(response_class=limited_response_class(1000)) as http:
        async with http.get(server.make_url("/poll")) as response:
            with pytest.raises(errors.ResponseTooLargeError):
                await response.text()
        async with http.get(server.make_url("/poll")) as response:
            assert await response.text() == "small"


# -- item: a deadline per call -------------------------------------------------------------


async def test_retries_stop_at_the_deadline_without_starting_a_wait_past_it() -> None:
    time = FakeTime()
    async with scripted_server() as server:
        server.default = Reply(status=503)
        transport = make_transport(
            server.url,
            retry=SteadyRetry(max_retries=10),
            deadline=25.0,
            sleep=time.sleep,
            clock=time.clock,
        )
        with pytest.raises(errors.ClubhouseTimeoutError, match="25 s deadline") as info:
            await transport.request(ENDPOINTS["get_channels"])
        await transport.close()
    assert time.sleeps == [10.0, 10.0]  # the third wait would have ended at 30 s
    assert len(server.seen) == 3
    assert isinstance(info.value.__cause__, errors.ServerError)


async def test_a_retry_after_past_the_deadline_is_not_waited_for() -> None:
    time = FakeTime()
    limited = Reply(status=429, json={"detail": "slow down"}, headers={"Retry-After": "20"})
    async with scripted_server(limited) as server:
        transport = make_transport(
            server.url,
            retry=RetryPolicy(max_retries=3, max_retry_after=30.0),
            deadline=15.0,
            sleep=time.sleep,
            clock=time.clock,
        )
        with pytest.raises(errors.ClubhouseTimeoutError):
            await transport.request(ENDPOINTS["get_channels"])
        await transport.close()
    assert time.sleeps == [] and len(server.seen) == 1


async def test_an_attempt_gets_only_what_is_left_of_the_deadline() -> None:
    stalled = asyncio.Event()

    async def never_answers(request: web.Request) -> web.Response:
        await stalled.wait()
        return web.json_response({})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", never_answers)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        transport = make_transport(str(server.make_url("/api/")), timeout=30.0, deadline=0.3)
        async with asyncio.timeout(10):  # the deadline ends it long before this
            with pytest.raises(errors.ClubhouseTimeoutError):
                await transport.request(ENDPOINTS["get_channels"])
        await transport.close()
    finally:
        stalled.set()
        await server.close()


def test_the_default_deadline_is_well_under_a_minute() -> None:
    assert DEFAULT_DEADLINE <= 45.0
    assert ClubhouseSession()._transport.deadline == DEFAULT_DEADLINE


# -- item: redirects --------------------------------------------------------------------------


def redirect_to(target: ScriptedServer, status: int, path: str) -> Reply:
    return Reply(status=status, json={}, headers={"Location": target.url + path})


@pytest.mark.parametrize("status", [302, 307, 308])
async def test_a_redirected_refresh_never_sends_the_refresh_token_elsewhere(status: int) -> None:
    refresh = "refresh-secret-0123456789"
    creds = Credentials(
        user_id=7, access_token="access-before", refresh_token=refresh, auth_mode="bearer"
    )
    before = creds.to_dict()
    async with scripted_server() as elsewhere:
        elsewhere.default = Reply(json={"access": "stolen-access", "refresh": "stolen-refresh"})
        async with (
            scripted_server(redirect_to(elsewhere, status, "api/refresh_token")) as api,
            ClubhouseSession(creds, base_url=api.url, rate_limit=None) as session,
        ):
            with pytest.raises(errors.UnexpectedRedirectError) as info:
                await session.refresh_token(refresh)
    assert elsewhere.seen == []
    assert len(api.seen) == 1 and refresh.encode() in api.seen[0].body
    assert creds.to_dict() == before
    assert info.value.status == status
    assert info.value.location == elsewhere.url + "api/refresh_token"
    assert elsewhere.url in str(info.value)


async def test_a_redirected_login_never_sends_the_code_elsewhere() -> None:
    async with (
        scripted_server() as elsewhere,
        scripted_server(redirect_to(elsewhere, 307, "login")) as api,
        ClubhouseSession(base_url=api.url, rate_limit=None) as session,
    ):
        with pytest.raises(errors.UnexpectedRedirectError):
            await session.complete_phone_number_auth("+15550001111", "4321")
        assert session.credentials.auth_token is None
    assert elsewhere.seen == []


async def test_a_redirect_location_holding_a_token_is_scrubbed() -> None:
    leaky = Reply(status=302, json={}, headers={"Location": f"http://127.0.0.1:9/x?t={TOKEN}"})
    async with scripted_server(leaky) as api:
        transport = make_transport(api.url)
        with pytest.raises(errors.UnexpectedRedirectError) as info:
            await transport.request(ENDPOINTS["get_channels"])
        await transport.close()
    assert info.value.location == f"http://127.0.0.1:9/x?t={REDACTED}"
    assert TOKEN not in str(info.value)


async def test_the_clarity_code_exchange_is_not_redirected() -> None:
    async with scripted_server() as elsewhere:
        elsewhere.default = Reply(json={"oauth_token": "foreign-token"})
        async with scripted_server(redirect_to(elsewhere, 307, "oauth/authorize")) as oauth:
            base = oauth.url.removesuffix("api/")
            with pytest.raises(errors.UnexpectedRedirectError) as info:
                await exchange_code("client", "client-secret-1234", "code-5678", base=base)
    assert elsewhere.seen == []
    assert info.value.location == elsewhere.url + "oauth/authorize"


# -- item: secrets echoed in errors -----------------------------------------------------------


async def test_a_token_echoed_in_a_json_error_is_cut_from_message_and_body(
    caplog: pytest.LogCaptureFixture,
) -> None:
    echo = {
        "detail": f"Token {TOKEN} is not valid",
        "errors": [{"message": f"rejected {TOKEN}"}, f"{TOKEN}"],
        TOKEN: "a key",
        "authorization": "Token some-other-credential",
    }
    async with scripted_server(Reply(status=401, json=echo)) as server:
        transport = make_transport(server.url)
        with pytest.raises(errors.AuthenticationError) as info:
            await transport.request(ENDPOINTS["me"], body={})
        await transport.close()
    error = info.value
    assert str(error) == f"[me HTTP 401] Token {REDACTED} is not valid"
    assert error.body == {
        "detail": f"Token {REDACTED} is not valid",
        "errors": [{"message": f"rejected {REDACTED}"}, REDACTED],
        REDACTED: "a key",
        "authorization": REDACTED,
    }
    caplog.set_level(logging.DEBUG)
    logging.getLogger("aioclubhouse.test").error("failed", exc_info=error)
    assert TOKEN not in caplog.text


async def test_a_token_echoed_in_a_text_error_is_cut() -> None:
    text = Reply(status=400, text=f"bad token {TOKEN}", content_type="text/plain")
    async with scripted_server(text) as server:
        transport = make_transport(server.url)
        with pytest.raises(errors.DecodeError) as info:
            await transport.request(ENDPOINTS["me"], body={})
        await transport.close()
    assert TOKEN not in str(info.value) and TOKEN not in repr(info.value.body)


async def test_the_clarity_token_echoed_in_an_error_is_cut() -> None:
    token = "clarity-token-0123456789"
    with aioresponses() as mocked:
        mocked.get(
            "https://api.clarity.fm/v1/me?oauth_token=" + token,
            status=401,
            body=json.dumps({"error": f"invalid token {token}", "oauth_token": token}),
            content_type="application/json",
        )
        async with ClaritySession(token, rate_limit=None) as session:
            with pytest.raises(errors.AuthenticationError) as info:
                await session.me()
    assert token not in str(info.value) and token not in repr(info.value.body)
    assert info.value.body == {"error": f"invalid token {REDACTED}", "oauth_token": REDACTED}


def test_an_error_is_scrubbed_of_the_secrets_a_request_was_sent_with() -> None:
    error = errors.BadRequestError(
        "code unsent-secret-77 refused", body={"echo": ["unsent-secret-77"]}
    )
    error.scrub_secrets(("unsent-secret-77", None))
    assert str(error) == f"code {REDACTED} refused"
    assert error.args == (f"code {REDACTED} refused",)
    assert error.body == {"echo": [REDACTED]}
