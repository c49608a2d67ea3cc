"""The shipped sentences, and SpeechSource playing them per uid on a backend's timeline."""

from __future__ import annotations

import json
import wave
from importlib import resources
from pathlib import Path

import pytest

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms.audio import PcmFrame
from aioclubhouse.rooms.audio.speech import (
    SpeechSource,
    assign_voices,
    sentences,
    voices,
)
from aioclubhouse.rooms.audio.transcribe.convert import to_samples

from .support import word_error_rate

RATE = 16000
FRAME = 160  # 10 ms


def test_the_manifest_describes_every_file_exactly() -> None:
    folder = Path(str(resources.files("aioclubhouse.rooms.audio.speech")))
    manifest = json.loads((folder / "manifest.json").read_text())
    files = sorted(path.name for path in folder.glob("*.wav"))
    assert files == sorted(entry["file"] for entry in manifest["sentences"])
    for entry in manifest["sentences"]:
        with wave.open(str(folder / entry["file"]), "rb") as wav:
            assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (RATE, 1, 2)
            assert wav.getnframes() / RATE == pytest.approx(entry["duration"], abs=0.001)
        assert entry["text"] == entry["text"].lower().strip() and entry["voice"].startswith("en")
    assert len(voices()) >= 3 and len(sentences()) >= 8
    assert sum((folder / name).stat().st_size for name in files) < 700 * 1024


def test_a_turn_plays_sentences_back_to_back_with_pauses() -> None:
    ada = voices()["ada"]
    source = SpeechSource({1: ada}, pause=0.5)
    first, second = ada[0].pcm(), ada[1].pcm()
    length = len(first) // 2 + RATE // 2 + len(second) // 2
    played = b"".join(
        source.frame(1, start=1000 + i, count=FRAME) for i in range(0, length + FRAME, FRAME)
    )
    assert played[: len(first)] == first
    assert played[len(first) : len(first) + RATE] == bytes(RATE)  # 0.5 s of silence
    assert played[len(first) + RATE :].startswith(second)
    assert [(s.sentence.name, s.at) for s in source.spoken] == [
        ("ada-1", 1000 / RATE),
        ("ada-2", (1000 + len(first) // 2 + RATE // 2) / RATE),
    ]


def test_a_new_turn_goes_on_with_the_next_sentence_and_cycles() -> None:
    ben = voices()["ben"]
    source = SpeechSource({2: ben})
    for turn in range(len(ben) + 1):
        start = turn * 10 * RATE  # not contiguous with the previous call: a new turn
        data = source.frame(2, start=start, count=FRAME)
        expected = ben[turn % len(ben)].pcm()[: 2 * FRAME]
        assert data == expected
    assert [s.sentence.name for s in source.spoken] == ["ben-1", "ben-2", "ben-3", "ben-1"]


def test_other_rates_and_channels_are_made_from_the_16k_fixture() -> None:
    cleo = voices()["cleo"]
    source = SpeechSource({3: cleo})
    stereo = to_samples(source.frame(3, start=0, count=480 * 10, sample_rate=48000, channels=2))
    assert len(stereo) == 2 * 480 * 10
    assert stereo[0::2] == stereo[1::2]
    assert max(abs(v) for v in stereo) > 1000
    assert len(cleo[0].pcm(48000)) == pytest.approx(3 * len(cleo[0].pcm()), abs=6)


def test_bad_requests_are_refused() -> None:
    source = SpeechSource({1: voices()["ada"]})
    assert 1 in source and 2 not in source
    with pytest.raises(InvalidArgumentError):
        source.frame(2, start=0, count=FRAME)
    with pytest.raises(InvalidArgumentError):
        SpeechSource({1: ()})
    with pytest.raises(InvalidArgumentError):
        SpeechSource({1: voices()["ada"]}, pause=-1)


def test_assign_voices_gives_each_uid_a_speaker_in_turn() -> None:
    assigned = assign_voices([10, 20, 30, 40])
    speakers = [lines[0].speaker for lines in assigned.values()]
    assert speakers == ["ada", "ben", "cleo", "ada"]


async def test_a_schedule_played_like_the_fake_backend_is_transcribed(
    make_transcriber: object,
) -> None:
    """What the fake backend will do per frame period: who speaks now, and what they say."""

    def schedule(t: float) -> list[int]:  # like the emulator's speaking schedule
        return [uid for uid, (lo, hi) in {11: (0.2, 2.5), 12: (3.0, 5.0)}.items() if lo <= t < hi]

    source = SpeechSource(assign_voices([11, 12]), pause=1.0)
    frames = []
    for index in range(600):  # six seconds in 10 ms frame periods
        for uid in schedule(index / 100):
            pcm = source.frame(uid, start=index * FRAME, count=FRAME)
            frames.append(
                PcmFrame(uid=uid, pcm=pcm, sample_rate=RATE, channels=1, timestamp_ms=index * 10)
            )
    assert callable(make_transcriber)
    transcriber = make_transcriber()
    await transcriber.start()
    for frame in frames:
        transcriber.feed(frame)
    await transcriber.close()
    segments = [segment async for segment in transcriber.segments()]
    assert [s.uid for s in segments] == [11, 12]
    for segment, spoken in zip(segments, source.spoken, strict=True):
        assert spoken.uid == segment.uid
        assert word_error_rate(spoken.sentence.text, segment.text) <= 0.4
        assert (
            spoken.at <= segment.start < segment.end <= spoken.at + spoken.sentence.duration + 0.2
        )
