"""The `clubhouse_emulator` pytest fixture, loaded the way users load it, in a child pytest."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

CONFTEST = """
pytest_plugins = ["aioclubhouse.emulator.pytest_plugin"]
"""

TEST_MODULE = """
import aiohttp
import pytest


@pytest.mark.asyncio
async def test_uses_the_emulator(clubhouse_emulator):
    credentials = clubhouse_emulator.login(name="Fixture User")
    assert clubhouse_emulator.activity.rate == 0
    headers = {"Authorization": "Token " + credentials["auth_token"]}
    async with aiohttp.ClientSession() as session:
        url = clubhouse_emulator.base_url + "get_channels"
        async with session.get(url, headers=headers) as response:
            assert response.status == 200
        async with session.get("http://" + clubhouse_emulator.origin + "/time/0") as response:
            assert response.status == 200
"""


def test_fixture_gives_a_running_emulator(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(textwrap.dedent(CONFTEST))
    (tmp_path / "test_with_fixture.py").write_text(textwrap.dedent(TEST_MODULE))

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
