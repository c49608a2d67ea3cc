"""Fixtures for the live tests: a real emulator, logged-in sessions, a fast-retry pool."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from aioclubhouse.emulator import Emulator
from aioclubhouse.rooms import RealtimePool

from ..rooms.helpers import FAST, People
from ..support.nats import nats_client, nats_server

__all__ = ["nats_client", "nats_server", "people"]


@pytest_asyncio.fixture
async def people() -> AsyncIterator[People]:
    async with Emulator(seed=5, poll_timeout=2.0) as emulator:
        pool = RealtimePool(FAST)
        crowd = People(emulator, pool)
        try:
            yield crowd
        finally:
            await crowd.close()
            await pool.close()
