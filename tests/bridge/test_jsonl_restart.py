"""A bridge process killed with SIGKILL and started again: the file holds every event once.

The bridge runs as ``python -m aioclubhouse.bridge run`` against the emulator; people
join and leave the room through HTTP before, while and after it is down.  What the
emulator published on the room's channel from the bridge's join on is the truth the
file is held to.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

from aioclubhouse.auth import Credentials
from aioclubhouse.session import ClubhouseSession

from ..rooms.helpers import People
from ..support.waiting import until


def ids_in(path: Path, kind: str | None = None) -> list[str]:
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if kind is None or record["type"] == kind:
            found.append(record["id"])
    return found


async def start_bridge(
    room: str, credentials: Path, api_url: str, target: Path
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "aioclubhouse.bridge",
        "run",
        room,
        "--credentials",
        str(credentials),
        "--api-url",
        api_url,
        "--to",
        f"jsonl:{target}",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


async def come_and_go(visitors: list[ClubhouseSession], channel: str) -> None:
    for visitor in visitors:
        await visitor.join_channel(channel)
        await visitor.leave_channel(channel)


async def test_a_killed_bridge_restarts_and_the_file_holds_every_event_once(
    people: People, tmp_path: Path
) -> None:
    moderator, channel = await people.room_with_moderator("restarts")
    listener = await people.session("Lee Listener")
    credentials = tmp_path / "lee.json"
    Credentials(
        user_id=listener.user_id,
        auth_token=listener.credentials.auth_token,
        device_id=listener.credentials.device_id,
    ).save(credentials)
    await listener.close()
    visitors = [await people.session(f"Visitor {n}") for n in range(9)]
    target = tmp_path / "events.jsonl"
    api_url = people.emu.base_url

    first = await start_bridge(channel, credentials, api_url, target)
    await until(lambda: len(ids_in(target, "connected")) == 1, what="the bridge", limit=60)
    await come_and_go(visitors[:3], channel)
    last = (
        f"channel_all.{channel}:{people.emu.hub.messages(f'channel_all.{channel}')[-1].timetoken}"
    )
    await until(lambda: last in ids_in(target), what="the first events written", limit=30)
    await come_and_go(visitors[3:4], channel)  # maybe written, maybe not: killed now
    first.send_signal(signal.SIGKILL)
    assert await first.wait() == -signal.SIGKILL

    await come_and_go(visitors[4:6], channel)  # while no bridge runs
    second = await start_bridge(channel, credentials, api_url, target)
    await until(lambda: len(ids_in(target, "connected")) == 2, what="the restart", limit=60)
    await come_and_go(visitors[6:], channel)
    await moderator.end_channel(channel)
    _, errors = await asyncio.wait_for(second.communicate(), 60)
    assert second.returncode == 0, errors.decode()

    published = people.emu.hub.messages(f"channel_all.{channel}")
    own_join = next(
        m
        for m in published
        if m.payload.get("action") == "join_channel"
        and m.payload["user_profile"]["user_id"] == listener.user_id
    )
    expected = [
        f"channel_all.{channel}:{m.timetoken}"
        for m in published
        if m.timetoken >= own_join.timetoken
    ]
    written = [i for i in ids_in(target) if i.startswith("channel_all.")]
    assert len(written) == len(set(written)), "an event was written twice"
    assert sorted(written) == sorted(expected)
    assert len(expected) >= 1 + 2 * 9 + 1  # own join, nine visits, the end
    assert ids_in(target, "left") and len(ids_in(target, "connected")) == 2
