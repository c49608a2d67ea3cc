"""pocketsphinx on the shipped sentences: accuracy, attribution, timing, leaving mid-sentence."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Sequence

import pytest

from aioclubhouse.rooms.audio import PcmFrame
from aioclubhouse.rooms.audio.speech import sentences, voices
from aioclubhouse.rooms.audio.transcribe import Segment, SpeechTranscriber

from .support import Placed, spoken_by, timeline, word_error_rate

MAX_WER = 0.4
Make = Callable[..., SpeechTranscriber]


async def transcribe_all(
    transcriber: SpeechTranscriber, frames: Sequence[PcmFrame]
) -> list[Segment]:
    """Feed every frame, close, and return every segment."""
    await transcriber.start()
    for index, frame in enumerate(frames):
        transcriber.feed(frame)
        if index % 200 == 0:
            await asyncio.sleep(0)
    await transcriber.close()
    return [segment async for segment in transcriber.segments()]


def assert_ordered_and_apart(segments: Sequence[Segment]) -> None:
    """Per speaker, segments come in time order and never overlap."""
    for uid in {segment.uid for segment in segments}:
        own = [segment for segment in segments if segment.uid == uid]
        for earlier, later in itertools.pairwise(own):
            assert earlier.start <= earlier.end <= later.start, (earlier, later)


async def test_every_fixture_sentence_is_recognised(make_transcriber: Make) -> None:
    """Each sentence alone, as a speaker's first words: WER <= 40% (printed with -s)."""
    placed = [Placed(uid=100 + n, sentence=s, at=0.5 + 4.0 * n) for n, s in enumerate(sentences())]
    segments = await transcribe_all(make_transcriber(), timeline(placed))
    report = []
    for item in placed:
        heard = " ".join(s.text for s in segments if s.uid == item.uid)
        rate = word_error_rate(item.sentence.text, heard)
        report.append((item.sentence.name, rate, heard))
        print(f"WER {rate:.2f}  {item.sentence.name:7} {item.sentence.text!r} -> {heard!r}")
    worst = [row for row in report if row[1] > MAX_WER]
    assert not worst, f"WER above {MAX_WER}: {worst}"
    assert sum(row[1] for row in report) / len(report) <= 0.2, report


async def test_three_speakers_in_turns_are_each_attributed(make_transcriber: Make) -> None:
    ada, ben, cleo = voices().values()
    order = [(1, ada[0]), (2, ben[0]), (3, cleo[0]), (1, ada[1]), (2, ben[1]), (3, cleo[1])]
    placed, at = [], 0.4
    for uid, sentence in order:
        placed.append(Placed(uid=uid, sentence=sentence, at=at))
        at += sentence.duration + 0.9
    segments = await transcribe_all(make_transcriber(), timeline(placed, origin_ms=50_000))
    assert len(segments) == len(placed)
    assert_ordered_and_apart(segments)
    for item in placed:
        [segment] = [
            s for s in segments if 50 + item.at - 0.3 <= s.start and s.end <= 50 + item.end + 0.3
        ]
        assert segment.uid == item.uid
        assert word_error_rate(item.sentence.text, segment.text) <= MAX_WER, segment
        assert 0 < segment.confidence <= 1


async def test_two_speakers_talking_over_each_other(make_transcriber: Make) -> None:
    ada, ben, _ = voices().values()
    placed = [
        Placed(uid=7, sentence=ada[2], at=0.5),
        Placed(uid=8, sentence=ben[2], at=1.2),  # starts while uid 7 is mid-sentence
        Placed(uid=7, sentence=ada[0], at=4.0),
        Placed(uid=8, sentence=ben[0], at=4.5),
    ]
    frames = timeline(placed, silent_frames=False)  # frames only while speaking
    segments = await transcribe_all(make_transcriber(), frames)
    assert_ordered_and_apart(segments)
    for uid in (7, 8):
        own = [s for s in segments if s.uid == uid]
        said = spoken_by(placed, uid)
        assert len(own) == len(said)
        for segment, item in zip(own, said, strict=True):
            assert item.at - 0.3 <= segment.start <= segment.end <= item.end + 0.3
            assert word_error_rate(item.sentence.text, segment.text) <= MAX_WER, segment


