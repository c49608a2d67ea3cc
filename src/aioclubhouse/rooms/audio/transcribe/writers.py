"""Transcript files: WebVTT and SRT subtitles, and JSON lines, beside a recording's WAVs.

Cue times are relative to ``origin`` (room time, in seconds), which :func:`record`
sets to its first frame so that a cue at 00:00:01.500 is 1.5 s into the WAV files.
Speakers are named from a uid -> name mapping (the uid itself when unknown): in VTT
as cue voices (``<v Name>text``, which players show and style per speaker), in SRT,
which has no voices, as a ``Name: `` prefix.  Cues are sorted by start time, as VTT
requires, so two people talking over each other interleave.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from .models import Segment

__all__ = [
    "TranscriptFiles",
    "format_timestamp",
    "to_jsonl",
    "to_srt",
    "to_vtt",
    "write_transcript",
]


@attrs.frozen(kw_only=True)
class TranscriptFiles:
    """Where :func:`write_transcript` put the three files, and the segments they hold."""

    vtt: Path
    srt: Path
    jsonl: Path
    segments: tuple[Segment, ...] = attrs.field(default=(), repr=False)


def format_timestamp(seconds: float, *, separator: str = ".") -> str:
    """``HH:MM:SS.mmm`` (VTT) or, with ``separator=","``, ``HH:MM:SS,mmm`` (SRT)."""
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _ordered(segments: Iterable[Segment]) -> list[Segment]:
    return sorted(segments, key=lambda segment: (segment.start, segment.end, segment.uid))


def _name(names: Mapping[int, str], uid: int) -> str:
    name = names.get(uid)
    return " ".join(name.split()) if name and name.strip() else str(uid)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _times(segment: Segment, origin: float) -> tuple[float, float]:
    start = max(0.0, segment.start - origin)
    return start, max(start, segment.end - origin)


def to_vtt(
    segments: Iterable[Segment], names: Mapping[int, str] | None = None, *, origin: float = 0.0
) -> str:
    """A WebVTT document with one cue per segment, voiced by the speaker's name."""
    names = names or {}
    lines = ["WEBVTT", ""]
    for index, segment in enumerate(_ordered(segments), start=1):
        start, end = _times(segment, origin)
        voice = _vtt_escape(_name(names, segment.uid))
        lines += [
            str(index),
            f"{format_timestamp(start)} --> {format_timestamp(end)}",
            f"<v {voice}>{_vtt_escape(_one_line(segment.text))}",
            "",
        ]
    return "\n".join(lines)


def to_srt(
    segments: Iterable[Segment], names: Mapping[int, str] | None = None, *, origin: float = 0.0
) -> str:
    """SubRip subtitles with one numbered cue per segment, ``Name: text``."""
    names = names or {}
    lines: list[str] = []
    for index, segment in enumerate(_ordered(segments), start=1):
        start, end = _times(segment, origin)
        stamp = (
            f"{format_timestamp(start, separator=',')} --> {format_timestamp(end, separator=',')}"
        )
        lines += [
            str(index),
            stamp,
            f"{_name(names, segment.uid)}: {_one_line(segment.text)}",
            "",
        ]
    return "\n".join(lines)


def to_jsonl(
    segments: Iterable[Segment], names: Mapping[int, str] | None = None, *, origin: float = 0.0
) -> str:
    """One JSON object per segment: uid, name, start, end (seconds), text, confidence."""
    names = names or {}
    lines = []
    for segment in _ordered(segments):
        start, end = _times(segment, origin)
        record = {
            "uid": segment.uid,
            "name": _name(names, segment.uid),
            "start": round(start, 3),
            "end": round(end, 3),
            "text": _one_line(segment.text),
            "confidence": round(segment.confidence, 4),
        }
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(lines)


def write_transcript(
    directory: str | os.PathLike[str],
    segments: Iterable[Segment],
    names: Mapping[int, str] | None = None,
    *,
    origin: float = 0.0,
    stem: str = "transcript",
) -> TranscriptFiles:
    """Write ``<stem>.vtt``, ``<stem>.srt`` and ``<stem>.jsonl`` into ``directory``."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    ordered = _ordered(segments)
    files = TranscriptFiles(
        vtt=folder / f"{stem}.vtt",
        srt=folder / f"{stem}.srt",
        jsonl=folder / f"{stem}.jsonl",
        segments=tuple(ordered),
    )
    files.vtt.write_text(to_vtt(ordered, names, origin=origin), encoding="utf-8")
    files.srt.write_text(to_srt(ordered, names, origin=origin), encoding="utf-8")
    files.jsonl.write_text(to_jsonl(ordered, names, origin=origin), encoding="utf-8")
    return files
