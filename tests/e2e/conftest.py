"""End-to-end tests: the SDK over real HTTP against the embedded emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from aioclubhouse import ClubhouseSession, Credentials, RetryPolicy
from aioclubhouse.emulator import Emulator, EmulatorConfig

FAST_RETRY = RetryPolicy(max_retries=3, base_delay=0.01, max_delay=0.05, max_retry_after=5.0)


@pytest.fixture
def clubhouse_emulator_config() -> EmulatorConfig:
    return EmulatorConfig(
        seed=7, poll_timeout=2.0, rate_limit_per_second=10_000, rate_limit_burst=10_000
    )


SessionFactory = Callable[..., ClubhouseSession]


@pytest.fixture
async def session_for(clubhouse_emulator: Emulator) -> AsyncIterator[SessionFactory]:
    """Build SDK sessions logged in as (new or existing) emulator users; closed at teardown."""
    sessions: list[ClubhouseSession] = []

    def make(
        name: str = "Tester", phone_number: str | None = None, **kwargs: object
    ) -> ClubhouseSession:
        login = clubhouse_emulator.login(phone_number=phone_number, name=name)
        creds = Credentials(
            user_id=login["user_id"],
            auth_token=login["auth_token"],
            access_token=login["access_token"],
            refresh_token=login["refresh_token"],
            device_id=login["device_id"],
        )
        kwargs.setdefault("rate_limit", None)
        kwargs.setdefault("retry", FAST_RETRY)
        session = ClubhouseSession(creds, base_url=clubhouse_emulator.base_url, **kwargs)  # type: ignore[arg-type]
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        await session.close()
