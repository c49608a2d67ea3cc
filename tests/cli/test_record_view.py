"""The live view of ``record --transcribe``: levels per speaker, then the latest lines said."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from aioclubhouse.cli.commands.record import TRANSCRIPT_LINES, Meter
from aioclubhouse.cli.describe import Names
from aioclubhouse.models.rooms import RoomUser
from aioclubhouse.rooms import SpeechTranscribed


class StillRoom:
    """What the view reads of a room: its name and roster."""

    def __init__(self) -> None:
        self.channel = "xyzAbc12"
        self.users = [RoomUser(user_id=7, name="Ada Lovelace")]


def said(user_id: int, text: str, name: str | None = None) -> SpeechTranscribed:
    return SpeechTranscribed(
        channel="xyzAbc12", user_id=user_id, name=name, start=1.0, end=2.0, text=text,
        confidence=0.9,
    )  # fmt: skip


def render(meter: Meter) -> list[str]:
    console = Console(width=100, record=True, force_terminal=False)
    console.print(meter)
    return console.export_text().rstrip().splitlines()


def test_the_view_shows_the_latest_transcript_lines_with_names() -> None:
    room: Any = StillRoom()
    meter = Meter(room, Names(me=1), seconds=10)
    before = render(meter)
    assert before[0].startswith("● recording xyzAbc12") and not any(": " in x for x in before)
    meter.hear(said(7, "welcome everyone"))
    meter.hear(said(8, "nice to meet you", name="Ben Okafor"))
    assert render(meter)[-2:] == ["Ada Lovelace: welcome everyone", "Ben Okafor: nice to meet you"]
    for number in range(10):
        meter.hear(said(7, f"line {number}"))
    shown = render(meter)[-TRANSCRIPT_LINES:]
    assert shown == [f"Ada Lovelace: line {n}" for n in range(10 - TRANSCRIPT_LINES, 10)]
    assert "welcome everyone" not in "\n".join(render(meter))
