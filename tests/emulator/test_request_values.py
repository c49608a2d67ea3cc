"""The emulator's one reader of numbers and flags, and the services that use it over HTTP."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from aioclubhouse.emulator.clarity import ClarityEmulator
from aioclubhouse.emulator.request_values import MAX_INT_DIGITS, read_bool, read_int

from .api_support import open_api
from .pubnub_testkit import RunningHub


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        (7, 7),
        (-3, -3),
        (4.0, 4),
        (" 12 ", 12),
        ("+5", 5),
        ("-5", -5),
        ("9" * MAX_INT_DIGITS, int("9" * MAX_INT_DIGITS)),
        ("9" * (MAX_INT_DIGITS + 1), None),
        ("²", None),
        ("١٢", None),
        ("1_000", None),
        ("", None),
        ("-", None),
        (4.5, None),
        (float("inf"), None),
        (True, None),
        (None, None),
        ([1], None),
    ],
)
def test_read_int(sent: Any, read: int | None) -> None:
    assert read_int(sent) == read


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("TRUE", True),
        (" no ", False),
        ("yes", True),
        ("0", False),
        (2, None),
        ("maybe", None),
        (None, None),
    ],
)
def test_read_bool(sent: Any, read: bool | None) -> None:
    assert read_bool(sent) is read


async def test_clarity_refuses_unusable_numbers_without_crashing() -> None:
    # Numbers arrive as text only in the query string (or a form), which must be let in.
    async with (
        ClarityEmulator(post_encodings=("json", "query")) as emu,
        aiohttp.ClientSession() as http,
    ):
        token = emu.issue_token()

        async def status_of(method: str, path: str, **params: str) -> tuple[int, Any]:
            params["oauth_token"] = token
            async with http.request(method, emu.base_url + path, params=params) as response:
                return response.status, await response.json(content_type=None)

        assert await status_of("GET", "calls/²") == (404, {"error": "not found"})
        assert (await status_of("GET", "members/²"))[0] == 404
        for offset in ("²", "9" * 5000, "-1"):
            status, body = await status_of("GET", "search", q="a", offset=offset)
            assert (status, body) == (400, {"error": "offset must be a non-negative integer"})
        status, body = await status_of("POST", "calls", expert_id="²", expires_in="1", reason="x")
        assert (status, body) == (400, {"error": "expert_id must be an integer"})
        status, body = await status_of("POST", "needs", description="d", paid="perhaps")
        assert (status, body) == (400, {"error": "paid must be true or false"})


async def test_clubhouse_api_names_the_unusable_field() -> None:
    async with open_api() as api:
        credentials = api.emulator.login()
        status, body = await api.call(
            "get_profile", {"user_id": "²"}, token=credentials["auth_token"]
        )
    assert (status, body) == (
        400,
        {"success": False, "error_message": "user_id must be an integer"},
    )


async def test_pubnub_refuses_a_timetoken_that_is_not_ascii_digits(
    running_hub: RunningHub,
) -> None:
    running_hub.hub.grant("token", 1, ["users.1"])
    url = f"{running_hub.url}/v2/subscribe/sub-c-test/users.1/0"
    async with (
        aiohttp.ClientSession() as http,
        http.get(url, params={"tt": "١٢", "auth": "token"}) as response,
    ):
        assert response.status == 400
        assert await response.json() == {
            "status": 400,
            "error": True,
            "message": "Invalid timetoken",
        }
