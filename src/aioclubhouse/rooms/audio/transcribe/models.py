"""What transcription produces and passes around: utterances, recognitions, segments.

An :class:`Utterance` is one speaker's stretch of speech cut out by voice activity
detection, in the format the backend delivered it; the recognizer turns it into a
:class:`Recognition`; the two together make the :class:`Segment` a caller sees.
Times are seconds of *room time*: the backend's frame timestamps, divided by 1000.
"""

from __future__ import annotations

import attrs

__all__ = ["Recognition", "Segment", "TranscriberStats", "Utterance", "Word"]


@attrs.frozen(kw_only=True)
class Word:
    """One recognised word and where it lies, in seconds from the utterance's first sample."""

    text: str
    start: float
    end: float
    confidence: float


@attrs.frozen(kw_only=True)
class Recognition:
    """What the recognizer heard in one utterance.

    ``confidence`` is the mean posterior probability of the words (0 when there are
    none); ``cpu_seconds`` is what recognising it cost the worker.
    """

    text: str
    confidence: float
    words: tuple[Word, ...] = ()
    cpu_seconds: float = 0.0


@attrs.frozen(kw_only=True)
class Utterance:
    """One speaker's speech between two silences, ready for the recognizer.

    ``audio_start`` is the room time of the first sample of ``pcm`` (which starts a
    little before the speech, so that its onset is not clipped); ``start`` / ``end``
    are where the voice activity detector heard speech begin and end.
    """

    uid: int
    start: float
    end: float
    audio_start: float
    pcm: bytes = attrs.field(repr=lambda pcm: f"<{len(pcm)} bytes>")
    sample_rate: int
    channels: int

    @property
    def seconds(self) -> float:
        """How much audio the recognizer will have to process."""
        return len(self.pcm) / (2 * self.channels * self.sample_rate)

    @property
    def audio_end(self) -> float:
        return self.audio_start + self.seconds


@attrs.frozen(kw_only=True)
class Segment:
    """Who said what, and when: one finished stretch of one speaker's speech.

    ``start`` and ``end`` are room time in seconds (where the words lie when the
    recognizer placed them, else where voice activity was heard); ``confidence`` is
    in 0..1.
    """

    uid: int
    start: float
    end: float
    text: str
    confidence: float
    words: tuple[Word, ...] = attrs.field(default=(), repr=False, eq=False)

    @property
    def duration(self) -> float:
        return self.end - self.start


@attrs.frozen(kw_only=True)
class TranscriberStats:
    """A snapshot of how a transcriber is coping.

    ``speech_seconds`` counts the audio handed to the recognizer, ``dropped_seconds``
    the speech thrown away because the recognizer fell behind (with
    ``dropped_utterances``), ``pending_seconds`` what waits for it now.
    ``cpu_seconds / recognized_seconds`` is the real-time factor: below 1 the
    recognizer keeps up with one speaker, below 1/n with n speaking at once.
    """

    utterances: int
    segments: int
    speech_seconds: float
    recognized_seconds: float
    cpu_seconds: float
    dropped_seconds: float
    dropped_utterances: int
    pending_seconds: float
    discarded_blips: int

    @property
    def real_time_factor(self) -> float | None:
        """Recognizer CPU seconds per second of speech, once something was recognised."""
        if self.recognized_seconds <= 0:
            return None
        return self.cpu_seconds / self.recognized_seconds
