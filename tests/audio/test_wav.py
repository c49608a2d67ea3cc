"""WavRecorder and record(): alignment on the timeline, mixing, and closing on every exit."""

from __future__ import annotations

import asyncio
import struct
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms.audio import PcmFrame, WavRecorder, record

from .signal_tools import nonzero_span, read_wav


def constant_frame(
    uid: int, value: int, timestamp_ms: int | None, *, samples: int = 160
) -> PcmFrame:
    """10 ms at 16 kHz of one constant sample value, easy to find again in a file."""
    return PcmFrame(
        uid=uid,
        pcm=struct.pack(f"<{samples}h", *([value] * samples)),
        sample_rate=16000,
        channels=1,
        timestamp_ms=timestamp_ms,
    )


def test_late_starts_and_pauses_become_silence_on_a_shared_timeline(tmp_path: Path) -> None:
    with WavRecorder(tmp_path) as recorder:
        for step in range(100):  # uid 1 talks 0-1 s but pauses 200-400 ms
            if not 20 <= step < 40:
                recorder.write(constant_frame(1, 1000, 5000 + 10 * step))
            if step >= 50:  # uid 2 starts at 500 ms
                recorder.write(constant_frame(2, -2000, 5000 + 10 * step))
    first, second = read_wav(tmp_path / "1.wav"), read_wav(tmp_path / "2.wav")
    assert len(first.samples) == len(second.samples) == 16000
    assert first.samples[: 20 * 160] == [1000] * (20 * 160)
    assert first.samples[20 * 160 : 40 * 160] == [0] * (20 * 160)
    assert first.samples[40 * 160 :] == [1000] * (60 * 160)
    assert nonzero_span(second.samples) == (50 * 160, 16000)
    mix = read_wav(tmp_path / "mix.wav")
    assert mix.samples[60 * 160] == 1000 - 2000


def test_tracks_end_together_even_when_one_speaker_stops_early(tmp_path: Path) -> None:
    with WavRecorder(tmp_path, mix=False) as recorder:
        recorder.write(constant_frame(1, 5, 0))
        for step in range(30):
            recorder.write(constant_frame(2, 9, 10 * step))
    assert recorder.seconds(1) == recorder.seconds(2) == pytest.approx(0.3)
    assert recorder.mix_path is None


def test_frames_without_timestamps_are_appended_back_to_back(tmp_path: Path) -> None:
    with WavRecorder(tmp_path) as recorder:
        for value in (1, 2, 3):
            recorder.write(constant_frame(4, value, None, samples=10))
    assert read_wav(tmp_path / "4.wav").samples == [1] * 10 + [2] * 10 + [3] * 10


def test_the_mix_clips_instead_of_wrapping(tmp_path: Path) -> None:
    with WavRecorder(tmp_path) as recorder:
        recorder.write(constant_frame(1, 30000, 0))
        recorder.write(constant_frame(2, 30000, 0))
        recorder.write(constant_frame(3, -30000, 10))
        recorder.write(constant_frame(4, -30000, 10))
    mix = read_wav(tmp_path / "mix.wav")
    assert mix.samples[:160] == [32767] * 160
    assert mix.samples[160:] == [-32768] * 160


def test_frames_the_recorder_cannot_store_are_refused(tmp_path: Path) -> None:
    with WavRecorder(tmp_path) as recorder:
        with pytest.raises(InvalidArgumentError):
            recorder.write(
                PcmFrame(uid=1, pcm=b"\0" * 12, sample_rate=16000, channels=1, sample_width=3)
            )
        recorder.write(constant_frame(1, 1, 0))
        with pytest.raises(InvalidArgumentError):
            recorder.write(
                PcmFrame(uid=1, pcm=b"\0\0", sample_rate=48000, channels=1, timestamp_ms=10)
            )
    with pytest.raises(ValueError):
        recorder.write(constant_frame(1, 1, 20))


async def test_record_stops_after_duration_on_the_timeline(tmp_path: Path) -> None:
    async def endless() -> AsyncIterator[PcmFrame]:
        step = 0
        while True:
            yield constant_frame(9, 100, 10 * step)
            step += 1

    recorder = await record(endless(), tmp_path, duration=0.5)
    assert read_wav(tmp_path / "9.wav").seconds == pytest.approx(0.5)
    assert recorder.closed


async def test_record_stops_after_duration_of_wall_clock_in_silence(tmp_path: Path) -> None:
    async def silent() -> AsyncIterator[PcmFrame]:
        yield constant_frame(9, 100, 0)
        await asyncio.Event().wait()

    recorder = await record(silent(), tmp_path, duration=0.2)
    assert recorder.frames_written == 1
    assert read_wav(tmp_path / "9.wav").seconds == pytest.approx(0.01)


async def test_cancelling_a_recording_leaves_complete_files(tmp_path: Path) -> None:
    ten_written = asyncio.Event()

    async def then_hang() -> AsyncIterator[PcmFrame]:
        for step in range(10):
            yield constant_frame(1, 700, 10 * step)
            yield constant_frame(2, -700, 10 * step)
        ten_written.set()
        await asyncio.Event().wait()

    task = asyncio.create_task(record(then_hang(), tmp_path))
    async with asyncio.timeout(10):
        await ten_written.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for name, value in (("1.wav", 700), ("2.wav", -700), ("mix.wav", 0)):
        with wave.open(str(tmp_path / name), "rb") as reader:  # headers were patched on close
            assert reader.getnframes() == 1600
        assert set(read_wav(tmp_path / name).samples) == {value}


async def test_an_error_in_the_stream_still_closes_the_files(tmp_path: Path) -> None:
    async def broken() -> AsyncIterator[PcmFrame]:
        yield constant_frame(3, 1, 0)
        raise ConnectionResetError("gone")

    with pytest.raises(ConnectionResetError):
        await record(broken(), tmp_path)
    assert read_wav(tmp_path / "3.wav").samples == [1] * 160
