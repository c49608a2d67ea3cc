"""API fault injection and the per-client rate limit, seen by a plain HTTP client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import attrs
import pytest

from aioclubhouse.emulator.app import Emulator
from aioclubhouse.emulator.faults import Faults


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=2, poll_timeout=2.0) as emulator:
        yield emulator


def headers_for(credentials: dict[str, Any]) -> dict[str, str]:
    return {
        "Authorization": f"Token {credentials['auth_token']}",
        "CH-UserID": str(credentials["user_id"]),
        "CH-DeviceId": credentials["device_id"],
    }


async def get_channels(
    emu: Emulator, credentials: dict[str, Any], *, give_up_after: float = 30.0
) -> tuple[int, Any, dict[str, str]]:
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=give_up_after)) as session,
        session.get(emu.base_url + "get_channels", headers=headers_for(credentials)) as response,
    ):
        return response.status, await response.json(), dict(response.headers)


async def test_working_request_without_faults(emu: Emulator) -> None:
    status, body, _ = await get_channels(emu, emu.login())
    assert status == 200
    assert "channels" in body


async def test_forced_429_answers_the_next_requests_then_stops(emu: Emulator) -> None:
    credentials = emu.login()
    emu.faults.force_429 = 2
    emu.faults.retry_after = 3

    answers = [await get_channels(emu, credentials) for _ in range(3)]

    assert [status for status, _, _ in answers] == [429, 429, 200]
    for _, body, headers in answers[:2]:
        assert body["success"] is False
        assert headers["Retry-After"] == "3"
    assert [(r.endpoint, r.status) for r in emu.api_requests] == [
        ("get_channels", 429),
        ("get_channels", 429),
        ("get_channels", 200),
    ]


async def test_retry_after_zero_is_sent_as_is(emu: Emulator) -> None:
    emu.faults.force_429 = 1
    emu.faults.retry_after = 0

    status, _, headers = await get_channels(emu, emu.login())

    assert (status, headers["Retry-After"]) == (429, "0")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("retry_after", 0.05),
        ("retry_after", -1),
        ("force_429", 1.5),
        ("drop_polls", True),
        ("latency", -0.1),
        ("stall_polls", "1"),
        ("error_rate", 1.5),
    ],
)
def test_faults_refuse_values_they_could_not_honour(name: str, value: object) -> None:
    faults = Faults()
    with pytest.raises(ValueError, match=name):
        setattr(faults, name, value)
    with pytest.raises(ValueError, match=name):
        Faults(**{name: value})  # type: ignore[arg-type]
    assert getattr(faults, name) == getattr(Faults(), name)


def test_reset_puts_back_every_declared_default() -> None:
    faults = Faults(
        latency=1.0, error_rate=0.5, force_429=3, retry_after=9, stall_polls=2.0, drop_polls=4
    )
    assert all(getattr(faults, field.name) != field.default for field in attrs.fields(Faults)), (
        "every field set away from its default"
    )

    faults.reset()

    assert faults == Faults()


async def test_request_log_keeps_no_secrets(emu: Emulator) -> None:
    credentials = emu.login()
    await get_channels(emu, credentials)
    async with (
        aiohttp.ClientSession() as session,
        session.post(emu.base_url + "no_such_endpoint", json={"token": "abc"}) as response,
        session.get(f"http://{emu.origin}/time/0") as realtime,
    ):
        assert (response.status, realtime.status) == (404, 200)

    logged = list(emu.api_requests)
    assert [(r.method, r.endpoint, r.status) for r in logged] == [
        ("GET", "get_channels", 200),
        ("POST", "no_such_endpoint", 404),
    ]
    assert logged[0].received_at <= logged[1].received_at
    assert credentials["auth_token"] not in repr(logged)
    assert emu.api_requests.to("get_channels") == logged[:1]


async def test_error_rate_answers_server_errors_in_json_on_api_paths_only(emu: Emulator) -> None:
    credentials = emu.login()
    emu.faults.error_rate = 1.0

    statuses = set()
    for _ in range(10):
        status, body, _ = await get_channels(emu, credentials)
        statuses.add(status)
        assert body["success"] is False
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://{emu.origin}/time/0") as response,
    ):
        realtime_status = response.status

    assert statuses <= {500, 502, 503}
    assert realtime_status == 200


async def test_latency_delays_api_answers(emu: Emulator) -> None:
    credentials = emu.login()
    emu.faults.latency = 30.0

    with pytest.raises(asyncio.TimeoutError):
        await get_channels(emu, credentials, give_up_after=0.3)

    emu.faults.latency = 0.0
    status, _, _ = await get_channels(emu, credentials)
    assert status == 200


async def test_rate_limit_is_per_client_with_retry_after(emu: Emulator) -> None:
    emu.config.rate_limit_per_second = 0.5
    emu.config.rate_limit_burst = 3
    busy, quiet = emu.login(), emu.login()

    statuses = [(await get_channels(emu, busy))[0] for _ in range(3)]
    limited_status, limited_body, limited_headers = await get_channels(emu, busy)
    quiet_status, _, _ = await get_channels(emu, quiet)

    assert statuses == [200, 200, 200]
    assert limited_status == 429
    assert limited_body["success"] is False
    assert limited_body["error_message"]
    assert int(limited_headers["Retry-After"]) >= 1
    assert quiet_status == 200


async def test_rate_limit_off_when_rate_is_zero(emu: Emulator) -> None:
    emu.config.rate_limit_per_second = 0
    emu.config.rate_limit_burst = 1
    credentials = emu.login()

    statuses = {(await get_channels(emu, credentials))[0] for _ in range(5)}

    assert statuses == {200}
