"""The fake backend speaking sentences: the shipped speech, on its speaking schedule."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms.audio import (
    CLUBHOUSE_AGORA_APP_ID,
    FakeAudioBackend,
    PcmFrame,
    Role,
    SpeechSource,
    assign_voices,
)
from aioclubhouse.rooms.audio.pcm import to_samples

JOIN: dict[str, Any] = {
    "app_id": CLUBHOUSE_AGORA_APP_ID,
    "token": "rtc-token-for-tests",
    "channel": "PxAbCdEf",
    "uid": 7,
    "role": Role.LISTENER,
}


async def collect(backend: FakeAudioBackend) -> list[PcmFrame]:
    await backend.connect(**JOIN)
    return [frame async for frame in backend.frames()]


def track(frames: list[PcmFrame], uid: int) -> bytes:
    return b"".join(frame.pcm for frame in frames if frame.uid == uid)


async def test_speakers_say_their_sentences_in_their_turns() -> None:
    def turns(t: float) -> list[int]:  # 101 for 3 s, then 202 for 3 s
        return [101] if t < 3 else [202]

    lines = assign_voices([101, 202])
    source = SpeechSource(lines, pause=0.5)
    backend = FakeAudioBackend(speakers=turns, speech=source, duration=6)
    frames = await collect(backend)

    assert backend.speech_source is source
    assert {frame.uid for frame in frames[:300]} == {101}
    assert {frame.uid for frame in frames[300:]} == {202}
    first = lines[101][0]
    expected = first.pcm()
    assert track(frames, 101)[: len(expected)] == expected  # the sentence itself, sample for sample
    said = [(spoken.uid, spoken.sentence.name, spoken.at) for spoken in source.spoken]
    assert said[0] == (101, first.name, 0.0)
    assert (202, lines[202][0].name, 3.0) in said


async def test_speech_true_gives_each_new_speaker_the_next_voice() -> None:
    backend = FakeAudioBackend(speakers={101: 440.0, 202: 660.0}, speech=True, duration=1)
    frames = await collect(backend)
    source = backend.speech_source
    assert source is not None
    voices = {spoken.uid: spoken.sentence.speaker for spoken in source.spoken}
    assert voices == {101: "ada", 202: "ben"}
    assert track(frames, 202)[:3200] == source.lines_of(202)[0].pcm()[:3200]


async def test_uids_without_sentences_keep_their_tone() -> None:
    source = SpeechSource(assign_voices([101]))
    backend = FakeAudioBackend(speakers={101: 440.0, 202: 1000.0}, speech=source, duration=1)
    frames = await collect(backend)
    tone = to_samples(track(frames, 202))
    crossings = sum(1 for a, b in itertools.pairwise(tone) if (a < 0) != (b < 0))
    assert crossings / 2 == pytest.approx(1000, rel=0.02)  # one second of a 1 kHz tone
    assert {spoken.uid for spoken in source.spoken} == {101}


def test_speech_must_be_a_source_or_a_flag() -> None:
    with pytest.raises(InvalidArgumentError, match="speech"):
        FakeAudioBackend(speech="yes")  # type: ignore[arg-type]
