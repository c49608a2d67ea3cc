"""``rooms``, ``room``, ``endpoints`` and ``call`` against the emulator."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aioclubhouse.cli.app import cli as root
from aioclubhouse.cli.commands.api import endpoint_command
from aioclubhouse.emulator import Emulator
from aioclubhouse.endpoints.registry import ENDPOINTS

from .support import Cli, json_lines, one_line


async def test_rooms_is_a_table_of_the_feed_fullest_first(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int
) -> None:
    feed = clubhouse_emulator.world.rooms.feed(logged_in)
    expected = sorted(feed, key=lambda room: len(room.users), reverse=True)
    table = await cli.run("rooms")
    machine = await cli.run("rooms", "--json")
    assert table.exit_code == machine.exit_code == 0, table.output
    for heading in ("room", "topic", "club", "speakers", "listeners"):
        assert heading in table.stdout
    rows = [line for line in table.stdout.splitlines() if line.startswith("│ ")]
    channels = [row.split("│")[1].strip() for row in rows]
    assert [c for c in channels if c] == [room.channel for room in expected]
    listed = json.loads(machine.stdout)
    assert [room["channel"] for room in listed] == [room.channel for room in expected]
    assert [room["num_all"] for room in listed] == sorted(
        (room["num_all"] for room in listed), reverse=True
    )


async def test_room_shows_the_roster_as_panels(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int
) -> None:
    [room, *_] = sorted(
        clubhouse_emulator.world.state.rooms.values(), key=lambda r: len(r.users), reverse=True
    )
    result = await cli.run("room", room.channel)
    assert result.exit_code == 0, result.output
    text = result.stdout
    moderators = [uid for uid, member in room.users.items() if member.is_moderator]
    listeners = [uid for uid, member in room.users.items() if not member.is_speaker]
    assert f"Moderators ({len(moderators)})" in text
    assert f"Listeners ({len(listeners)})" in text and f"{len(listeners)} listening" in text
    assert "Speakers (" in text and "Raised hands" in text
    moderator = clubhouse_emulator.world.state.users[moderators[0]]
    assert moderator.name in text
    assert room.topic in text


async def test_a_room_that_does_not_exist(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int
) -> None:
    result = await cli.run("room", "nosuchroom")
    assert result.exit_code == 1
    assert one_line(result.stderr) and "not available" in result.stderr


def test_endpoints_lists_the_whole_registry(cli: Cli) -> None:
    table = cli("endpoints")
    machine = cli("endpoints", "--json")
    only_rooms = cli("endpoints", "rooms", "--json")
    assert table.exit_code == machine.exit_code == only_rooms.exit_code == 0
    assert f"{len(ENDPOINTS)} endpoints" in table.stdout
    assert {row["endpoint"] for row in json.loads(machine.stdout)} == set(ENDPOINTS)
    assert {row["area"] for row in json.loads(only_rooms.stdout)} == {"rooms"}
    assert cli("endpoints", "nowhere").exit_code == 2


async def test_call_reaches_endpoints_with_options_or_json(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int
) -> None:
    channel = clubhouse_emulator.world.rooms.feed(logged_in)[0].channel
    by_json = await cli.run("call", "get_channel", "--json", json.dumps({"channel": channel}))
    by_option = await cli.run("call", "get_channel", "--channel", channel)
    assert by_json.exit_code == by_option.exit_code == 0, by_json.output
    assert json.loads(by_json.stdout)["channel"] == channel
    assert json.loads(by_option.stdout)["channel"] == channel
    user_id = json.loads(by_json.stdout)["users"][0]["user_id"]
    walked = await cli.run("call", "get_following", "--user-id", str(user_id), "--limit", "3")
    assert walked.exit_code == 0, walked.output
    items = json_lines(walked.stdout)
    assert 0 < len(items) <= 3 and all("user_id" in item for item in items)
    first_page = await cli.run("call", "get_followers", "--user-id", str(user_id))
    assert {"items", "count", "next"} <= set(json.loads(first_page.stdout))


async def test_call_options_of_every_kind(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int
) -> None:
    followed = sorted(clubhouse_emulator.world.state.users)[:2]
    ids = ",".join(str(uid) for uid in followed)
    result = await cli.run("call", "follow_multiple", "--user-ids", ids)
    assert result.exit_code == 0, result.output
    assert set(followed) <= clubhouse_emulator.world.social.following_of(logged_in)
    flag = await cli.run("call", "me", "--return-following-ids")
    assert flag.exit_code == 0
    assert set(followed) <= set(json.loads(flag.stdout)["following_ids"])


async def test_bad_arguments_are_usage_errors_not_crashes(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int
) -> None:
    bad_json = await cli.run("call", "get_profile", "--json", "{oops")
    assert bad_json.exit_code == 2 and "--json" in bad_json.stderr
    bad_id = await cli.run("call", "get_profile", "--json", '{"user_id": -4}')
    assert bad_id.exit_code == 2 and "user_id" in bad_id.stderr
    missing = await cli.run("call", "get_channel")
    assert missing.exit_code == 2 and "get_channel: needs --channel" in missing.stderr
    for result in (bad_json, bad_id, missing):
        assert one_line(result.stderr) and "Traceback" not in result.output


def test_a_mistyped_endpoint_gets_did_you_mean(cli: Cli) -> None:
    result = cli("call", "get_profil")
    assert result.exit_code == 2
    assert "no endpoint 'get_profil'; did you mean get_profile" in result.stderr
    assert "update_channel_flags" not in result.stderr


def test_call_endpoint_help_lists_its_parameters(cli: Cli) -> None:
    result = cli("call", "get_followers", "--help")
    assert result.exit_code == 0
    for option in ("--user-id", "--notification-id", "--page-size", "--limit", "--json"):
        assert option in result.stdout
    assert "The followers of user_id" in result.stdout and "paginated" in result.stdout
    assert "default 50" in result.stdout


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_every_endpoint_has_a_call_command(name: str) -> None:
    command = endpoint_command(name)
    result = CliRunner().invoke(root, ["call", name, "--help"], prog_name="aioclubhouse")
    assert result.exit_code == 0, result.output
    parameters = {p.name for p in command.params}
    assert "json_arguments" in parameters and "emulator" in parameters