async def test_48khz_stereo_is_converted_for_the_recognizer(make_transcriber: Make) -> None:
    """What Agora delivers: 48 kHz stereo, downmixed and resampled in the worker."""
    sentence = voices()["ben"][0]
    frames = timeline([Placed(uid=5, sentence=sentence, at=0.3)], sample_rate=48000, channels=2)
    [segment] = await transcribe_all(make_transcriber(), frames)
    assert segment.uid == 5
    assert word_error_rate(sentence.text, segment.text) <= MAX_WER


async def test_leaving_mid_sentence_finalises_the_open_segment(make_transcriber: Make) -> None:
    sentence = voices()["ada"][2]  # "please tell me more about your new project"
    placed = [Placed(uid=9, sentence=sentence, at=0.2)]
    cut = 0.2 + sentence.duration * 0.55
    frames = [f for f in timeline(placed) if (f.timestamp_ms or 0) < cut * 1000]
    transcriber = make_transcriber()
    await transcriber.start()
    for frame in frames:
        transcriber.feed(frame)
    assert transcriber.stats.utterances == 0  # still mid-utterance: nothing finalised
    await transcriber.close()
    [segment] = [s async for s in transcriber.segments()]
    assert segment.uid == 9
    assert segment.end <= cut + 0.01
    heard = segment.text.split()
    assert heard and heard[0] == "please"
    assert sum(word in sentence.text.split() for word in heard) >= len(heard) / 2


async def test_a_pause_longer_than_the_hangover_ends_the_segment_live(
    make_transcriber: Make,
) -> None:
    """Room time moving on (another speaker's frames) finalises without any close."""
    ada, ben, _ = voices().values()
    placed = [Placed(uid=1, sentence=ada[0], at=0.2), Placed(uid=2, sentence=ben[1], at=0.2)]
    until = 0.2 + max(ada[0].duration, ben[1].duration) + 1.0
    transcriber = make_transcriber(hangover=0.5, idle_timeout=None)
    await transcriber.start()
    for frame in timeline(placed, until=until):
        transcriber.feed(frame)
    segments = transcriber.segments()
    async with asyncio.timeout(30):
        got = [await anext(segments), await anext(segments)]
    assert {segment.uid for segment in got} == {1, 2}
    assert transcriber.stats.pending_seconds == 0


async def test_a_speaker_whose_frames_stop_is_finalised_by_the_idle_timeout(
    make_transcriber: Make,
) -> None:
    """A lone speaker who mutes sends nothing more: the wall clock ends the utterance."""
    sentence = voices()["cleo"][1]
    frames = timeline([Placed(uid=4, sentence=sentence, at=0.1)], silent_frames=False)
    transcriber = make_transcriber(idle_timeout=0.2)
    await transcriber.start()
    for frame in frames:
        transcriber.feed(frame)
    async with asyncio.timeout(30):
        segment = await anext(transcriber.segments())
    assert segment.uid == 4
    assert word_error_rate(sentence.text, segment.text) <= MAX_WER


@pytest.mark.parametrize("leave", ["end_speaker", "flush"])
async def test_end_speaker_and_flush_finalise(make_transcriber: Make, leave: str) -> None:
    sentence = voices()["ben"][1]
    frames = timeline([Placed(uid=3, sentence=sentence, at=0.1)], silent_frames=False)
    transcriber = make_transcriber(idle_timeout=None)
    await transcriber.start()
    for frame in frames:
        transcriber.feed(frame)
    if leave == "end_speaker":
        transcriber.end_speaker(3)
        async with asyncio.timeout(30):
            segment = await anext(transcriber.segments())
    else:
        await transcriber.flush()
        assert transcriber.stats.segments == 1
        segment = await anext(transcriber.segments())
    assert segment.uid == 3
    assert word_error_rate(sentence.text, segment.text) <= MAX_WER
