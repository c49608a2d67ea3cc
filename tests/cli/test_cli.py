"""The ``aioclubhouse`` command, run as a real process against the emulator."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from aioclubhouse import ClubhouseSession, Credentials
from aioclubhouse.emulator import Emulator, EmulatorConfig

PHONE = "+15550107777"


@pytest.fixture
def clubhouse_emulator_config() -> EmulatorConfig:
    return EmulatorConfig(
        seed=11, poll_timeout=2.0, rate_limit_per_second=10_000, rate_limit_burst=10_000
    )


async def cli(
    emulator: Emulator, creds: Path, *args: str, wait: float = 60
) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "aioclubhouse.cli",
        "--base-url",
        emulator.base_url,
        "--credentials",
        str(creds),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    out, err = await asyncio.wait_for(process.communicate(), wait)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def logged_in(emulator: Emulator, tmp_path: Path) -> Path:
    creds = tmp_path / "creds.json"
    code, _out, err = await cli(
        emulator, creds, "login", PHONE, "--code", emulator.config.verification_code
    )
    assert code == 0, err
    return creds


async def test_login_saves_private_credentials(
    clubhouse_emulator: Emulator, tmp_path: Path
) -> None:
    creds = await logged_in(clubhouse_emulator, tmp_path)
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    saved = json.loads(creds.read_text())
    user = clubhouse_emulator.world.accounts.by_phone(PHONE)
    assert user is not None and saved["user_id"] == user.user_id
    code, out, _ = await cli(clubhouse_emulator, creds, "me")
    assert code == 0 and json.loads(out)["user_profile"]["user_id"] == user.user_id
    assert saved["auth_token"] not in out


async def test_wrong_code_fails_cleanly(clubhouse_emulator: Emulator, tmp_path: Path) -> None:
    code, _out, err = await cli(
        clubhouse_emulator, tmp_path / "c.json", "login", PHONE, "--code", "1"
    )
    assert code == 1 and "error:" in err and "Traceback" not in err
    assert not (tmp_path / "c.json").exists()


async def test_commands_without_login_explain_what_to_do(
    clubhouse_emulator: Emulator, tmp_path: Path
) -> None:
    code, _, err = await cli(clubhouse_emulator, tmp_path / "missing.json", "me")
    assert code == 2 and "aioclubhouse login" in err


async def test_rooms_and_call_any_endpoint(clubhouse_emulator: Emulator, tmp_path: Path) -> None:
    creds = await logged_in(clubhouse_emulator, tmp_path)
    code, out, _ = await cli(clubhouse_emulator, creds, "rooms")
    lines = [line.split("\t") for line in out.splitlines()]
    user = clubhouse_emulator.world.accounts.by_phone(PHONE)
    assert user is not None
    live = [room.channel for room in clubhouse_emulator.world.rooms.feed(user.user_id)]
    assert code == 0 and all(len(parts) == 3 for parts in lines)
    assert [parts[0] for parts in lines] == live
    channel = lines[0][0]
    code, out, _ = await cli(
        clubhouse_emulator, creds, "call", "get_channel", "--json", json.dumps({"channel": channel})
    )
    assert code == 0 and json.loads(out)["channel"] == channel
    user_id = json.loads(out)["users"][0]["user_id"]
    code, out, _ = await cli(
        clubhouse_emulator,
        creds,
        "call",
        "get_following",
        "--json",
        json.dumps({"user_id": user_id}),
        "--limit",
        "3",
    )
    assert code == 0
    items = [json.loads(line) for line in out.splitlines()]
    assert 0 < len(items) <= 3 and all("user_id" in item for item in items)


async def test_bad_arguments_are_reported_not_crashed(
    clubhouse_emulator: Emulator, tmp_path: Path
) -> None:
    creds = await logged_in(clubhouse_emulator, tmp_path)
    code, _, err = await cli(clubhouse_emulator, creds, "call", "get_profile", "--json", "{oops")
    assert code == 1 and "--json" in err and "Traceback" not in err
    code, _, err = await cli(
        clubhouse_emulator, creds, "call", "get_profile", "--json", '{"user_id": -4}'
    )
    assert code == 1 and "user_id" in err


async def test_listen_streams_room_events_as_json_lines(
    clubhouse_emulator: Emulator, tmp_path: Path
) -> None:
    creds = await logged_in(clubhouse_emulator, tmp_path)
    login = clubhouse_emulator.login(name="Cli Host")
    creds_host = Credentials(
        user_id=login["user_id"], auth_token=login["auth_token"], device_id=login["device_id"]
    )
    async with ClubhouseSession(
        creds_host, base_url=clubhouse_emulator.base_url, rate_limit=None
    ) as host_session:
        created = await host_session.create_channel(topic="cli listen")
        process = asyncio.create_task(
            cli(clubhouse_emulator, creds, "listen", created.channel, "--seconds", "6")
        )
        # Wait until the listener is in the room, then end it: the listener must see both.
        for _ in range(100):
            current = await host_session.get_channel(created.channel)
            if len(current.users) >= 2:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        await host_session.end_channel(created.channel)
        code, out, err = await process
    assert code == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    types = [event["type"] for event in events]
    assert "Connected" in types and "RoomEnded" in types and types[-1] == "Left"


async def test_events_streams_user_events_against_the_emulator(
    clubhouse_emulator: Emulator, tmp_path: Path
) -> None:
    creds = await logged_in(clubhouse_emulator, tmp_path)
    code, out, err = await cli(clubhouse_emulator, creds, "events", "--seconds", "2")
    assert code == 0, err
    assert json.loads(out.splitlines()[0])["type"] == "Connected"


async def test_events_for_another_pubnub_host_needs_a_token(
    clubhouse_emulator: Emulator, tmp_path: Path
) -> None:
    creds = await logged_in(clubhouse_emulator, tmp_path)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "aioclubhouse.cli",
        "--base-url",
        "https://www.clubhouseapi.com/api/",
        "--credentials",
        str(creds),
        "events",
        "--seconds",
        "1",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1
    assert "pubnub_token" in err.decode() and "Traceback" not in err.decode()
