"""A small HTTP client for tests of the emulator's API over a real socket."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from aioclubhouse.emulator.app import Emulator

IDENTITY = {"CH-AppBuild": "304", "CH-AppVersion": "0.1.28", "CH-DeviceId": "TEST-DEVICE"}


class Api:
    """Calls ``/api/<name>`` the way the apps do and returns ``(status, json)``."""

    def __init__(self, session: aiohttp.ClientSession, emulator: Emulator) -> None:
        self.session = session
        self.emulator = emulator

    async def call(
        self,
        name: str,
        body: Any = None,
        *,
        token: str | None = None,
        bearer: str | None = None,
        method: str = "POST",
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        data: Any = None,
    ) -> tuple[int, Any]:
        sent = dict(IDENTITY) if headers is None else dict(headers)
        if token is not None:
            sent["Authorization"] = f"Token {token}"
        if bearer is not None:
            sent["Authorization"] = f"Bearer {bearer}"
        url = self.emulator.base_url + name
        async with self.session.request(
            method, url, json=body, data=data, params=params, headers=sent
        ) as response:
            assert response.content_type == "application/json", await response.text()
            return response.status, await response.json()

    async def ok(self, name: str, body: Any = None, **options: Any) -> Any:
        """Call and insist on HTTP 200."""
        status, answer = await self.call(name, body, **options)
        assert status == 200, (name, status, answer)
        return answer


@contextlib.asynccontextmanager
async def open_api(**settings: Any) -> AsyncIterator[Api]:
    """A started emulator (small sample world, no rate limit) and a client for it."""
    defaults: dict[str, Any] = {
        "seed": 1,
        "sample_users": 80,
        "sample_clubs": 6,
        "sample_rooms": 3,
        "rate_limit_per_second": 1e6,
        "rate_limit_burst": 1_000_000,
    }
    async with Emulator(**{**defaults, **settings}) as emulator, aiohttp.ClientSession() as session:
        yield Api(session, emulator)
