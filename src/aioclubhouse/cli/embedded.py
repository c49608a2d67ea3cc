"""``--emulator``: a Clubhouse emulator inside the command, already logged in.

So that any command can be tried on a fresh machine: the emulator serves the seeded
sample world on a free loopback port with its sample users acting on their own
(rooms fill and empty, hands go up, speakers change), and a new account, "Sam
Newcomer", is logged in under a temporary profile that disappears with the command.

The sample world is the same every time (seed 2026): user ids start at 1000, and
user 1000, the most followed person, has a few hundred followers to export.
``AIOCLUBHOUSE_EMULATOR_SEED`` and ``AIOCLUBHOUSE_EMULATOR_ACTIVITY`` (actions per
second, 0 for a still world) change that.
"""

from __future__ import annotations

import os
import tempfile

from ..auth import Credentials
from ..emulator import Emulator
from ..profiles import DEFAULT_PROFILE, Profile, Profiles
from .failures import EXIT_USAGE, CliError

__all__ = ["ACTIVITY_ENV", "SEED_ENV", "EmbeddedEmulator"]

SEED_ENV = "AIOCLUBHOUSE_EMULATOR_SEED"
ACTIVITY_ENV = "AIOCLUBHOUSE_EMULATOR_ACTIVITY"
DEFAULT_SEED = 2026
DEFAULT_ACTIVITY = 2.0
NEWCOMER_PHONE = "+15550100000"
NEWCOMER_NAME = "Sam Newcomer"


def _number(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise CliError(f"${name} must be a number, not {text!r}", EXIT_USAGE) from None
    if value < 0:
        raise CliError(f"${name} must not be negative", EXIT_USAGE)
    return value


class EmbeddedEmulator:
    """A running emulator and the temporary profile logged in to it."""

    def __init__(
        self, emulator: Emulator, profile: Profile, scratch: tempfile.TemporaryDirectory[str]
    ) -> None:
        self.emulator = emulator
        self.profile = profile
        self._scratch = scratch

    @property
    def base_url(self) -> str:
        return self.emulator.base_url

    @classmethod
    async def start(cls) -> EmbeddedEmulator:
        """Serve the sample world and log the newcomer in under a temporary profile."""
        seed = int(_number(SEED_ENV, DEFAULT_SEED))
        activity = _number(ACTIVITY_ENV, DEFAULT_ACTIVITY)
        emulator = Emulator(seed=seed, activity_rate=activity, poll_timeout=10.0)
        await emulator.start()
        scratch = tempfile.TemporaryDirectory(prefix="aioclubhouse-emulator-")
        try:
            login = emulator.login(NEWCOMER_PHONE, name=NEWCOMER_NAME)
            credentials = Credentials(
                user_id=login["user_id"],
                auth_token=login["auth_token"],
                access_token=login["access_token"],
                refresh_token=login["refresh_token"],
                device_id=login["device_id"],
                base_url=emulator.base_url,
            )
            profile = Profiles(scratch.name).save(DEFAULT_PROFILE, credentials)
        except BaseException:
            scratch.cleanup()
            await emulator.stop()
            raise
        return cls(emulator, profile, scratch)

    async def stop(self) -> None:
        """Stop serving and forget the temporary profile."""
        try:
            await self.emulator.stop()
        finally:
            self._scratch.cleanup()
