"""record(..., transcript=True): the transcript files beside the WAVs, on the same timeline."""

from __future__ import annotations

import asyncio
import contextlib
import json
import wave
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

from aioclubhouse.rooms.audio import PcmFrame, record
from aioclubhouse.rooms.audio.speech import voices
from aioclubhouse.rooms.audio.transcribe import SpeechTranscriber
from aioclubhouse.rooms.audio.transcribe.convert import to_samples

from .support import Placed, timeline, word_error_rate

ORIGIN_MS = 120_000  # room time of the first frame: cues count from there, like the WAVs


async def stream(
    frames: Sequence[PcmFrame], *, then: asyncio.Event | None = None
) -> AsyncIterator[PcmFrame]:
    for index, frame in enumerate(frames):
        yield frame
        if index % 100 == 0:
            await asyncio.sleep(0)
    if then is not None:
        await then.wait()


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def first_sound(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        samples = to_samples(wav.readframes(wav.getnframes()))
    return next(i for i, value in enumerate(samples) if abs(value) > 300) / 16000


async def test_record_writes_a_transcript_timed_like_the_wavs(tmp_path: Path, sphinx: None) -> None:
    ada, ben, cleo = voices().values()
    placed = [
        Placed(uid=1, sentence=ada[0], at=0.5),
        Placed(uid=2, sentence=ben[1], at=3.2),
        Placed(uid=3, sentence=cleo[1], at=5.5),
    ]
    frames = timeline(placed, origin_ms=ORIGIN_MS)
    names = {1: "Ada", 2: "Ben"}
    recorder = await record(stream(frames), tmp_path, transcript=True, names=names)

    assert listing(tmp_path) == [
        "1.wav",
        "2.wav",
        "3.wav",
        "mix.wav",
        "transcript.jsonl",
        "transcript.srt",
        "transcript.vtt",
    ]
    assert recorder.transcript is not None
    rows = [json.loads(line) for line in recorder.transcript.jsonl.read_text().splitlines()]
    assert [(row["uid"], row["name"]) for row in rows] == [(1, "Ada"), (2, "Ben"), (3, "3")]
    for row, item in zip(rows, placed, strict=True):
        assert word_error_rate(item.sentence.text, row["text"]) <= 0.4
        heard_in_wav = first_sound(tmp_path / f"{item.uid}.wav")
        assert abs(row["start"] - heard_in_wav) < 0.3, (row, heard_in_wav)
        assert row["start"] < row["end"] <= item.end + 0.3
    vtt = recorder.transcript.vtt.read_text()
    assert "<v Ada>welcome everyone" in vtt and "<v Ben>" in vtt and "<v 3>" in vtt
    assert "Ada: welcome everyone" in recorder.transcript.srt.read_text()


async def test_the_given_transcriber_is_used_and_closed_and_duration_bounds_it(
    tmp_path: Path, make_transcriber: Callable[..., SpeechTranscriber]
) -> None:
    ada = voices()["ada"]
    placed = [Placed(uid=1, sentence=ada[0], at=0.2), Placed(uid=1, sentence=ada[1], at=4.0)]
    transcriber = make_transcriber(hangover=0.4)
    recorder = await record(
        stream(timeline(placed)), tmp_path, duration=3.0, transcriber=transcriber
    )
    assert recorder.transcript is not None
    [segment] = recorder.transcript.segments  # the second sentence is after the 3 s
    assert word_error_rate(ada[0].text, segment.text) <= 0.4
    assert transcriber.stats.utterances == 1
    assert [s async for s in transcriber.segments()] == []  # closed: the iterator ends


async def test_cancelling_mid_sentence_still_leaves_valid_files_and_the_words_so_far(
    tmp_path: Path, sphinx: None
) -> None:
    sentence = voices()["ben"][0]  # "we are going to talk about music"
    frames = timeline([Placed(uid=4, sentence=sentence, at=0.2)])
    cut = [f for f in frames if (f.timestamp_ms or 0) < (0.2 + 0.7 * sentence.duration) * 1000]
    fed_all = asyncio.Event()
    never = asyncio.Event()

    async def frames_then_wait() -> AsyncIterator[PcmFrame]:
        async for frame in stream(cut):
            yield frame
        fed_all.set()
        await never.wait()  # a live room: more frames would come

    task = asyncio.create_task(record(frames_then_wait(), tmp_path, transcript=True))
    await fed_all.wait()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    rows = [json.loads(line) for line in (tmp_path / "transcript.jsonl").read_text().splitlines()]
    assert [row["uid"] for row in rows] == [4]
    assert rows[0]["text"].split()[:2] == ["we", "are"]
    with wave.open(str(tmp_path / "4.wav"), "rb") as wav:
        assert wav.getnframes() == len(cut) * 160
