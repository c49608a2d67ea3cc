"""The command line in a real terminal: what a person sees, and what Ctrl-C does."""

from __future__ import annotations

import json
from pathlib import Path

from aioclubhouse import ClubhouseSession, Credentials
from aioclubhouse.emulator import Emulator
from tests.support.waiting import until

from .support import PHONE, Cli, command_env, in_room
from .terminal import CTRL_C, Terminal


def session_for(emulator: Emulator, name: str) -> ClubhouseSession:
    login = emulator.login(name=name)
    credentials = Credentials(
        user_id=login["user_id"], auth_token=login["auth_token"], device_id=login["device_id"]
    )
    return ClubhouseSession(credentials, base_url=emulator.base_url, rate_limit=None)


async def test_listen_shows_roster_events_and_state_and_ctrl_c_leaves(
    clubhouse_emulator: Emulator, logged_in: int
) -> None:
    async with (
        session_for(clubhouse_emulator, "Pty Host") as host,
        session_for(clubhouse_emulator, "Guest Person") as guest,
    ):
        created = await host.create_channel(topic="Terminal test room")
        channel = created.channel
        async with Terminal("listen", channel, env=command_env()) as terminal:
            await terminal.wait_for(
                lambda s: "Moderators (1)" in s and "Pty Host" in s and "● connected" in s,
                what="the roster and the connection state",
            )
            await guest.join_channel(channel)
            expected = [
                "Guest Person joined",  # the event log
                "Listeners (2)",  # the roster, updated
                "3 people",  # the status line
                "Ctrl-C leaves the room",
                "Terminal test room",
                "Events",
            ]
            screen = await terminal.wait_for(
                lambda s: all(text in s for text in expected), what="the join, shown everywhere"
            )
            assert "1 on stage" in screen and channel in screen
            assert in_room(clubhouse_emulator, channel, logged_in)
            terminal.type(CTRL_C)
            assert await terminal.exit_code() == 130
        assert not in_room(clubhouse_emulator, channel, logged_in)  # the emulator saw it leave
        assert f"Left {channel} (user)" in terminal.text
        assert "Traceback" not in terminal.text


async def test_listen_on_the_embedded_emulator_as_the_readme_shows() -> None:
    env = command_env(AIOCLUBHOUSE_EMULATOR_ACTIVITY="4")
    async with Terminal("--emulator", "listen", env=env) as terminal:
        screen = await terminal.wait_for(
            lambda s: "● connected" in s and "Moderators (" in s and "Speakers (" in s,
            what="the live view of the fullest room",
        )
        assert "Listeners (" in screen and "people" in screen
        terminal.type(CTRL_C)
        assert await terminal.exit_code() == 130


async def test_export_shows_a_progress_bar(clubhouse_emulator: Emulator, logged_in: int) -> None:
    popular = sorted(clubhouse_emulator.world.state.users)[0]
    total = len(clubhouse_emulator.world.social.followers_of(popular))
    clubhouse_emulator.faults.latency = 0.1  # pages arrive slowly enough to be drawn
    args = ("export", "followers", str(popular), "--out", "followers.jsonl")
    async with Terminal(*args, env=command_env()) as terminal:
        running = await terminal.wait_for(
            lambda s: "items ·" in s and "━" in s and "/s" in s, what="the running progress bar"
        )
        assert f"/{total} items" in running  # the service says how many: a known total
        assert await terminal.exit_code() == 0
    assert f"{total}/{total} items" in terminal.text and "pages" in terminal.text
    assert f"Exported {total} followers of user {popular}" in terminal.text


async def test_ctrl_c_stops_an_export_which_then_resumes(
    clubhouse_emulator: Emulator, logged_in: int, cli: Cli, tmp_path: Path
) -> None:
    popular = sorted(clubhouse_emulator.world.state.users)[0]
    followers = set(clubhouse_emulator.world.social.followers_of(popular))
    out = tmp_path / "followers.jsonl"
    cursor = tmp_path / "followers.jsonl.cursor"
    clubhouse_emulator.faults.latency = 0.3
    args = ("export", "followers", str(popular), "--out", str(out))
    async with Terminal(*args, env=command_env()) as terminal:
        await until(
            lambda: cursor.exists() and json.loads(cursor.read_text())["pages"] >= 2,
            what="two pages written",
        )
        terminal.type(CTRL_C)
        assert await terminal.exit_code() == 130
    assert "run the same command again to continue" in terminal.text.replace("\n", " ")
    clubhouse_emulator.faults.reset()
    resumed = await cli.run(*args)
    assert resumed.exit_code == 0, resumed.output
    ids = [json.loads(line)["user_id"] for line in out.read_text().splitlines()]
    assert len(ids) == len(set(ids)) and set(ids) == followers


async def test_ctrl_c_at_the_code_prompt_exits_at_once(clubhouse_emulator: Emulator) -> None:
    args = ("--base-url", clubhouse_emulator.base_url, "login")
    async with Terminal(*args, env=command_env()) as terminal:
        await terminal.wait_for(lambda s: "Phone number" in s, what="the phone prompt")
        terminal.type(PHONE.encode() + b"\r")
        await terminal.wait_for(
            lambda s: f"Code sent by text message to {PHONE}:" in s, what="the code prompt"
        )
        terminal.type(b"1234")
        await terminal.wait_for(lambda s: "1234" in s, what="the code shown as typed")
        terminal.type(CTRL_C)  # no Enter: the prompt must not wait for one
        assert await terminal.exit_code(limit=5) == 130
    assert "Traceback" not in terminal.text


async def test_record_shows_time_speakers_and_levels(tmp_path: Path) -> None:
    out = tmp_path / "recording"
    args = ("--emulator", "record", "--out", str(out), "--seconds", "4")
    async with Terminal(*args, env=command_env()) as terminal:
        screen = await terminal.wait_for(
            lambda s: "● recording" in s and "speaking" in s and "█" in s,
            what="someone speaking in the level meter",
        )
        assert "/ 4 s" in screen and "recorded" in screen
        assert await terminal.exit_code() == 0
    assert "mix.wav" in terminal.text and (out / "mix.wav").exists()
