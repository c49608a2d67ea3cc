"""Recording a room: one WAV file per uid on a shared timeline, plus an optional mix.

Muted or silent users send no frames, so a file written frame after frame would
squeeze the pauses out and drift away from the others.  :class:`WavRecorder` places
each frame by its ``timestamp_ms`` (relative to the first frame recorded) and pads the
gap before it with silence; on close every track is padded to the same end, and the
mix is the clipped sum of the tracks, read back from disk so memory stays flat.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import wave
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from ...errors import InvalidArgumentError
from ...redaction import get_logger
from . import pcm
from .backend import PcmFrame

if TYPE_CHECKING:
    from .transcribe import Transcriber, TranscriptFiles

__all__ = ["WavRecorder", "record"]

log = get_logger("aioclubhouse.rooms.audio")

_MIX_CHUNK = 4096
"""Sample instants mixed per step when building the mix."""


class _Track:
    """One uid's open WAV file and how many sample instants it holds."""

    def __init__(self, path: Path, sample_rate: int, channels: int) -> None:
        self.path = path
        self.sample_rate = sample_rate
        self.channels = channels
        self.written = 0
        self._file = wave.open(str(path), "wb")  # noqa: SIM115 - closed by close()
        self._file.setnchannels(channels)
        self._file.setsampwidth(2)
        self._file.setframerate(sample_rate)

    def write(self, data: bytes) -> None:
        self._file.writeframes(data)
        self.written += len(data) // (2 * self.channels)

    def pad_to(self, instants: int) -> None:
        if instants > self.written:
            self.write(pcm.silence(instants - self.written, self.channels))

    def close(self) -> None:
        self._file.close()


class WavRecorder:
    """Writes :class:`PcmFrame` values to ``<directory>/<uid>.wav`` (and ``mix.wav``).

    Use as a context manager or call :meth:`close`; files are complete, valid WAVs
    only after closing.  A uid's sample rate and channel count are fixed by its first
    frame.  Frames without a timestamp are appended right after the previous one.
    """

    def __init__(
        self, directory: str | os.PathLike[str], *, mix: bool = True, mix_name: str = "mix.wav"
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._mix = mix
        self._mix_name = mix_name
        self._tracks: dict[int, _Track] = {}
        self._origin_ms: int | None = None
        self.frames_written = 0
        self.closed = False
        self.mix_path: Path | None = None
        self.transcript: TranscriptFiles | None = None
        """The transcript files, when :func:`record` was asked for them."""

    @property
    def paths(self) -> dict[int, Path]:
        """The file of each uid recorded so far."""
        return {uid: track.path for uid, track in self._tracks.items()}

    @property
    def origin(self) -> float | None:
        """The room time (seconds) of the files' first sample: a transcript written with
        this ``origin`` is timed like them.  None until a timed frame was written."""
        return None if self._origin_ms is None else self._origin_ms / 1000

    def seconds(self, uid: int) -> float:
        """How long ``uid``'s track is (so far)."""
        track = self._tracks[uid]
        return track.written / track.sample_rate

    def write(self, frame: PcmFrame) -> None:
        """Append one frame to its uid's file, after the silence that preceded it."""
        if self.closed:
            raise ValueError("the recorder is closed")
        if frame.sample_width != 2:
            raise InvalidArgumentError("frame", "only 16-bit PCM can be recorded")
        track = self._tracks.get(frame.uid)
        if track is None:
            path = self.directory / f"{frame.uid}.wav"
            track = self._tracks[frame.uid] = _Track(path, frame.sample_rate, frame.channels)
        elif (frame.sample_rate, frame.channels) != (track.sample_rate, track.channels):
            raise InvalidArgumentError("frame", f"format of uid {frame.uid} changed mid-stream")
        if frame.timestamp_ms is not None:
            if self._origin_ms is None:
                self._origin_ms = frame.timestamp_ms
            offset_ms = frame.timestamp_ms - self._origin_ms
            track.pad_to(round(offset_ms * track.sample_rate / 1000))
        track.write(frame.pcm)
        self.frames_written += 1

    def close(self) -> None:
        """Pad every track to the common end, close the files, then write the mix."""
        if self.closed:
            return
        self.closed = True
        end_seconds = max((t.written / t.sample_rate for t in self._tracks.values()), default=0)
        try:
            for track in self._tracks.values():
                track.pad_to(round(end_seconds * track.sample_rate))
        finally:
            for track in self._tracks.values():
                track.close()
        if self._mix and self._tracks:
            self.mix_path = self._write_mix()

    def _write_mix(self) -> Path:
        """Sum the tracks sharing the first track's format into one file, chunk by chunk."""
        tracks = list(self._tracks.values())
        first = tracks[0]
        mixable = [
            t for t in tracks if (t.sample_rate, t.channels) == (first.sample_rate, first.channels)
        ]
        if len(mixable) < len(tracks):
            log.warning("mix leaves out %d track(s) in another format", len(tracks) - len(mixable))
        path = self.directory / self._mix_name
        with contextlib.ExitStack() as stack:
            readers = [stack.enter_context(wave.open(str(t.path), "rb")) for t in mixable]
            writer = stack.enter_context(wave.open(str(path), "wb"))
            writer.setnchannels(first.channels)
            writer.setsampwidth(2)
            writer.setframerate(first.sample_rate)
            while True:
                chunks = [reader.readframes(_MIX_CHUNK) for reader in readers]
                if not any(chunks):
                    break
                writer.writeframes(pcm.mix(chunks))
        return path

    def __enter__(self) -> WavRecorder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


async def record(
    frames: AsyncIterator[PcmFrame],
    directory: str | os.PathLike[str],
    *,
    duration: float | None = None,
    mix: bool = True,
    transcript: bool = False,
    transcriber: Transcriber | None = None,
    names: Mapping[int, str] | None = None,
) -> WavRecorder:
    """Record ``frames`` into ``directory`` until they end, or for ``duration`` seconds.

    ``duration`` bounds both the timeline (frames that start that long after the first
    one end the recording) and the wall clock (a silent room sends no frames at all),
    whichever comes first.  The files are closed, and valid, however this ends,
    cancellation included.  Returns the closed recorder (``paths``, ``mix_path``).

    With ``transcript=True`` (or a ``transcriber``, which the recording then starts
    and closes) the speech is also transcribed, and ``transcript.vtt``,
    ``transcript.srt`` and ``transcript.jsonl`` are written beside the WAVs, timed
    like them, speakers named from ``names`` (uid -> name); ``recorder.transcript``
    says where.  The default transcriber needs ``aioclubhouse[transcribe]``.
    """
    session = None
    if transcript or transcriber is not None:
        from .transcribe.recording import TranscriptSession

        session = await TranscriptSession.open(transcriber)
    recorder = WavRecorder(directory, mix=mix)
    deadline = asyncio.timeout(duration)
    origin_ms: int | None = None
    try:
        async with deadline:
            async for frame in frames:
                if frame.timestamp_ms is not None:
                    origin_ms = frame.timestamp_ms if origin_ms is None else origin_ms
                    if duration is not None and frame.timestamp_ms - origin_ms >= duration * 1000:
                        break
                recorder.write(frame)
                if session is not None:
                    session.feed(frame)
    except TimeoutError:
        if not deadline.expired():
            raise
    finally:
        recorder.close()
        if session is not None:
            origin = (origin_ms or 0) / 1000
            recorder.transcript = await session.finish(directory, names=names, origin=origin)
    return recorder
