"""``listen`` and ``events`` through click's runner and as processes."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from aioclubhouse import ClubhouseSession, Credentials
from aioclubhouse.bridge import SCHEMA_VERSION, event_type, from_json
from aioclubhouse.emulator import Emulator
from aioclubhouse.profiles import Profiles
from aioclubhouse.rooms import Connected, Left, RoomEnded, SpeechTranscribed
from tests.support.waiting import until

from .support import Cli, command_env, in_room, json_lines, no_traceback, one_line


async def host_session(emulator: Emulator) -> ClubhouseSession:
    login = emulator.login(name="Cli Host")
    credentials = Credentials(
        user_id=login["user_id"], auth_token=login["auth_token"], device_id=login["device_id"]
    )
    return ClubhouseSession(credentials, base_url=emulator.base_url, rate_limit=None)


async def test_listen_json_streams_the_room_in_the_event_format(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int
) -> None:
    async with await host_session(clubhouse_emulator) as host:
        created = await host.create_channel(topic="cli listen")
        listening = asyncio.ensure_future(cli.run("listen", created.channel, "--json"))
        # Subscribed, not only joined: an end before the subscription is up is refused
        # at the join (an error), not delivered as an event.
        await until(
            lambda: clubhouse_emulator.hub.is_polling(
                str(logged_in), f"channel_all.{created.channel}"
            ),
            what="the room's open long-poll",
        )
        await host.end_channel(created.channel)
        result = await listening
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    events = [from_json(line) for line in lines]  # the bridge's format, read back
    assert isinstance(events[0], Connected) and isinstance(events[-1], Left)
    assert any(isinstance(event, RoomEnded) for event in events)
    records = json_lines(result.stdout)
    ended = records[[type(event) for event in events].index(RoomEnded)]
    assert ended["type"] == event_type(RoomEnded) and ended["schema"] == SCHEMA_VERSION
    assert ended["room"] == created.channel
    assert ended["id"] == f"{ended['pubnub_channel']}:{ended['timetoken']}"
    assert f"Listening to {created.channel}: cli listen" in result.stderr


async def test_listen_without_a_room_joins_the_fullest_and_prints_plain_lines(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int
) -> None:
    busiest = max(clubhouse_emulator.world.rooms.feed(logged_in), key=lambda r: len(r.users))
    result = await cli.run("listen", "--seconds", "1")
    assert result.exit_code == 0, result.output
    assert f"Listening to {busiest.channel}: {busiest.topic}" in result.stderr
    first = result.stdout.splitlines()[0]
    assert first.endswith("  connected") and first[2] == ":"  # "12:00:01  connected"
    assert f"Left {busiest.channel}" in result.stderr
    assert not in_room(clubhouse_emulator, busiest.channel, logged_in)


async def test_listen_ends_quietly_when_the_pipe_closes_and_leaves_the_room(
    clubhouse_emulator: Emulator, logged_in: int
) -> None:
    channel = clubhouse_emulator.world.rooms.feed(logged_in)[0].channel
    reader, writer = os.pipe()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "aioclubhouse", "listen", channel,
        stdout=writer, stderr=asyncio.subprocess.PIPE, env=command_env(),
    )  # fmt: skip
    os.close(writer)
    first = await asyncio.to_thread(os.read, reader, 200)  # like `head -1`: one line ...
    await until(lambda: in_room(clubhouse_emulator, channel, logged_in), what="the join")
    os.close(reader)  # ... then the reader goes away
    assert process.stderr is not None
    err = (await asyncio.wait_for(process.stderr.read(), 30)).decode()
    code = await asyncio.wait_for(process.wait(), 30)
    assert b"connected" in first
    assert code == 0 and no_traceback(err) and "BrokenPipe" not in err
    assert not in_room(clubhouse_emulator, channel, logged_in)


async def test_events_streams_user_events(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int
) -> None:
    plain = await cli.run("events", "--seconds", "1")
    machine = await cli.run("events", "--seconds", "1", "--json")
    assert plain.exit_code == machine.exit_code == 0, plain.output
    assert plain.stdout.splitlines()[0].endswith("connected")
    assert json_lines(machine.stdout)[0]["type"] == event_type(Connected)


def test_events_off_the_emulator_explains_the_one_way(cli: Cli) -> None:
    # Nothing is sent anywhere: the refusal comes before any request.
    Profiles().save(
        "default",
        Credentials(user_id=7, auth_token="tok-real", base_url="https://www.clubhouseapi.com/api/"),
    )
    result = cli("events", "--seconds", "1")
    assert result.exit_code == 2
    assert "aioclubhouse listen ROOM" in result.stderr
    assert "AIOCLUBHOUSE_PUBNUB_TOKEN" in result.stderr and "--pubnub-token-file" in result.stderr
    assert one_line(result.stderr) and no_traceback(result.output)


def test_a_token_on_the_command_line_is_refused(cli: Cli) -> None:
    result = cli("events", "--pubnub-token", "secret-on-the-command-line")
    assert result.exit_code == 2
    assert "not taken on the command line" in result.stderr


async def test_events_reads_a_pubnub_token_from_the_environment_or_a_file(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int, tmp_path: Path
) -> None:
    profile = Profiles().load()
    async with profile.session(rate_limit=None) as session:
        channel = clubhouse_emulator.world.rooms.feed(logged_in)[0].channel
        joined = await session.join_channel(channel)
        token = joined.pubnub_token
        assert token
        other_origin = f"localhost:{clubhouse_emulator.port}"  # not the API's host name
        by_env = await cli.run(
            "events", "--seconds", "1", "--json", "--pubnub-origin", other_origin,
            env={"AIOCLUBHOUSE_PUBNUB_TOKEN": token},
        )  # fmt: skip
        token_file = tmp_path / "pubnub-token"
        token_file.write_text(token + "\n")
        by_file = await cli.run(
            "events", "--seconds", "1", "--json", "--pubnub-origin", other_origin,
            "--pubnub-token-file", str(token_file),
        )  # fmt: skip
        await session.leave_channel(channel)
    for result in (by_env, by_file):
        assert result.exit_code == 0, result.output
        assert json_lines(result.stdout)[0]["type"] == event_type(Connected)
        assert token not in result.output
    without = await cli.run("events", "--seconds", "1", "--pubnub-origin", other_origin)
    assert without.exit_code == 2 and "listen ROOM" in without.stderr


def test_listen_transcribe_json_carries_who_said_what(cli: Cli) -> None:
    pytest.importorskip("pocketsphinx", reason="needs aioclubhouse[transcribe]")
    result = cli("--emulator", "listen", "--json", "--seconds", "6", "--transcribe")
    assert result.exit_code == 0, result.output
    events = [from_json(line) for line in result.stdout.splitlines()]
    said = [event for event in events if isinstance(event, SpeechTranscribed)]
    assert said, "the emulator's speakers said nothing that was recognised"
    for event in said:
        assert event.name and event.text and 0 <= event.start < event.end
    records = [r for r in json_lines(result.stdout) if r["type"] == "speech_transcribed"]
    assert [r["id"] for r in records] == [
        f"{e.channel}:speech_transcribed:{e.timetoken}:{e.user_id}" for e in said
    ]
