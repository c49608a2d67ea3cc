"""The bridge command's coroutines: specs, accounts, and bad input refused before anything runs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from aioclubhouse.auth import Credentials
from aioclubhouse.bridge import SinkError, SinkOptions, parse_sink_spec
from aioclubhouse.bridge.accounts import AccountsError, load_accounts
from aioclubhouse.bridge.command import run_bridge
from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.fleet.local_nats import free_port
from aioclubhouse.session import ClubhouseSession

from ..rooms.helpers import People
from ..support.waiting import until


def save(session: ClubhouseSession, path: Path) -> Path:
    Credentials(
        user_id=session.user_id,
        auth_token=session.credentials.auth_token,
        device_id=session.credentials.device_id,
    ).save(path)
    return path


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("events.jsonl", "is not a sink"),
        ("kafka:broker:9092", "'kafka' is not a kind of sink"),
        ("jsonl:", "needs a path"),
        ("webhook:ftp://example.com/x", "starts with http:// or https://"),
        ("webhook:https://", "names no host"),
        ("nats:http://127.0.0.1:4222", "is not a NATS URL"),
    ],
)
def test_specs_that_cannot_work_are_refused_by_name(spec: str, problem: str) -> None:
    with pytest.raises(InvalidArgumentError, match="to: ") as refused:
        parse_sink_spec(spec)
    assert problem in str(refused.value)


def test_good_specs_parse() -> None:
    assert parse_sink_spec("jsonl:out/e.jsonl").target == "out/e.jsonl"
    assert parse_sink_spec("nats:nats://a:1,nats://b:2").kind == "nats"
    assert parse_sink_spec("webhook:https://example.com/h").kind == "webhook"


def test_a_broken_credentials_file_is_named(tmp_path: Path) -> None:
    Credentials(user_id=1, auth_token="token-one").save(tmp_path / "a.json")
    (tmp_path / "b.json").write_text("{not json")
    (tmp_path / "c.json").write_text(json.dumps({"user_id": "x"}))
    (tmp_path / "d.json").write_text(json.dumps({"device_id": "D"}))
    Credentials(user_id=1, auth_token="token-one").save(tmp_path / "e.json")
    with pytest.raises(AccountsError) as refused:
        load_accounts(tmp_path)
    message = str(refused.value)
    for name in ("b.json", "c.json", "d.json", "e.json"):
        assert name in message
    assert "not valid JSON" in message and "holds no login" in message
    assert "token-one" not in message
    assert [path.name for path, _ in refused.value.problems] == [
        "b.json",
        "c.json",
        "d.json",
        "e.json",
    ]
    with pytest.raises(InvalidArgumentError, match="holds no credentials file"):
        load_accounts(_empty_folder(tmp_path))
    with pytest.raises(InvalidArgumentError, match="is not a directory"):
        load_accounts(tmp_path / "nowhere")


def _empty_folder(base: Path) -> Path:
    folder = base / "empty"
    folder.mkdir()
    return folder


async def nothing_started(people: People, user_id: int, before: set[asyncio.Task[object]]) -> None:
    assert people.emu.world.rooms.room_of(user_id) is None
    await until(
        lambda: set(asyncio.all_tasks()) - before <= {asyncio.current_task()}, what="no tasks"
    )


async def test_bad_input_stops_the_command_before_anything_starts(
    people: People, tmp_path: Path
) -> None:
    _moderator, channel = await people.room_with_moderator("bad input")
    lee = await people.session("Lee Listener")
    credentials = save(lee, tmp_path / "lee.json")
    assert lee.user_id is not None
    before = set(asyncio.all_tasks())
    api = people.emu.base_url

    with pytest.raises(SinkError, match=r"cannot connect to NATS at nats://127\.0\.0\.1"):
        await run_bridge(
            [channel],
            f"nats:nats://127.0.0.1:{free_port()}",
            credentials=credentials,
            api_url=api,
            sink_options=SinkOptions(connect_timeout=1.0),
        )
    await nothing_started(people, lee.user_id, before)

    with pytest.raises(InvalidArgumentError, match="to: "):
        await run_bridge([channel], "webhook:ftp://nowhere", credentials=credentials, api_url=api)
    broken = tmp_path / "accounts"
    broken.mkdir()
    save(lee, broken / "lee.json")
    (broken / "zed.json").write_text("{")
    target = tmp_path / "never.jsonl"
    with pytest.raises(AccountsError, match=r"zed\.json"):
        await run_bridge([channel], f"jsonl:{target}", accounts=broken, api_url=api)
    assert not target.exists()
    with pytest.raises(InvalidArgumentError, match="2 rooms need 2 accounts"):
        await run_bridge(
            [channel, "other"], f"jsonl:{target}", credentials=credentials, api_url=api
        )
    with pytest.raises(Exception, match=r"no longer available|not available|Room"):
        await run_bridge(["noSuchRm"], f"jsonl:{target}", credentials=credentials, api_url=api)
    await nothing_started(people, lee.user_id, before)


async def test_two_rooms_with_two_accounts_until_stopped(people: People, tmp_path: Path) -> None:
    rooms = [(await people.room_with_moderator(f"room {n}"))[1] for n in range(2)]
    accounts = tmp_path / "accounts"
    accounts.mkdir()
    users = []
    for number in range(2):
        session = await people.session(f"Listener {number}")
        users.append(session.user_id)
        save(session, accounts / f"{number}.json")
    target = tmp_path / "events.jsonl"
    stop = asyncio.Event()
    running = asyncio.create_task(
        run_bridge(
            rooms, f"jsonl:{target}", accounts=accounts, api_url=people.emu.base_url, stop=stop
        )
    )
    await until(
        lambda: all(people.emu.world.rooms.room_of(uid) is not None for uid in users),
        what="both accounts in their rooms",
    )
    stop.set()
    reports = await asyncio.wait_for(running, 30)
    assert sorted(r.room or "" for r in reports) == sorted(rooms)
    assert {r.left_reason for r in reports} == {"user"}
    assert all(people.emu.world.rooms.room_of(uid) is None for uid in users)
    records = [json.loads(line) for line in target.read_text().splitlines()]
    assert {r["room"] for r in records if r["type"] == "left"} == set(rooms)
