"""A room's live transcript: three speakers of an emulated room talk in turns through the
fake backend (virtual time), the room recognises them with pocketsphinx and delivers
``SpeechTranscribed`` events through the real pubnub client's room, beside the room's
other events."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from aioclubhouse.bridge import JsonLinesSink, bridge, from_json, to_json
from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms import Left, Room, RoomEvent, SpeechTranscribed, UserJoined
from aioclubhouse.rooms.audio import FakeAudioBackend, SpeechSource, assign_voices, record
from aioclubhouse.rooms.audio.pcm import peak
from aioclubhouse.rooms.audio.speech import Sentence
from aioclubhouse.rooms.audio.transcribe import (
    Recognition,
    SpeechTranscriber,
    TranscriberUnavailable,
    Utterance,
    pocketsphinx_transcriber,
)
from aioclubhouse.rooms.audio.transcribe.segmenter import SegmenterConfig, VoiceDetector

from ..transcribe.support import word_error_rate
from .helpers import People, until

NAMES = ("Ada Lovelace", "Ben Okafor", "Cleo Marsh")
GAP = 1.0
"""Seconds of silence between two turns."""


@pytest.fixture
def sphinx() -> None:
    pytest.importorskip("pocketsphinx", reason="needs aioclubhouse[transcribe]")


class Turns:
    """Each speaker says their first sentence, one after another, ``GAP`` apart."""

    def __init__(self, lines: dict[int, tuple[Sentence, ...]], *, cut: float | None = None):
        self.slots: list[tuple[int, float, float]] = []
        at = 0.5
        for uid, said in lines.items():
            self.slots.append((uid, at, at + said[0].duration))
            at += said[0].duration + GAP
        self.cut = cut
        """Room time after which nobody speaks (someone may be cut mid-sentence)."""

    def __call__(self, t: float) -> list[int]:
        if self.cut is not None and t >= self.cut:
            return []
        return [uid for uid, start, end in self.slots if start <= t < end]

    @property
    def end(self) -> float:
        return self.slots[-1][2]


async def stage(people: People) -> tuple[str, dict[int, str]]:
    """A room with a moderator and three speakers (simulated, they keep no connection)."""
    _moderator, channel = await people.room_with_moderator()
    world = people.emu.world
    live = world.rooms.room(channel)
    speakers = {}
    for name in NAMES:
        user_id = world.create_user(name=name).user_id
        world.rooms.place(live, user_id, speaker=True, keepalive=False)
        speakers[user_id] = name
    return channel, speakers


def collect(room: Room) -> list[RoomEvent]:
    seen: list[RoomEvent] = []
    room.on(RoomEvent, seen.append)
    return seen


def said(events: Iterable[RoomEvent]) -> list[SpeechTranscribed]:
    return [event for event in events if isinstance(event, SpeechTranscribed)]


async def test_three_speakers_in_turns_become_events_that_agree_with_the_transcript_file(
    people: People, tmp_path: Path, sphinx: None
) -> None:
    channel, speakers = await stage(people)
    lines = assign_voices(sorted(speakers))
    turns = Turns(lines)
    backend = FakeAudioBackend(speakers=turns, speech=SpeechSource(lines), duration=turns.end + GAP)
    session = await people.session("Lee Listener")
    room = await people.join(
        session, channel, audio=backend, transcriber=pocketsphinx_transcriber()
    )
    seen = collect(room)
    # The program records the frames the room passes on, with a transcriber of its own,
    # and bridges the room's events to a JSON lines file.
    recording = asyncio.create_task(
        record(room.audio_frames(), tmp_path, transcript=True, names=speakers)
    )
    sink = JsonLinesSink(tmp_path / "bridge" / "e.jsonl")
    await sink.open()
    bridged = asyncio.create_task(bridge(room, sink))
    last_uid = turns.slots[-1][0]
    last = await room.wait_for(SpeechTranscribed, check=lambda e: e.user_id == last_uid, timeout=60)
    await until(lambda: len(said(seen)) == 3, what="three transcribed turns")
    await room.leave()
    recorder = await recording
    await bridged
    await sink.close()

    events = said(seen)
    assert isinstance(seen[-1], Left)
    for event, (uid, start, end) in zip(events, turns.slots, strict=True):
        assert (event.user_id, event.name, event.channel) == (uid, speakers[uid], channel)
        assert word_error_rate(lines[uid][0].text, event.text) <= 0.4, event
        assert start - 0.3 <= event.start < event.end <= end + 0.3
        assert 0 < event.confidence <= 1
        assert from_json(to_json(event)) == event  # as the bridge and listen --json carry it

    assert recorder.transcript is not None and recorder.origin is not None
    rows = [json.loads(line) for line in recorder.transcript.jsonl.read_text().splitlines()]
    assert [(row["uid"], row["name"], row["text"]) for row in rows] == [
        (event.user_id, event.name, event.text) for event in events
    ]
    for row, event in zip(rows, events, strict=True):
        assert row["start"] == pytest.approx(event.start - recorder.origin, abs=0.002)
        assert row["end"] == pytest.approx(event.end - recorder.origin, abs=0.002)
    assert set(recorder.paths) == set(speakers)
    assert last == events[-1]
    lines = (tmp_path / "bridge" / "e.jsonl").read_text().splitlines()
    bridged_said = [from_json(line) for line in lines if '"speech_transcribed"' in line]
    assert bridged_said == events
    assert room.transcriber is not None and room.transcriber.stats.dropped_seconds == 0


async def test_leaving_mid_sentence_finalises_it_before_left(people: People, sphinx: None) -> None:
    channel, speakers = await stage(people)
    lines = assign_voices(sorted(speakers))
    last, started, _ = Turns(lines).slots[-1]
    cut = started + 0.6 * lines[last][0].duration
    turns = Turns(lines, cut=cut)
    backend = FakeAudioBackend(speakers=turns, speech=SpeechSource(lines), max_silence=2.0)
    session = await people.session("Lee Listener")
    # No wall-clock idle timeout: only leaving can end the last speaker's sentence.
    transcriber = pocketsphinx_transcriber(idle_timeout=None)
    room = await people.join(session, channel, audio=backend, transcriber=transcriber)
    seen = collect(room)
    await until(lambda: len(said(seen)) == 2, limit=60, what="the two whole turns")
    await until(lambda: backend.frame_index * 0.01 >= cut, what="the cut")
    assert len(said(seen)) == 2  # the third is still being said
    await room.leave()

    kinds = [type(event) for event in seen]
    assert kinds.index(Left) == len(kinds) - 1
    events = said(seen)
    assert [event.user_id for event in events] == [uid for uid, _, _ in turns.slots]
    cut_short = events[-1]
    words = lines[last][0].text.split()
    assert cut_short.text.split()[:2] == words[:2]
    assert len(cut_short.text.split()) < len(words)
    assert cut_short.end <= cut + 0.05


class LoudnessDetector:
    """Voice is anything loud enough (no pocketsphinx needed)."""

    def __init__(self, sample_rate: int) -> None:
        self.frame_bytes = 2 * sample_rate // 100

    def is_speech(self, frame: bytes) -> bool:
        return peak(frame) > 500


def loudness(sample_rate: int) -> VoiceDetector:
    return LoudnessDetector(sample_rate)


class SlowRecognizer:
    """A recognizer far slower than speech: the transcriber must drop, not stall."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.heard: list[int] = []

    async def start(self) -> None:
        pass

    async def recognize(self, utterance: Utterance) -> Recognition:
        self.heard.append(utterance.uid)
        await self.release.wait()
        return Recognition(text="something", confidence=0.5)

    async def close(self) -> None:
        self.release.set()


