"""The request pipeline over real sockets: retries, Retry-After, rate limit, errors, redaction."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from aioclubhouse import errors
from aioclubhouse.auth import Credentials
from aioclubhouse.dialect import ClubhouseDialect, error_from_response
from aioclubhouse.endpoints.registry import ENDPOINTS
from aioclubhouse.identity import AppIdentity
from aioclubhouse.ratelimit import RateLimit
from aioclubhouse.redaction import REDACTED
from aioclubhouse.transport import RetryPolicy, Secrets, Transport

from .scripted_server import Reply, scripted_server

TOKEN = "secret-token-7f3a9c"
FAST = RetryPolicy(max_retries=3, base_delay=0.01, max_delay=0.02, max_retry_after=5.0)
Renewer = Callable[[Secrets], Awaitable[bool]]


def make_transport(
    url: str,
    *,
    credentials: Credentials | None = None,
    renewer: Renewer | None = None,
    identity: AppIdentity | None = None,
    **kwargs: Any,
) -> Transport:
    creds = credentials or Credentials(user_id=7, auth_token=TOKEN)
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("rate_limit", None)
    dialect = ClubhouseDialect(creds, identity or AppIdentity(), renewer=renewer)
    return Transport(dialect, base_url=url, **kwargs)


class RecordedSleeps(list[float]):
    """A sleep that records each wait instead of waiting: handed to the transport."""

    async def __call__(self, delay: float) -> None:
        self.append(delay)


@pytest.fixture
def sleeps() -> RecordedSleeps:
    return RecordedSleeps()


async def test_sends_identity_and_auth_headers() -> None:
    creds = Credentials(user_id=7, auth_token=TOKEN)
    async with scripted_server() as server:
        transport = make_transport(server.url, credentials=creds)
        await transport.request(ENDPOINTS["me"], body={"return_blocked_ids": False})
        await transport.close()
    seen = server.seen[0]
    assert seen.method == "POST" and seen.path == "/api/me"
    assert seen.headers["Authorization"] == f"Token {TOKEN}"
    assert seen.headers["CH-UserID"] == "7"
    assert seen.headers["CH-AppBuild"] == "434"
    assert seen.headers["CH-DeviceId"] == creds.device_id
    assert seen.headers["Content-Type"].startswith("application/json")


async def test_logged_out_ios_sends_null_user_and_no_token() -> None:
    async with scripted_server() as server:
        transport = make_transport(server.url, credentials=Credentials())
        await transport.request(ENDPOINTS["start_phone_number_auth"], body={"phone_number": "+1"})
        await transport.close()
    headers = server.seen[0].headers
    assert "Authorization" not in headers
    assert headers["CH-UserID"] == "(null)"
    assert headers["Accept-Language"] == "en-US;q=1"


async def test_logged_out_android_sends_neither_user_nor_token() -> None:
    creds = Credentials(device_id="0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")
    async with scripted_server() as server:
        transport = make_transport(server.url, credentials=creds, identity=AppIdentity.android())
        await transport.request(ENDPOINTS["start_phone_number_auth"], body={"phone_number": "+1"})
        await transport.close()
    headers = server.seen[0].headers
    assert "Authorization" not in headers and "CH-UserID" not in headers
    assert "Accept-Language" not in headers
    assert headers["User-Agent"] == "clubhouse/android/1890"
    assert (headers["CH-AppBuild"], headers["CH-AppVersion"]) == ("1890", "0.1.4")
    assert headers["CH-DeviceId"] == creds.device_id


@pytest.mark.parametrize("name", ["check_for_update", "refresh_token", "start_phone_number_auth"])
@pytest.mark.parametrize("mode", ["token", "bearer"])
async def test_logged_in_every_request_carries_the_login(name: str, mode: str) -> None:
    """Calls that also work logged out are no exception once there is a login."""
    creds = Credentials(user_id=7, auth_token=TOKEN, access_token="jwt-7", auth_mode=mode)  # type: ignore[arg-type]
    async with scripted_server() as server:
        transport = make_transport(server.url, credentials=creds)
        await transport.request(ENDPOINTS[name], body={"refresh": "r"})
        await transport.close()
    headers = server.seen[0].headers
    expected = f"Token {TOKEN}" if mode == "token" else "Bearer jwt-7"
    assert (headers["Authorization"], headers["CH-UserID"]) == (expected, "7")


async def test_a_user_id_without_a_token_is_logged_out() -> None:
    """After logout the user id stays (the device is the same) but no login goes out."""
    creds = Credentials(user_id=7, auth_token=None)
    async with scripted_server() as server:
        transport = make_transport(server.url, credentials=creds)
        await transport.request(ENDPOINTS["me"], body={})
        await transport.close()
    headers = server.seen[0].headers
    assert "Authorization" not in headers
    assert headers["CH-UserID"] == "(null)"


async def test_retries_5xx_for_idempotent_requests(sleeps: RecordedSleeps) -> None:
    async with scripted_server(
        Reply(status=503),
        Reply(status=502, text="<html>bad gateway</html>", content_type="text/html"),
    ) as server:
        transport = make_transport(server.url, sleep=sleeps)
        result = await transport.request(ENDPOINTS["get_channels"])
        await transport.close()
    assert result == {"success": True}
    assert len(server.seen) == 3
    assert len(sleeps) == 2 and all(0 < s <= FAST.max_delay for s in sleeps)


async def test_does_not_retry_5xx_for_unsafe_requests(sleeps: RecordedSleeps) -> None:
    async with scripted_server(Reply(status=500, json={"detail": "boom"})) as server:
        transport = make_transport(server.url, sleep=sleeps)
        with pytest.raises(errors.ServerError) as info:
            await transport.request(ENDPOINTS["join_channel"], body={"channel": "abc"})
        await transport.close()
    assert len(server.seen) == 1
    assert info.value.status == 500 and info.value.endpoint == "join_channel"
    assert "boom" in str(info.value)


async def test_retry_budget_is_bounded(sleeps: RecordedSleeps) -> None:
    async with scripted_server() as server:
        server.default = Reply(status=503)
        transport = make_transport(server.url, sleep=sleeps)
        with pytest.raises(errors.ServerError):
            await transport.request(ENDPOINTS["get_channels"])
        await transport.close()
    assert len(server.seen) == FAST.max_retries + 1


async def test_honours_retry_after_on_429(sleeps: RecordedSleeps) -> None:
    limited = Reply(status=429, json={"detail": "slow down"}, headers={"Retry-After": "2"})
    async with scripted_server(limited) as server:
        transport = make_transport(server.url, sleep=sleeps)
        await transport.request(ENDPOINTS["join_channel"], body={"channel": "abc"})
        await transport.close()
    assert len(server.seen) == 2
    assert sleeps == [2.0]


async def test_retry_after_beyond_cap_raises_instead_of_sleeping(sleeps: RecordedSleeps) -> None:
    limited = Reply(status=429, json={"detail": "later"}, headers={"Retry-After": "600"})
    async with scripted_server(limited) as server:
        transport = make_transport(server.url, sleep=sleeps)
        with pytest.raises(errors.RateLimitedError) as info:
            await transport.request(ENDPOINTS["get_channels"])
        await transport.close()
    assert info.value.retry_after == 600.0
    assert info.value.status == 429
    assert sleeps == []
    assert len(server.seen) == 1


async def test_client_side_rate_limit_spaces_requests() -> None:
    async with scripted_server() as server:
        transport = make_transport(server.url, rate_limit=RateLimit(per_second=20, burst=5))
        started = time.monotonic()
        await asyncio.gather(*(transport.request(ENDPOINTS["get_channels"]) for _ in range(15)))
        elapsed = time.monotonic() - started
        await transport.close()
    assert len(server.seen) == 15
    # 5 go at once, the other 10 at 20/s: never faster than half a second.
    assert elapsed >= 0.45


async def test_rate_limit_can_be_turned_off() -> None:
    async with scripted_server() as server:
        transport = make_transport(server.url, rate_limit=None)
        await asyncio.gather(*(transport.request(ENDPOINTS["get_channels"]) for _ in range(30)))
        await transport.close()
    assert len(server.seen) == 30


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (
            401,
            {"detail": "Authentication credentials were not provided."},
            errors.AuthenticationError,
        ),
        (
            401,
            {"detail": "Token is invalid or expired", "code": "token_not_valid"},
            errors.TokenExpiredError,
        ),
        (403, {"detail": "You do not have permission to perform this action."}, errors.BannedError),
        (403, {"detail": "Forbidden for you"}, errors.ForbiddenError),
        (
            400,
            {"success": False, "error_message": "Your account is waitlisted"},
            errors.WaitlistedError,
        ),
        (404, {"detail": "Not found."}, errors.NotFoundError),
        (
            400,
            {"success": False, "error_message": "That room is no longer available 👋🏼"},
            errors.RoomNotAvailableError,
        ),
        (
            400,
            {"success": False, "error_message": "Please upgrade the app to join rooms!"},
            errors.BadRequestError,
        ),
        (200, {"success": False, "error_message": "Nope"}, errors.BadRequestError),
        (500, {"detail": "boom"}, errors.ServerError),
    ],
)
async def test_error_mapping_over_http(status: int, body: dict[str, Any], expected: type) -> None:
    async with scripted_server(Reply(status=status, json=body)) as server:
        transport = make_transport(server.url, retry=RetryPolicy(max_retries=0))
        with pytest.raises(expected) as info:
            await transport.request(ENDPOINTS["join_channel"], body={"channel": "x"})
        await transport.close()
    error = info.value
    assert type(error) is expected
    assert error.status == status and error.endpoint == "join_channel"
    server_message = body.get("error_message") or body.get("detail")
    assert server_message in str(error)


async def test_non_json_success_is_a_decode_error() -> None:
    html = Reply(status=200, text="<html>captive portal</html>", content_type="text/html")
    async with scripted_server(html) as server:
        transport = make_transport(server.url)
        with pytest.raises(errors.DecodeError) as info:
            await transport.request(ENDPOINTS["me"], body={})
        await transport.close()
    assert "text/html" in str(info.value)


async def test_wrong_top_level_shape_is_a_decode_error() -> None:
    async with scripted_server(Reply(json=[1, 2, 3])) as server:
        transport = make_transport(server.url)
        with pytest.raises(errors.DecodeError):
            await transport.request(ENDPOINTS["me"], body={})
        await transport.close()


async def test_connection_refused_is_a_connection_error(sleeps: RecordedSleeps) -> None:
    transport = make_transport("http://127.0.0.1:9/api/", sleep=sleeps)
    with pytest.raises(errors.ClubhouseConnectionError) as info:
        await transport.request(ENDPOINTS["join_channel"], body={"channel": "x"})
    await transport.close()
    # Never-sent requests are retried even when not idempotent.
    assert len(sleeps) == FAST.max_retries
    assert TOKEN not in str(info.value)


async def test_timeout_is_a_timeout_error(sleeps: RecordedSleeps) -> None:
    from aiohttp import web
    from aiohttp.test_utils import TestServer

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.json_response({})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", slow)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        transport = make_transport(
            str(server.make_url("/api/")),
            timeout=0.2,
            retry=RetryPolicy(max_retries=0),
            sleep=sleeps,
        )
        with pytest.raises(errors.ClubhouseTimeoutError):
            await transport.request(ENDPOINTS["join_channel"], body={"channel": "x"})
        await transport.close()
    finally:
        await server.close()


async def test_bearer_mode_refreshes_once_on_401() -> None:
    expired = Reply(
        status=401, json={"detail": "Token is invalid or expired", "code": "token_not_valid"}
    )
    async with scripted_server(expired) as server:
        creds = Credentials(
            user_id=7, access_token="old-access-token", refresh_token="r-1", auth_mode="bearer"
        )
        calls: list[Secrets] = []

        async def refresher(refused: Secrets) -> bool:
            calls.append(refused)
            creds.access_token = "new-access-token"
            return True

        transport = make_transport(server.url, credentials=creds, renewer=refresher)
        await transport.request(ENDPOINTS["me"], body={})
        await transport.close()
    assert calls == [(None, "old-access-token", "r-1")]  # told what was refused
    assert [s.headers["Authorization"] for s in server.seen] == [
        "Bearer old-access-token",
        "Bearer new-access-token",
    ]


async def test_bearer_mode_gives_up_after_one_refresh() -> None:
    expired = Reply(
        status=401, json={"detail": "Token is invalid or expired", "code": "token_not_valid"}
    )
    async with scripted_server(expired, expired, expired) as server:
        creds = Credentials(
            user_id=7, access_token="a-token-1", refresh_token="r-1", auth_mode="bearer"
        )

        async def refresher(refused: Secrets) -> bool:
            return True

        transport = make_transport(server.url, credentials=creds, renewer=refresher)
        with pytest.raises(errors.TokenExpiredError):
            await transport.request(ENDPOINTS["me"], body={})
        await transport.close()
    assert len(server.seen) == 2


async def test_token_mode_never_refreshes() -> None:
    denied = Reply(status=401, json={"detail": "Authentication credentials were not provided."})
    async with scripted_server(denied) as server:
        refreshed: list[bool] = []

        async def refresher(refused: Secrets) -> bool:
            refreshed.append(True)
            return True

        transport = make_transport(server.url, renewer=refresher)
        with pytest.raises(errors.AuthenticationError):
            await transport.request(ENDPOINTS["me"], body={})
        await transport.close()
    assert refreshed == []


async def test_secrets_never_reach_logs_reprs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    from aioclubhouse.session import ClubhouseSession

    echo = Reply(status=400, json={"success": False, "error_message": f"bad token {TOKEN}"})
    creds = Credentials(
        user_id=7, auth_token=TOKEN, access_token="acc-" + TOKEN, refresh_token="ref-" + TOKEN
    )
    caplog.set_level(logging.DEBUG)
    async with (
        scripted_server(echo) as server,
        ClubhouseSession(
            creds, base_url=server.url, rate_limit=None, retry=RetryPolicy(max_retries=0)
        ) as session,
    ):
        with pytest.raises(errors.BadRequestError) as info:
            await session.me()
        logging.getLogger("aioclubhouse").warning("echo %s", TOKEN)
        texts = [
            repr(session),
            str(session),
            repr(creds),
            str(creds),
            repr(session.credentials),
        ]
    texts += [record.getMessage() for record in caplog.records]
    assert caplog.records, "expected debug logging from the transport"
    for text in texts:
        assert TOKEN not in text, text
    # The server's own words are kept on the error, with the token it echoed cut out.
    assert info.value.body["error_message"] == f"bad token {REDACTED}"
    assert str(info.value).endswith(f"bad token {REDACTED}")


async def test_error_from_response_keeps_server_message() -> None:
    error = error_from_response(429, {"detail": "slow"}, "me", retry_after=3.0)
    assert isinstance(error, errors.RateLimitedError)
    assert error.retry_after == 3.0 and error.message == "slow"


async def test_caller_session_is_not_closed() -> None:
    async with scripted_server() as server, aiohttp.ClientSession() as http:
        transport = make_transport(server.url, http_session=http)
        await transport.request(ENDPOINTS["get_channels"])
        await transport.close()
        assert not http.closed


def test_sync_with_is_refused() -> None:
    from aioclubhouse.session import ClubhouseSession

    with pytest.raises(TypeError, match="async with"), ClubhouseSession():
        pass


async def test_unclosed_session_warns() -> None:
    from aioclubhouse.session import ClubhouseSession

    async with scripted_server() as server:
        session = ClubhouseSession(base_url=server.url)
        await session.__aenter__()
        http = session._transport.open()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            del session
            gc.collect()
        await http.close()
    assert any(
        issubclass(w.category, ResourceWarning) and "Unclosed" in str(w.message) for w in caught
    )


async def test_html_429_keeps_retry_after_and_respects_the_cap(sleeps: RecordedSleeps) -> None:
    html = Reply(
        status=429,
        text="<html>Too Many Requests</html>",
        content_type="text/html",
        headers={"Retry-After": "120"},
    )
    async with scripted_server(html) as server:
        transport = make_transport(server.url, sleep=sleeps)
        with pytest.raises(errors.RateLimitedError) as info:
            await transport.request(ENDPOINTS["get_channels"])
        await transport.close()
    assert info.value.retry_after == 120.0
    assert len(server.seen) == 1 and sleeps == []


async def test_a_closed_session_raises_a_typed_error() -> None:
    from aioclubhouse.session import ClubhouseSession

    async with scripted_server() as server:
        session = ClubhouseSession(base_url=server.url, rate_limit=None)
        async with session:
            await session.get_channels()
        with pytest.raises(errors.SessionClosedError):
            await session.get_channels()
    assert isinstance(errors.SessionClosedError("x"), errors.ClubhouseError)


async def test_a_body_that_is_not_json_is_refused_before_sending() -> None:
    import datetime as dt

    async with scripted_server() as server:
        transport = make_transport(server.url)
        with pytest.raises(errors.InvalidArgumentError, match="JSON"):
            await transport.request(ENDPOINTS["me"], body={"when": dt.datetime.now()})
        await transport.close()
    assert server.seen == []


def test_decode_errors_do_not_carry_tokens() -> None:
    from aioclubhouse.models import JoinChannelResult
    from aioclubhouse.models.converter import structure

    payload = {"channel": ["not", "a", "string"], "token": "rtc-secret", "pubnub_token": "pn-1234"}
    with pytest.raises(errors.DecodeError) as info:
        structure(payload, JoinChannelResult)
    body = info.value.body
    assert body["token"] != "rtc-secret" and body["pubnub_token"] != "pn-1234"
    for secret in ("rtc-secret", "pn-1234"):
        assert secret not in repr(body) and secret not in str(info.value)
