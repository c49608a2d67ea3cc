"""Fleet commands refuse bad input with one clear line, and leave nothing running."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from aioclubhouse.auth import Credentials
from aioclubhouse.emulator import Emulator
from aioclubhouse.fleet.local_nats import LocalNatsServer, free_port


async def fleet(*arguments: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "aioclubhouse.fleet",
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, errors = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, (out + errors).decode()


async def test_a_broken_credentials_file_an_unreachable_nats_and_a_bad_url(
    clubhouse_emulator: Emulator, nats_server: LocalNatsServer, tmp_path: Path
) -> None:
    accounts = tmp_path / "accounts"
    accounts.mkdir()
    login = clubhouse_emulator.login(name="Worker Account")
    Credentials(user_id=login["user_id"], auth_token=login["auth_token"]).save(
        accounts / "good.json"
    )
    (accounts / "broken.json").write_text('{"user_id": 5, "auth_token": ')
    api = ["--api-url", clubhouse_emulator.base_url]

    status, text = await fleet("work", "--accounts", str(accounts), "--nats", nats_server.url, *api)
    assert status == 2
    assert "error: accounts:" in text and "broken.json" in text and "not valid JSON" in text
    assert login["auth_token"] not in text

    (accounts / "broken.json").unlink()
    nowhere = f"nats://127.0.0.1:{free_port()}"
    status, text = await fleet("work", "--accounts", str(accounts), "--nats", nowhere, *api)
    assert status == 2 and f"cannot connect to NATS at {nowhere}" in text
    status, text = await fleet("status", "--nats", "http://127.0.0.1:4222")
    assert status == 2 and "is not a NATS URL" in text
    status, text = await fleet(
        "discover", "--credentials", str(tmp_path / "missing.json"), "--nats", nats_server.url, *api
    )
    assert status == 2 and "missing.json" in text

    # Nothing was started: the account is in no room, and NATS holds nothing of a fleet.
    assert clubhouse_emulator.world.rooms.room_of(login["user_id"]) is None
    status, text = await fleet("status", "--nats", nats_server.url)
    assert status == 0 and "0 covered by 0 workers" in text
