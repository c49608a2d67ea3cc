"""The JSON lines sink: lines written and read back, flushing, rotation, the cursor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aioclubhouse.bridge import JsonLinesSink, SinkError, from_json
from aioclubhouse.errors import InvalidArgumentError

from ..support.waiting import until
from .events import BASE_TT, outgoing, room_event


def names(folder: Path) -> list[Path]:
    return list(folder.glob("events.jsonl*"))


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


async def test_records_are_appended_one_per_line_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "out" / "events.jsonl"
    async with JsonLinesSink(path) as sink:
        await sink.send(outgoing(5))
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and len(text.splitlines()) == 5
    assert [from_json(line) for line in text.splitlines()] == [room_event(n) for n in range(5)]
    assert sink.written == 5


async def test_lines_reach_the_file_every_n_events_and_after_the_interval(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    sink = JsonLinesSink(path, flush_every=3, flush_interval=0.2)
    await sink.open()
    try:
        await sink.send(outgoing(2))
        assert path.read_bytes() == b""  # in the buffer: neither 3 events nor the interval yet
        await sink.send(outgoing(1, start=2))
        assert len(lines(path)) == 3  # the third event flushed them
        await sink.send(outgoing(1, start=3))
        await until(lambda: len(lines(path)) == 4, what="the timed flush")
        cursor = json.loads(sink.cursor_path.read_text())
        assert cursor["channels"] == {"channel_all.roomAbc1": BASE_TT + 3}
        assert cursor["rooms"] == {"roomAbc1": BASE_TT + 3}
        assert cursor["offset"] == path.stat().st_size
    finally:
        await sink.close()


async def test_fsync_mode_writes_the_same(tmp_path: Path) -> None:
    async with JsonLinesSink(tmp_path / "e.jsonl", fsync=True, flush_every=1) as sink:
        await sink.send(outgoing(3))
    assert len(lines(tmp_path / "e.jsonl")) == 3


async def test_the_file_is_rotated_by_size_and_nothing_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    async with JsonLinesSink(path, max_bytes=4096, backups=20) as sink:
        for start in range(0, 60, 10):
            await sink.send(outgoing(10, start=start))
    files = sorted(names(tmp_path))
    backups = [p for p in files if p.name[len("events.jsonl.") :].isdigit()]
    assert len(backups) >= 2
    assert all(p.stat().st_size <= 4096 for p in [*backups, path])
    ordered = [*sorted(backups, key=lambda p: -int(p.name.rsplit(".", 1)[1])), path]
    seen = [record["id"] for p in ordered for record in lines(p)]
    assert seen == [f"channel_all.roomAbc1:{BASE_TT + n}" for n in range(60)]


async def test_a_restarted_sink_skips_what_the_file_has_and_resumes_the_room(
    tmp_path: Path,
) -> None:
    path = tmp_path / "events.jsonl"
    async with JsonLinesSink(path, max_bytes=8192, backups=20) as sink:
        await sink.send(outgoing(30))
    async with JsonLinesSink(path, max_bytes=8192, backups=20) as again:
        assert again.resume_point("roomAbc1") == BASE_TT + 29
        assert again.resume_point("elsewhere") is None
        await again.send(outgoing(40, start=20))  # 20..29 are replays
        assert again.skipped == 10 and again.written == 30
    files = [p for p in names(tmp_path) if not p.name.endswith(".cursor")]
    assert len(files) > 2
    every = [r["id"] for p in files for r in lines(p)]
    assert sorted(every) == sorted({f"channel_all.roomAbc1:{BASE_TT + n}" for n in range(60)})


async def test_lines_written_after_the_last_cursor_and_a_torn_line_are_recovered(
    tmp_path: Path,
) -> None:
    path = tmp_path / "events.jsonl"
    async with JsonLinesSink(path) as sink:
        await sink.send(outgoing(5))
    # What a process killed between a flush and its cursor leaves: more lines, one torn.
    with path.open("ab") as handle:
        for item in outgoing(3, start=5):
            handle.write(item.line + b"\n")
        handle.write(outgoing(1, start=8)[0].line[:17])
    async with JsonLinesSink(path) as again:
        assert again.resume_point("roomAbc1") == BASE_TT + 7
        await again.send(outgoing(4, start=6))
    ids = [record["id"] for record in lines(path)]
    assert ids == [f"channel_all.roomAbc1:{BASE_TT + n}" for n in range(10)]


async def test_without_a_cursor_file_the_lines_themselves_are_the_cursor(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    async with JsonLinesSink(path) as sink:
        await sink.send(outgoing(4))
    (tmp_path / "events.jsonl.cursor").unlink()
    async with JsonLinesSink(path) as again:
        await again.send(outgoing(6))
    assert len(lines(path)) == 6


async def test_sdk_events_are_always_written(tmp_path: Path) -> None:
    from aioclubhouse.bridge import Outgoing
    from aioclubhouse.rooms import Connected

    async with JsonLinesSink(tmp_path / "e.jsonl") as sink:
        await sink.send([Outgoing.of(Connected(channel="roomAbc1", timetoken=1))])
    async with JsonLinesSink(tmp_path / "e.jsonl") as sink:
        await sink.send([Outgoing.of(Connected(channel="roomAbc1", timetoken=2))])
    assert [r["type"] for r in lines(tmp_path / "e.jsonl")] == ["connected", "connected"]


async def test_bad_settings_and_unwritable_paths_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgumentError, match="max_bytes"):
        JsonLinesSink(tmp_path / "e.jsonl", max_bytes=10)
    with pytest.raises(InvalidArgumentError, match="flush_every"):
        JsonLinesSink(tmp_path / "e.jsonl", flush_every=0)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    sink = JsonLinesSink(blocker / "events.jsonl")
    with pytest.raises(SinkError, match="cannot open the file") as refused:
        await sink.open()
    assert str(blocker) in str(refused.value)
    with pytest.raises(SinkError, match="not open"):
        await sink.send(outgoing(1))
