"""Real sentences for fake speakers: short synthetic speech shipped with the SDK.

The WAV files beside this module (16 kHz mono, about 550 KB in all) are English
sentences spoken by espeak-ng in three voices (``ada``, ``ben``, ``cleo``);
``manifest.json`` holds each one's exact text, voice and duration, and
``scripts/make_speech_fixtures.py`` regenerates them.  They let the fake backend, the
demo and the tests speak words a recognizer can be checked against.

:class:`SpeechSource` plays them on a timeline: each uid says its sentences in turn,
one after another with a pause between, for as long as it is speaking, and the next
time it speaks it goes on with its next sentence.  ``frame(uid, start=..., count=...)``
is shaped like :func:`~aioclubhouse.rooms.audio.pcm.sine`, so a backend that makes a
tone per frame can make speech instead.
"""

from __future__ import annotations

import io
import json
import wave
from array import array
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources

import attrs

from ....errors import InvalidArgumentError
from ..transcribe.convert import resample, to_bytes, to_samples

__all__ = ["Sentence", "SpeechSource", "SpokenSentence", "assign_voices", "sentences", "voices"]

SAMPLE_RATE = 16000


@attrs.frozen(kw_only=True)
class Sentence:
    """One fixture: what is said, by which synthetic voice, and for how long."""

    name: str
    speaker: str
    text: str
    voice: str
    pitch: int
    words_per_minute: int
    duration: float

    def pcm(self, sample_rate: int = SAMPLE_RATE) -> bytes:
        """The sentence as mono s16le at ``sample_rate`` (resampled from 16 kHz, cached)."""
        return _audio(self.name, sample_rate)


@cache
def _manifest() -> tuple[Sentence, ...]:
    text = resources.files(__name__).joinpath("manifest.json").read_text(encoding="utf-8")
    return tuple(
        Sentence(
            name=entry["file"].removesuffix(".wav"),
            speaker=entry["speaker"],
            text=entry["text"],
            voice=entry["voice"],
            pitch=int(entry["pitch"]),
            words_per_minute=int(entry["words_per_minute"]),
            duration=float(entry["duration"]),
        )
        for entry in json.loads(text)["sentences"]
    )


@cache
def _audio(name: str, sample_rate: int) -> bytes:
    if sample_rate != SAMPLE_RATE:
        return to_bytes(resample(to_samples(_audio(name, SAMPLE_RATE)), SAMPLE_RATE, sample_rate))
    data = resources.files(__name__).joinpath(f"{name}.wav").read_bytes()
    with wave.open(io.BytesIO(data), "rb") as wav:
        if (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) != (SAMPLE_RATE, 1, 2):
            raise ValueError(f"speech fixture {name} is not 16 kHz mono 16-bit")
        return wav.readframes(wav.getnframes())


def sentences() -> tuple[Sentence, ...]:
    """Every fixture sentence, grouped by speaker."""
    return _manifest()


def voices() -> dict[str, tuple[Sentence, ...]]:
    """The sentences of each synthetic speaker (``ada``, ``ben``, ``cleo``)."""
    grouped: dict[str, list[Sentence]] = {}
    for sentence in _manifest():
        grouped.setdefault(sentence.speaker, []).append(sentence)
    return {speaker: tuple(lines) for speaker, lines in grouped.items()}


def assign_voices(uids: Iterable[int]) -> dict[int, tuple[Sentence, ...]]:
    """A voice for each uid, in order: the first uid gets ``ada``'s sentences, and so on."""
    by_speaker = list(voices().values())
    return {uid: by_speaker[index % len(by_speaker)] for index, uid in enumerate(uids)}


@attrs.frozen(kw_only=True)
class SpokenSentence:
    """A sentence a :class:`SpeechSource` began to play for ``uid`` at ``at`` seconds."""

    uid: int
    sentence: Sentence
    at: float


@attrs.define
class _Turn:
    """Where one uid is in its sentences; a turn lasts while frames come back to back."""

    rate: int
    index: int
    sentence_start: int
    expected: int


