"""Fixtures of the Clarity tests: a running emulator and sessions of its sample members."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from aioclubhouse.clarity import ClaritySession
from aioclubhouse.emulator.clarity import ClarityEmulator
from aioclubhouse.transport import RetryPolicy

HOUR = dt.timedelta(hours=1)
SEEKER_ID = 6
EXPERT_ID = 7
FAST_RETRY = RetryPolicy(max_retries=2, base_delay=0.0, max_delay=0.0, max_retry_after=1.0)


def open_session(emu: ClarityEmulator, member_id: int) -> ClaritySession:
    """A session for one sample member, without the client-side rate limit."""
    return ClaritySession(
        emu.issue_token(member_id), base_url=emu.base_url, rate_limit=None, retry=FAST_RETRY
    )


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[ClarityEmulator]:
    async with ClarityEmulator() as emulator:
        yield emulator


@pytest_asyncio.fixture
async def seeker(emu: ClarityEmulator) -> AsyncIterator[ClaritySession]:
    """Member 6, who asks for calls."""
    async with open_session(emu, SEEKER_ID) as session:
        yield session


@pytest_asyncio.fixture
async def expert(emu: ClarityEmulator) -> AsyncIterator[ClaritySession]:
    """Member 7 (danmartell), who answers them."""
    async with open_session(emu, EXPERT_ID) as session:
        yield session


@pytest.fixture
def token() -> str:
    return "tok-5f1e2d3c4b5a69788796a5b4"
