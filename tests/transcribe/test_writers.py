"""Transcript files written, read back and parsed: VTT voices, SRT names, JSON lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from aioclubhouse.rooms.audio.transcribe import (
    Segment,
    format_timestamp,
    to_vtt,
    write_transcript,
)

SEGMENTS = [
    Segment(uid=2, start=13.25, end=15.0, text="we will be back next week", confidence=0.8),
    Segment(uid=1, start=11.5, end=13.0, text="welcome everyone", confidence=0.91234),
    Segment(uid=3, start=3723.0, end=3724.5, text="late <b> & loud", confidence=0.5),
]
NAMES = {1: "Ada Lovelace", 2: "Ben"}
ORIGIN = 10.0

CUE_TIME = r"(\d\d):(\d\d):(\d\d)[.,](\d\d\d)"


def seconds(match: tuple[str, ...]) -> float:
    hours, minutes, secs, millis = (int(part) for part in match)
    return hours * 3600 + minutes * 60 + secs + millis / 1000


def parse_cues(text: str, separator: str) -> list[tuple[int, float, float, str]]:
    """(index, start, end, payload) of each cue of an SRT or VTT body."""
    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        if lines[0] == "WEBVTT":
            continue
        index, timing, payload = lines
        match = re.fullmatch(f"{CUE_TIME} --> {CUE_TIME}", timing)
        assert match is not None, timing
        groups = match.groups()
        assert separator in timing
        cues.append((int(index), seconds(groups[:4]), seconds(groups[4:]), payload))
    return cues


@pytest.mark.parametrize(
    ("value", "vtt", "srt"),
    [
        (1.5, "00:00:01.500", "00:00:01,500"),
        (0.0, "00:00:00.000", "00:00:00,000"),
        (3723.0456, "01:02:03.046", "01:02:03,046"),
        (59.9996, "00:01:00.000", "00:01:00,000"),
        (-2.0, "00:00:00.000", "00:00:00,000"),
    ],
)
def test_timestamps(value: float, vtt: str, srt: str) -> None:
    assert format_timestamp(value) == vtt
    assert format_timestamp(value, separator=",") == srt


def test_all_three_files_are_written_and_read_back(tmp_path: Path) -> None:
    files = write_transcript(tmp_path, SEGMENTS, NAMES, origin=ORIGIN)
    assert {p.name for p in (files.vtt, files.srt, files.jsonl)} == {
        "transcript.vtt",
        "transcript.srt",
        "transcript.jsonl",
    }
    assert [s.uid for s in files.segments] == [1, 2, 3]  # ordered by start

    vtt = files.vtt.read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n\n")
    assert parse_cues(vtt, ".") == [
        (1, 1.5, 3.0, "<v Ada Lovelace>welcome everyone"),
        (2, 3.25, 5.0, "<v Ben>we will be back next week"),
        (3, 3713.0, 3714.5, "<v 3>late &lt;b&gt; &amp; loud"),
    ]
    assert "00:00:01.500 --> 00:00:03.000" in vtt

    srt = files.srt.read_text(encoding="utf-8")
    assert parse_cues(srt, ",") == [
        (1, 1.5, 3.0, "Ada Lovelace: welcome everyone"),
        (2, 3.25, 5.0, "Ben: we will be back next week"),
        (3, 3713.0, 3714.5, "3: late <b> & loud"),
    ]
    assert "00:00:01,500 --> 00:00:03,000" in srt

    rows = [json.loads(line) for line in files.jsonl.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == {
        "uid": 1,
        "name": "Ada Lovelace",
        "start": 1.5,
        "end": 3.0,
        "text": "welcome everyone",
        "confidence": 0.9123,
    }
    assert [row["name"] for row in rows] == ["Ada Lovelace", "Ben", "3"]


def test_names_and_text_cannot_break_a_cue() -> None:
    segment = Segment(uid=5, start=0, end=1, text="two\n\nlines --> here", confidence=1)
    vtt = to_vtt([segment], {5: "Eve <script>\nx"})
    assert vtt.splitlines()[-1] == "<v Eve &lt;script&gt; x>two lines --&gt; here"
    assert vtt.count("-->") == 1


def test_an_empty_transcript_is_still_valid(tmp_path: Path) -> None:
    files = write_transcript(tmp_path / "new", [], {})
    assert files.vtt.read_text() == "WEBVTT\n"
    assert files.srt.read_text() == "" and files.jsonl.read_text() == ""