async def test_a_transcriber_that_falls_behind_drops_speech_and_events_still_flow(
    people: People, caplog: pytest.LogCaptureFixture
) -> None:
    channel, speakers = await stage(people)
    lines = assign_voices(sorted(speakers))
    turns = Turns(lines)
    backend = FakeAudioBackend(speakers=turns, speech=SpeechSource(lines), max_silence=2.0)
    recognizer = SlowRecognizer()
    transcriber = SpeechTranscriber(
        recognizer,
        detector=loudness,
        segmenter=SegmenterConfig(max_utterance=1.0),
        max_backlog=1.0,  # one second of speech waits while another is recognised
        idle_timeout=None,
    )
    session = await people.session("Lee Listener")
    room = await people.join(
        session, channel, audio=backend, transcriber=transcriber, transcribe_timeout=0.5
    )
    seen = collect(room)
    await until(lambda: transcriber.stats.dropped_utterances >= 1, what="speech dropped")
    newcomer = await people.session("Nia Newcomer")
    joined = asyncio.ensure_future(
        room.wait_for(UserJoined, check=lambda e: e.user.user_id == newcomer.user_id, timeout=20)
    )
    await people.join(newcomer, channel)
    await joined  # delivered while the recognizer is stuck
    assert said(seen) == []
    # Leaving waits for the stuck recognizer no longer than transcribe_timeout.
    started = asyncio.get_running_loop().time()
    await room.leave()
    assert asyncio.get_running_loop().time() - started < 5
    assert "transcript was not finished within" in caplog.text
    assert transcriber.stats.dropped_seconds > 0
    assert isinstance(seen[-1], Left)


def test_without_pocketsphinx_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pocketsphinx", None)  # importing it fails
    with pytest.raises(TranscriberUnavailable, match=r"aioclubhouse\[transcribe\]"):
        pocketsphinx_transcriber()


async def test_without_pocketsphinx_rooms_without_a_transcriber_are_unaffected(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pocketsphinx", None)
    channel, speakers = await stage(people)
    backend = FakeAudioBackend(speakers={uid: 440.0 for uid in speakers}, duration=0.5)
    session = await people.session("Lee Listener")
    room = await people.join(session, channel, audio=backend)
    assert room.transcriber is None
    frames = [frame async for frame in room.audio_frames()]
    assert {frame.uid for frame in frames} == set(speakers)
    seen = collect(room)
    await room.leave()
    assert isinstance(seen[-1], Left) and said(seen) == []


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda: {"transcriber": "pocketsphinx"}, "must be a Transcriber"),
        (
            lambda: {"transcriber": SpeechTranscriber(SlowRecognizer(), detector=loudness)},
            "needs audio=",
        ),
    ],
    ids=["not a transcriber", "no audio"],
)
async def test_a_transcriber_is_checked_before_joining(
    people: People, make: Callable[[], dict[str, object]], problem: str
) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    with pytest.raises(InvalidArgumentError, match=problem) as refused:
        await people.join(session, channel, **make())
    assert refused.value.field == "transcriber"
    assert session.user_id not in people.emu.world.rooms.room(channel).users
