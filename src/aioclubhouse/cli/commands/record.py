"""``record [ROOM] --out DIR``: a room's audio, one WAV per speaker plus a mix.

The audio comes from a backend: ``agora-server`` or ``agora-rtc`` (Agora's SDKs,
installed separately; a clear message says what is missing), or ``fake``, which plays
each speaker as a tone of their own, for trying things offline.  Under ``--emulator``
the fake backend follows the emulator's speaking schedule (who talks when), as the
demo does, and its speakers say short sentences; elsewhere it plays whoever is on
stage.  While recording, a live display on stderr shows the time, who is speaking and
their levels.

``--transcribe`` joins the room with a pocketsphinx transcriber (the ``transcribe``
extra; a one-line message says so when it is missing): the live display shows the
latest lines of the transcript, and ``transcript.vtt``, ``.srt`` and ``.jsonl`` are
written beside the WAVs from the room's ``SpeechTranscribed`` events, timed like them.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import wave
from collections import deque
from collections.abc import AsyncIterator
from pathlib import Path

import click
from rich.console import Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from ...rooms import Room, SpeechTranscribed, record
from ...rooms.audio import (
    BACKEND_NAMES,
    AudioBackend,
    PcmFrame,
    TranscriptFiles,
    VolumeIndication,
    write_transcript,
)
from ..describe import Names
from ..room_audio import audio_backend, live_transcriber
from ..runtime import Runtime
from ..settings import settings_of
from ..terminal import err_console, out_console
from . import command
from .listen import busiest_room

__all__ = ["COMMANDS"]

SPEAKING_LEVEL = 20
"""Agora's 0-255 volume above which someone counts as speaking."""

TRANSCRIPT_LINES = 5
"""How many of the latest transcript lines the live display shows."""


class Meter:
    """What the live display shows: levels and seconds recorded per speaker."""

    def __init__(self, room: Room, names: Names, seconds: float | None) -> None:
        self.room = room
        self.names = names
        self.seconds = seconds
        self.started = time.monotonic()
        self.levels: dict[int, int] = {}
        self.recorded: dict[int, float] = {}
        self.said: list[SpeechTranscribed] = []
        """The room's transcript so far (with --transcribe)."""
        self.origin: float | None = None
        """Room time of the first frame recorded: where the WAV files start."""

    def hear(self, event: SpeechTranscribed) -> None:
        self.said.append(event)

    async def count(self, frames: AsyncIterator[PcmFrame]) -> AsyncIterator[PcmFrame]:
        """Pass ``frames`` on, adding up each speaker's recorded seconds."""
        async for frame in frames:
            if self.origin is None and frame.timestamp_ms is not None:
                self.origin = frame.timestamp_ms / 1000
            if frame.uid not in self.recorded:
                self.names.learn(self.room.users)  # a new voice: whose is it?
            per_second = frame.sample_rate * frame.channels * frame.sample_width
            self.recorded[frame.uid] = (
                self.recorded.get(frame.uid, 0.0) + len(frame.pcm) / per_second
            )
            yield frame

    async def follow(self, backend: AudioBackend) -> None:
        async for event in backend.events():
            if isinstance(event, VolumeIndication):
                self.levels = dict(event.volumes)

    def __rich__(self) -> Group:
        self.names.learn(self.room.users)
        elapsed = time.monotonic() - self.started
        limit = f" / {self.seconds:.0f} s" if self.seconds is not None else ""
        heading = Text.assemble(
            ("● recording ", "bold red"),
            f"{self.room.channel} · {elapsed:.0f} s{limit} · {len(self.recorded)} "
            f"track{'' if len(self.recorded) == 1 else 's'}",
            (" · Ctrl-C stops", "dim"),
        )
        table = Table(box=None, show_header=True, pad_edge=False)
        table.add_column("speaker")
        table.add_column("level")
        table.add_column("")
        table.add_column("recorded", justify="right")
        for uid in sorted(set(self.recorded) | set(self.levels)):
            level = self.levels.get(uid, 0)
            bar = "█" * round(level / 255 * 20)
            talking = "speaking" if level >= SPEAKING_LEVEL else ""
            table.add_row(
                self.names(uid),
                Text(bar.ljust(20, "░"), style="green"),
                talking,
                f"{self.recorded.get(uid, 0.0):.1f} s",
            )
        if not self.said:
            return Group(heading, table)
        lines = Text()
        for event in deque(self.said, maxlen=TRANSCRIPT_LINES):
            lines.append(f"\n{self.names(event.user_id, event.name)}: ", style="bold")
            lines.append(event.text)
        return Group(heading, table, lines)


