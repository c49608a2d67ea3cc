"""A pytest fixture giving each test a fresh, running emulator.

Load it from a ``conftest.py``::

    pytest_plugins = ["aioclubhouse.emulator.pytest_plugin"]

    async def test_me(clubhouse_emulator):
        credentials = clubhouse_emulator.login()
        ...

Override `clubhouse_emulator_config` in a conftest to change the settings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from aioclubhouse.emulator.app import Emulator
from aioclubhouse.emulator.config import EmulatorConfig


@pytest.fixture
def clubhouse_emulator_config() -> EmulatorConfig:
    """Settings of the `clubhouse_emulator` fixture: sample activity off, short long-polls."""
    return EmulatorConfig(activity_rate=0.0, poll_timeout=5.0)


@pytest_asyncio.fixture
async def clubhouse_emulator(
    clubhouse_emulator_config: EmulatorConfig,
) -> AsyncIterator[Emulator]:
    """A started emulator on a free loopback port, stopped after the test."""
    async with Emulator(clubhouse_emulator_config) as emulator:
        yield emulator
