"""`python -m aioclubhouse.emulator` in a child process: it serves, prints, and stops on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp

from ..support.waiting import until

STARTUP_LIMIT = 60.0
EXIT_LIMIT = 3.0
PHONE = "+14155550123"
APP_IDENTITY = {
    "CH-AppBuild": "304",
    "CH-AppVersion": "0.1.28",
    "CH-DeviceId": "5E1B8F3C-2A4D-4E6F-8A9B-0C1D2E3F4A5B",
    "User-Agent": "clubhouse/304 (iPhone; iOS 13.5.1; Scale/3.00)",
}


async def read_banner(process: asyncio.subprocess.Process) -> str:
    """Everything printed up to the verification code line."""
    assert process.stdout is not None
    printed: list[str] = []
    async with asyncio.timeout(STARTUP_LIMIT):
        while not any(line.startswith("Verification code") for line in printed):
            line = await process.stdout.readline()
            assert line, f"the emulator exited early: {printed}"
            printed.append(line.decode().strip())
    return "\n".join(printed)


async def phone_login(session: aiohttp.ClientSession, base_url: str, code: str) -> Any:
    async with session.post(
        base_url + "start_phone_number_auth", json={"phone_number": PHONE}, headers=APP_IDENTITY
    ) as response:
        assert response.status == 200, await response.text()
    async with session.post(
        base_url + "complete_phone_number_auth",
        json={"phone_number": PHONE, "verification_code": code},
        headers=APP_IDENTITY,
    ) as response:
        assert response.status == 200, await response.text()
        return await response.json()


async def test_command_line_serves_and_stops_on_sigterm(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "aioclubhouse.emulator",
        "--port",
        "0",
        "--seed",
        "3",
        "--verification-code",
        "654321",
        "--state",
        str(state_file),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        banner = await read_banner(process)
        match = re.search(r"(http://127\.0\.0\.1:(\d+)/api/)", banner)
        assert match is not None, banner
        base_url, port = match.group(1), match.group(2)
        assert "Verification code: 654321" in banner

        async with aiohttp.ClientSession() as session:
            login = await phone_login(session, base_url, "654321")
            assert "user_profile" in login, login
            user_id, token = login["user_profile"]["user_id"], login["auth_token"]
            poll_url = f"http://127.0.0.1:{port}/v2/subscribe/sub/users.{user_id}/0"
            async with session.get(poll_url, params={"tt": "0", "auth": token}) as response:
                cursor = (await response.json())["t"]["t"]
            # a long-poll (20 s by default) is waiting when the signal arrives: the
            # service lists its uuid (the token's own user) as present once it arrived
            poll_params = {"tt": cursor, "auth": token, "uuid": str(user_id)}
            poll = asyncio.create_task(session.get(poll_url, params=poll_params))
            here_now = f"http://127.0.0.1:{port}/v2/presence/sub-key/sub/channel/users.{user_id}"

            async def poll_is_waiting() -> bool:
                async with session.get(here_now, params={"auth": token}) as response:
                    return str(user_id) in (await response.json()).get("uuids", [])

            await until(poll_is_waiting, what="the long-poll to wait at the service")

            process.send_signal(signal.SIGTERM)
            async with asyncio.timeout(EXIT_LIMIT):
                return_code = await process.wait()
            async with await poll as response:
                assert (await response.json())["m"] == []

        assert return_code == 0
        saved = json.loads(state_file.read_text())
        assert saved["pubnub"]["grants"][token]["channels"] == [f"users.{user_id}"]
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
