"""Fixtures of the command-line tests: a private config directory, a runner, logins.

Every test gets its own user config directory (``XDG_CONFIG_HOME``), so profiles
never touch the real ones, and an emulator whose sample users stay still unless a
test turns their activity on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aioclubhouse.emulator import Emulator, EmulatorConfig

from ..support.nats import nats_client, nats_server
from .support import Cli, save_login

__all__ = ["nats_client", "nats_server"]

CLEARED_ENV = (
    "AIOCLUBHOUSE_CREDENTIALS",
    "AIOCLUBHOUSE_PROFILE",
    "AIOCLUBHOUSE_BASE_URL",
    "AIOCLUBHOUSE_PUBNUB_TOKEN",
    "AIOCLUBHOUSE_EMULATOR_SEED",
)


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh user config directory, and an embedded emulator world that stays still."""
    home = tmp_path / "config"
    home.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    for name in CLEARED_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AIOCLUBHOUSE_EMULATOR_ACTIVITY", "0")
    monkeypatch.chdir(tmp_path)
    yield home


@pytest.fixture
def clubhouse_emulator_config() -> EmulatorConfig:
    return EmulatorConfig(
        seed=11, poll_timeout=2.0, rate_limit_per_second=10_000, rate_limit_burst=10_000
    )


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def logged_in(clubhouse_emulator: Emulator, config_home: Path) -> int:
    """The default profile holds a login at the emulator; its user id."""
    return save_login(clubhouse_emulator, name="Cli Tester")