class SpeechSource:
    """Plays each uid's sentences on the sample timeline of a backend.

    ``lines`` gives each uid its sentences (:func:`assign_voices` makes one); without
    it, each uid gets the next voice (``ada``, ``ben``, ``cleo``, ``ada``...) the first
    time it speaks, for backends whose speakers are not known in advance.
    ``pause`` is the silence, in seconds, between two sentences of one turn.  A call
    whose ``start`` does not follow on from that uid's previous call begins a new
    turn, with the uid's next sentence.  ``spoken`` lists every sentence begun.
    """

    def __init__(
        self, lines: Mapping[int, Sequence[Sentence]] | None = None, *, pause: float = 1.0
    ) -> None:
        if not pause >= 0:
            raise InvalidArgumentError("pause", "must be a non-negative number of seconds")
        for uid, said in (lines or {}).items():
            if not said:
                raise InvalidArgumentError("lines", f"uid {uid} has no sentences")
        self._lines = {uid: tuple(said) for uid, said in (lines or {}).items()}
        self._voices_on_demand = lines is None
        self._pause = pause
        self._turns: dict[int, _Turn] = {}
        self._next: dict[int, int] = {}
        self.spoken: list[SpokenSentence] = []

    def __contains__(self, uid: object) -> bool:
        return self._voices_on_demand or uid in self._lines

    def lines_of(self, uid: int) -> tuple[Sentence, ...]:
        """The sentences ``uid`` says (giving it the next voice if it has none yet)."""
        lines = self._lines.get(uid)
        if lines is None and self._voices_on_demand:
            by_speaker = list(voices().values())
            lines = self._lines[uid] = by_speaker[len(self._lines) % len(by_speaker)]
        if lines is None:
            raise InvalidArgumentError("uid", f"{uid} has no sentences in this source")
        return lines

    def frame(
        self,
        uid: int,
        *,
        start: int,
        count: int,
        sample_rate: int = SAMPLE_RATE,
        channels: int = 1,
    ) -> bytes:
        """``count`` instants of what ``uid`` says from absolute sample ``start`` on."""
        lines = self.lines_of(uid)
        if count < 0 or channels < 1 or sample_rate <= 0:
            raise InvalidArgumentError("count", "count, channels and sample_rate must be positive")
        turn = self._turns.get(uid)
        if turn is None or turn.expected != start or turn.rate != sample_rate:
            turn = self._begin_turn(uid, start, sample_rate)
        out = bytearray()
        position, end = start, start + count
        pause = round(self._pause * sample_rate)
        while position < end:
            audio = lines[turn.index].pcm(sample_rate)
            length = len(audio) // 2
            offset = position - turn.sentence_start
            if offset < length:
                take = min(length - offset, end - position)
                out += audio[2 * offset : 2 * (offset + take)]
            elif offset < length + pause:
                take = min(length + pause - offset, end - position)
                out += bytes(2 * take)
            else:
                turn.index = (turn.index + 1) % len(lines)
                turn.sentence_start += length + pause
                self._said(uid, turn)
                continue
            position += take
        turn.expected = end
        self._next[uid] = (turn.index + 1) % len(lines)
        return _spread(bytes(out), channels)

    def _begin_turn(self, uid: int, start: int, sample_rate: int) -> _Turn:
        turn = _Turn(
            rate=sample_rate, index=self._next.get(uid, 0), sentence_start=start, expected=start
        )
        self._turns[uid] = turn
        self._said(uid, turn)
        return turn

    def _said(self, uid: int, turn: _Turn) -> None:
        sentence = self._lines[uid][turn.index]
        self.spoken.append(
            SpokenSentence(uid=uid, sentence=sentence, at=turn.sentence_start / turn.rate)
        )


def _spread(mono: bytes, channels: int) -> bytes:
    """Mono s16le copied into every channel of interleaved s16le."""
    if channels == 1:
        return mono
    samples = to_samples(mono)
    interleaved = array("h", bytes(2 * len(samples) * channels))
    for channel in range(channels):
        interleaved[channel::channels] = samples
    return to_bytes(interleaved)
