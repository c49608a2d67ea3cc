"""Cutting one speaker's audio into utterances by voice activity, so silence costs nothing.

Which 10 ms of audio hold a voice is decided by WebRTC's voice activity detector (a
small Gaussian-mixture model over six frequency bands, in C: about 4 µs per 10 ms
frame). pocketsphinx 5 ships that detector as ``pocketsphinx.Vad``, so the one
package the ``transcribe`` extra installs brings it along; ``webrtcvad-wheels``
packages the same detector separately and would only add a second native
dependency. An energy gate of our own was the fallback, but it lets every loud
non-speech sound (music, applause, a dropped microphone) through to the recognizer,
which then spends CPU on it and prints words nobody said.

:class:`SpeakerSegmenter` turns per-frame decisions into utterances with hysteresis:
speech begins after ``onset`` seconds of voiced frames (a click does not open an
utterance), the ``preroll`` before it is kept so that the first consonant is not
clipped, and the utterance ends once ``hangover`` seconds pass without a voiced frame
(a pause for breath does not split a sentence). Gaps between a speaker's frames are
silence (muted users send nothing), and room time moving on without them counts too.
Only finished utterances reach the recognizer; silent frames never do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import attrs

from ....errors import InvalidArgumentError
from .availability import import_pocketsphinx
from .convert import to_bytes, to_samples
from .models import Utterance

__all__ = [
    "DetectorFactory",
    "FrameVoicing",
    "SegmenterConfig",
    "SpeakerSegmenter",
    "VoiceDetector",
    "webrtc_detector",
]


class VoiceDetector(Protocol):
    """Decides whether one window of mono s16le audio (``frame_bytes`` long) holds a voice.

    ``pocketsphinx.Vad`` is one, as is any object with these two members.
    """

    @property
    def frame_bytes(self) -> int: ...

    def is_speech(self, frame: bytes) -> bool: ...


DetectorFactory = Callable[[int], VoiceDetector]
"""Makes a fresh detector for one speaker's audio at a sample rate (Hz)."""


def webrtc_detector(mode: int = 1) -> DetectorFactory:
    """WebRTC's detector from pocketsphinx, 10 ms windows; ``mode`` 0 (loose) .. 3 (strict).

    Raises :class:`~.errors.TranscriberUnavailable` when pocketsphinx is missing.
    """
    if mode not in (0, 1, 2, 3):
        raise InvalidArgumentError("vad_mode", "must be 0, 1, 2 or 3")
    vad_class = import_pocketsphinx().Vad

    def make(sample_rate: int) -> VoiceDetector:
        try:
            detector: VoiceDetector = vad_class(
                mode=mode, sample_rate=sample_rate, frame_length=0.01
            )
        except ValueError as exc:
            raise InvalidArgumentError(
                "frame", f"voice detection cannot take {sample_rate} Hz audio"
            ) from exc
        return detector

    return make


class FrameVoicing:
    """Runs a detector over frames of any length: one speaker, one sample rate.

    The detector wants fixed windows and the backend's frames need not match them, so
    samples carry over between frames; a frame counts as voiced when any window that
    ends inside it is, and inherits the last decision when none does.  Only the first
    channel is examined: every channel carries the same voice, and slicing one out
    costs nothing while averaging would cost a Python loop per sample.
    """

    def __init__(self, detector: VoiceDetector, channels: int) -> None:
        self._detector = detector
        self._channels = channels
        self._window = detector.frame_bytes
        self._carry = b""
        self._last = False

    def voiced(self, pcm: bytes) -> bool:
        mono = pcm if self._channels == 1 else to_bytes(to_samples(pcm)[:: self._channels])
        data = self._carry + mono if self._carry else mono
        usable = len(data) - len(data) % self._window
        if usable == 0:
            self._carry = data
            return self._last
        decision = False
        for offset in range(0, usable, self._window):
            if self._detector.is_speech(data[offset : offset + self._window]):
                decision = True
        self._carry = data[usable:]
        self._last = decision
        return decision


@attrs.frozen(kw_only=True)
class SegmenterConfig:
    """How speech is cut into utterances (all in seconds); see the module docstring.

    ``min_speech`` discards utterances with less voiced audio than that (a cough, a
    click); ``max_utterance`` cuts a monologue into pieces the recognizer handles
    one at a time; ``tail`` is the silence kept after the last voiced frame.
    """

    hangover: float = 0.6
    onset: float = 0.03
    preroll: float = 0.2
    tail: float = 0.15
    min_speech: float = 0.2
    max_utterance: float = 15.0

    def __attrs_post_init__(self) -> None:
        for name in ("hangover", "preroll", "tail", "max_utterance"):
            if not getattr(self, name) >= 0:
                raise InvalidArgumentError(name, "must be a non-negative number of seconds")
        if not 0 <= self.onset < self.max_utterance:
            raise InvalidArgumentError("onset", "must be >= 0 and below max_utterance")
        if not self.min_speech >= 0:
            raise InvalidArgumentError("min_speech", "must be a non-negative number of seconds")
        if self.max_utterance < 1:
            raise InvalidArgumentError("max_utterance", "must be at least one second")
        if self.tail > self.hangover:
            raise InvalidArgumentError("tail", "must not exceed hangover")