def _tracks(directory: Path, since: float) -> list[tuple[Path, float]]:
    """The WAV files written in ``directory`` since ``since`` (not older recordings)."""
    found = []
    for path in sorted(directory.glob("*.wav")):
        if path.stat().st_mtime < since:
            continue
        with contextlib.suppress(OSError, EOFError, wave.Error), wave.open(str(path), "rb") as wav:
            found.append((path, wav.getnframes() / wav.getframerate()))
    return found


@command("record")
@click.argument("room", required=False)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="the directory for the WAV files (made if missing)",
)
@click.option("--seconds", type=click.FloatRange(min=0, min_open=True), help="stop after this long")
@click.option(
    "--backend",
    type=click.Choice(BACKEND_NAMES),
    help="where the audio comes from (default: fake with --emulator, agora-server otherwise)",
)
@click.option(
    "--transcribe",
    is_flag=True,
    help="also transcribe who said what (needs aioclubhouse[transcribe]): shown live, "
    "and written as transcript.vtt/.srt/.jsonl beside the WAVs",
)
@click.pass_context
def record_command(
    ctx: click.Context,
    room: str | None,
    out: Path,
    seconds: float | None,
    backend: str | None,
    transcribe: bool,
) -> None:
    """Record ROOM (default: the fullest live room): one WAV per speaker and mix.wav.

    Stops after --seconds, when the room ends, or at Ctrl-C; the files are complete
    and valid however it stops.
    """
    settings = settings_of(ctx)
    with Runtime(settings) as runtime:
        name = backend or ("fake" if runtime.embedded is not None else "agora-server")
        runtime.run(_record(runtime, room, out, seconds, name, transcribe))


async def _record(
    runtime: Runtime,
    channel: str | None,
    out: Path,
    seconds: float | None,
    name: str,
    transcribe: bool,
) -> None:
    transcriber = live_transcriber() if transcribe else None
    async with runtime.session() as session:
        channel = channel or await busiest_room(session)
        joined: list[Room] = []
        audio = audio_backend(runtime, name, channel, joined)
        names = Names(me=session.user_id)
        started = time.time()
        meters: list[Meter] = []
        try:
            # Leaving (the end of the block) delivers the transcript's last lines.
            async with await session.join_room(
                channel, audio=audio, transcriber=transcriber
            ) as room:
                joined.append(room)
                meters.append(Meter(room, names, seconds))
                room.on(SpeechTranscribed, meters[0].hear)
                await _record_room(room, audio, meters[0], out, seconds)
        finally:
            if transcriber is not None and meters:
                _write_transcript(out, meters[0])
            if joined:
                _summary(out, names, started)


async def _record_room(
    room: Room, audio: AudioBackend, meter: Meter, out: Path, seconds: float | None
) -> None:
    """Record until --seconds pass or the room is left, the levels shown live."""
    levels = asyncio.create_task(meter.follow(audio))
    console = err_console()
    display = Live(meter, console=console, refresh_per_second=4) if console.is_terminal else None
    if display is None:
        console.print(f"Recording {room.channel} into {out} (Ctrl-C stops)", markup=False)
    try:
        with display or contextlib.nullcontext():
            await record(meter.count(room.audio_frames()), out, duration=seconds)
    finally:
        levels.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await levels


def _write_transcript(directory: Path, meter: Meter) -> TranscriptFiles:
    """The room's transcript beside the WAVs, timed like them, each speaker named as the
    room knew them."""
    names = {event.user_id: meter.names(event.user_id, event.name) for event in meter.said}
    segments = [event.segment for event in meter.said]
    return write_transcript(directory, segments, names, origin=meter.origin or 0.0)


def _summary(directory: Path, names: Names, since: float) -> None:
    tracks = _tracks(directory, since) if directory.is_dir() else []
    console = out_console()
    if not tracks:
        console.print(f"No audio recorded in {directory}", markup=False)
        return
    table = Table(
        "file", "speaker", "seconds", title=f"Recorded in {directory}", title_justify="left"
    )
    for path, length in tracks:
        who = names(int(path.stem)) if path.stem.isdigit() else "everyone, mixed"
        table.add_row(path.name, who, f"{length:.1f}")
    for path in sorted(directory.glob("transcript.*")):
        if path.stat().st_mtime >= since:
            table.add_row(path.name, "the transcript", "")
    console.print(table)


COMMANDS = [record_command]
