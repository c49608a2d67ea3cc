"""Regressions found in review: concurrent token refresh and where renewed tokens go."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from aioclubhouse import ClubhouseSession, Credentials
from aioclubhouse.auth import CREDENTIALS_ENV
from aioclubhouse.emulator import Emulator

from .conftest import SessionFactory


async def test_concurrent_401s_refresh_once_and_all_succeed(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    ch = session_for("Busy", auth_mode="bearer")
    first_refresh = ch.credentials.refresh_token
    past_expiry = time.time() + clubhouse_emulator.config.access_token_ttl + 60
    clubhouse_emulator.world.clock = lambda: past_expiry  # the access token has expired
    results = await asyncio.gather(*(ch.me() for _ in range(5)), return_exceptions=True)
    assert [type(r).__name__ for r in results] == ["MeResult"] * 5
    assert ch.credentials.refresh_token != first_refresh
    assert len(clubhouse_emulator.api_requests.to("refresh_token")) == 1


async def test_from_file_default_path_keeps_renewed_tokens(
    clubhouse_emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = tmp_path / "config" / "credentials.json"
    monkeypatch.setenv(CREDENTIALS_ENV, str(default))  # where the default path points
    clubhouse_emulator.config.access_token_ttl = 0.5
    login = clubhouse_emulator.login(name="Saver")
    Credentials(
        user_id=login["user_id"],
        auth_token=login["auth_token"],
        access_token=login["access_token"],
        refresh_token=login["refresh_token"],
        device_id=login["device_id"],
        auth_mode="bearer",
    ).save()
    past_expiry = time.time() + 60
    clubhouse_emulator.world.clock = lambda: past_expiry  # the access token has expired
    async with ClubhouseSession.from_file(base_url=clubhouse_emulator.base_url) as ch:
        await ch.me()  # refreshes: the old refresh token is now dead on the service
    saved = json.loads(default.read_text())
    assert saved["refresh_token"] != login["refresh_token"]
    async with ClubhouseSession.from_file(base_url=clubhouse_emulator.base_url) as again:
        me = await again.me()
    assert me.user_profile is not None and me.user_profile.user_id == login["user_id"]
