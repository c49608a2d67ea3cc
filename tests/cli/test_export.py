"""``export``: every page into JSON lines or CSV, paced, and resumable."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

from aioclubhouse.emulator import Emulator
from tests.support.waiting import until

from .support import Cli, json_lines


def exported(path: Path) -> tuple[list[int], bool]:
    """The ids in a CSV export, and whether its cursor is still there."""
    return csv_ids(path), Path(f"{path}.cursor").exists()


def csv_ids(path: Path) -> list[int]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [int(row["user_id"]) for row in csv.DictReader(handle)]


def test_export_followers_to_csv_on_the_embedded_emulator(cli: Cli, tmp_path: Path) -> None:
    # The sample world's most followed person is user 1000.
    out = tmp_path / "f.csv"
    result = cli("--emulator", "export", "followers", "1000", "--out", str(out))
    assert result.exit_code == 0, result.output
    ids = csv_ids(out)
    assert len(ids) == len(set(ids)) > 200
    assert f"Exported {len(ids)} followers of user 1000 to {out}" in result.stdout
    assert "items" in result.stderr and "pages" in result.stderr  # the progress line
    assert not Path(f"{out}.cursor").exists()
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:2] == ["user_id", "name"]


async def test_export_every_kind_to_json_lines(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int, tmp_path: Path
) -> None:
    world = clubhouse_emulator.world
    popular = sorted(world.state.users)[0]
    club = next(iter(world.state.clubs.values()))
    topic = max(world.state.topics, key=lambda t: len(world.social.users_for_topic(t)))
    expected = {
        ("followers", popular): set(world.social.followers_of(popular)),
        ("following", popular): set(world.social.following_of(popular)),
        ("club-members", club.club_id): set(club.members),
        ("topic-users", topic): {u.user_id for u in world.social.users_for_topic(topic)},
    }
    for (kind, item_id), members in expected.items():
        out = tmp_path / f"{kind}.jsonl"
        result = await cli.run("export", kind, str(item_id), "--out", str(out))
        assert result.exit_code == 0, result.output
        ids = [item["user_id"] for item in json_lines(out.read_text(encoding="utf-8"))]
        assert len(ids) == len(set(ids)) and set(ids) == members, kind


async def test_export_me_and_its_usage_errors(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int, tmp_path: Path
) -> None:
    popular = sorted(clubhouse_emulator.world.state.users)[:3]
    for user_id in popular:
        clubhouse_emulator.world.social.follow(
            clubhouse_emulator.world.user(logged_in), user_id, notify=False
        )
    mine = await cli.run("export", "following", "me", "--out", str(tmp_path / "me.jsonl"))
    assert mine.exit_code == 0, mine.output
    assert {i["user_id"] for i in json_lines((tmp_path / "me.jsonl").read_text())} == set(popular)

    again = await cli.run("export", "following", "me", "--out", str(tmp_path / "me.jsonl"))
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = await cli.run(
        "export", "following", "me", "--out", str(tmp_path / "me.jsonl"), "--force"
    )
    assert forced.exit_code == 0
    wrong_suffix = await cli.run("export", "followers", "1000", "--out", str(tmp_path / "x.txt"))
    assert wrong_suffix.exit_code == 2 and ".jsonl or .csv" in wrong_suffix.stderr
    not_an_id = await cli.run("export", "club-members", "me", "--out", str(tmp_path / "c.csv"))
    assert not_an_id.exit_code == 2 and "club id" in not_an_id.stderr
    unknown = await cli.run("export", "followers", "999999", "--out", str(tmp_path / "u.csv"))
    assert unknown.exit_code == 1 and "999999" in unknown.stderr
    assert "run the same command again" not in unknown.stderr
    assert not (tmp_path / "u.csv").exists() and not (tmp_path / "u.csv.cursor").exists()


async def test_an_interrupted_export_resumes_and_holds_every_item_once(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int, tmp_path: Path
) -> None:
    popular = sorted(clubhouse_emulator.world.state.users)[0]
    followers = set(clubhouse_emulator.world.social.followers_of(popular))
    out = tmp_path / "followers.csv"
    cursor = Path(f"{out}.cursor")
    clubhouse_emulator.faults.latency = 0.2  # pages slow enough to stop the export between them
    first = asyncio.ensure_future(cli.run("export", "followers", str(popular), "--out", str(out)))
    await until(
        lambda: cursor.exists() and json.loads(cursor.read_text())["pages"] >= 2,
        what="two pages written",
    )
    clubhouse_emulator.faults.error_rate = 1.0  # from now on the service fails
    stopped = await first
    assert stopped.exit_code == 1, stopped.output
    assert "run the same command again to continue" in stopped.stderr
    partial, kept = exported(out)
    assert 0 < len(partial) < len(followers) and kept

    clubhouse_emulator.faults.reset()
    resumed = await cli.run("export", "followers", str(popular), "--out", str(out))
    assert resumed.exit_code == 0, resumed.output
    assert "Resuming at page" in resumed.stderr
    ids, kept = exported(out)
    assert len(ids) == len(set(ids)) and set(ids) == followers
    assert ids[: len(partial)] == partial and not kept


async def test_export_waits_out_the_rate_limit(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int, tmp_path: Path
) -> None:
    popular = sorted(clubhouse_emulator.world.state.users)[0]
    clubhouse_emulator.faults.force_429 = 2  # the next two requests are told to wait
    clubhouse_emulator.faults.retry_after = 1
    out = tmp_path / "paced.jsonl"
    result = await cli.run("export", "followers", str(popular), "--out", str(out))
    assert result.exit_code == 0, result.output
    ids = [item["user_id"] for item in json_lines(out.read_text())]
    assert set(ids) == set(clubhouse_emulator.world.social.followers_of(popular))
    assert clubhouse_emulator.faults.force_429 == 0
    statuses = [entry.status for entry in clubhouse_emulator.api_requests]
    assert statuses.count(429) == 2