@attrs.define(kw_only=True)
class _Frame:
    start: float
    end: float
    pcm: bytes
    voiced: bool


class SpeakerSegmenter:
    """One speaker's utterances, from frames already marked voiced or not.

    ``push`` takes each frame in order; ``advance`` says that room time reached ``now``
    without a frame from this speaker; ``finish`` ends the open utterance at once
    (the speaker left, or the room did).  Each returns the utterances it completed.
    """

    def __init__(self, uid: int, sample_rate: int, channels: int, config: SegmenterConfig) -> None:
        self.uid = uid
        self.sample_rate = sample_rate
        self.channels = channels
        self.config = config
        self.discarded_blips = 0
        self.clock: float | None = None
        """Room time at the end of the last frame pushed."""
        self._frames: list[_Frame] = []
        self._open = False
        self._run_start: float | None = None
        self._speech_start = 0.0
        self._last_voiced_end = 0.0
        self._voiced_seconds = 0.0

    @property
    def speaking(self) -> bool:
        """Whether an utterance is open."""
        return self._open

    def push(self, start: float, pcm: bytes, voiced: bool) -> list[Utterance]:
        """Add one frame starting at room time ``start`` (seconds)."""
        done: list[Utterance] = []
        if self.clock is not None:
            if start > self.clock + 0.001:
                done += self.advance(start)
            start = max(start, self.clock)  # never step back in time: keep order
        end = start + len(pcm) / (2 * self.channels * self.sample_rate)
        frame = _Frame(start=start, end=end, pcm=pcm, voiced=voiced)
        self._frames.append(frame)
        self.clock = end
        config = self.config
        if voiced:
            if self._open:
                self._voiced_seconds += end - start
            else:
                if self._run_start is None:
                    self._run_start = start
                if end - self._run_start >= config.onset:
                    self._begin(self._run_start)
            self._last_voiced_end = end
        else:
            self._run_start = None
            if self._open and end - self._last_voiced_end >= config.hangover:
                done += self._cut()
        if self._open and end - self._frames[0].start >= config.max_utterance:
            done += self._cut()
        if not self._open:
            self._trim_preroll(end)
        return done

    def advance(self, now: float) -> list[Utterance]:
        """Room time is ``now`` and this speaker sent nothing since ``clock``: silence."""
        self._run_start = None
        done: list[Utterance] = []
        if self._open and now - self._last_voiced_end >= self.config.hangover:
            done += self._cut()
        if not self._open:
            self._trim_preroll(now)
        return done

    def finish(self) -> list[Utterance]:
        """End the open utterance now, whatever the silence so far."""
        self._run_start = None
        return self._cut() if self._open else []

    # -- internals ---------------------------------------------------------------------

    def _begin(self, speech_start: float) -> None:
        self._open = True
        self._speech_start = speech_start
        self._voiced_seconds = sum(
            frame.end - frame.start for frame in self._frames if frame.start >= speech_start
        )
        self._run_start = None

    def _trim_preroll(self, now: float) -> None:
        """Keep only the audio a coming onset could need: the pre-roll and the voiced run."""
        keep_from = now - self.config.preroll
        if self._run_start is not None:
            keep_from = min(keep_from, self._run_start - self.config.preroll)
        first = 0
        while first < len(self._frames) and self._frames[first].end <= keep_from:
            first += 1
        if first:
            del self._frames[:first]

    def _cut(self) -> list[Utterance]:
        """Close the open utterance; the audio after its tail stays as pre-roll."""
        self._open = False
        cut_at = self._last_voiced_end + self.config.tail
        frames = [frame for frame in self._frames if frame.start < cut_at]
        self._frames = [frame for frame in self._frames if frame.start >= cut_at]
        if not frames or self._voiced_seconds < self.config.min_speech:
            self.discarded_blips += 1
            return []
        return [
            Utterance(
                uid=self.uid,
                start=self._speech_start,
                end=self._last_voiced_end,
                audio_start=frames[0].start,
                pcm=self._join(frames),
                sample_rate=self.sample_rate,
                channels=self.channels,
            )
        ]

    def _join(self, frames: list[_Frame]) -> bytes:
        """The frames' audio back to back, with silence where frames were missing."""
        bytes_per_second = 2 * self.channels * self.sample_rate
        frame_bytes = 2 * self.channels
        parts: list[bytes] = []
        position = frames[0].start
        for frame in frames:
            gap = round((frame.start - position) * bytes_per_second / frame_bytes)
            if gap > 0:
                parts.append(bytes(gap * frame_bytes))
            parts.append(frame.pcm)
            position = frame.end
        return b"".join(parts)
