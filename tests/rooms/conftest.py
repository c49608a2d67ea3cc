"""Fixtures for the room tests: a real emulator, logged-in sessions, a fast-retry pool."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from aioclubhouse.emulator import Emulator
from aioclubhouse.rooms import RealtimePool

from .helpers import FAST, People


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=3, poll_timeout=2.0) as emulator:
        yield emulator


@pytest_asyncio.fixture
async def pool() -> AsyncIterator[RealtimePool]:
    realtime = RealtimePool(FAST)
    yield realtime
    await realtime.close()


@pytest_asyncio.fixture
async def people(emu: Emulator, pool: RealtimePool) -> AsyncIterator[People]:
    crowd = People(emu, pool)
    yield crowd
    await crowd.close()
