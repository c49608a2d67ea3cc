"""The transcription engine: PCM per speaker in, who-said-what segments out.

:class:`SpeechTranscriber` is fed the backend's :class:`PcmFrame` values on the event
loop (``feed`` never blocks and never awaits), cuts each speaker's audio into
utterances by voice activity (:mod:`.segmenter`), and hands finished utterances, one
at a time, to a :class:`Recognizer` that works elsewhere (pocketsphinx in a child
process).  What the recognizer heard comes back as :class:`Segment` values from
:meth:`SpeechTranscriber.segments`.

Utterances waiting for the recognizer are bounded in seconds of audio
(``max_backlog``): when speech arrives faster than the recognizer can keep up, the
oldest waiting utterances are dropped whole, counted in
:attr:`TranscriberStats.dropped_seconds` and logged as a warning, so memory and the
delay of what is shown stay bounded and the loop is never held up.

A speaker's open utterance ends after ``hangover`` seconds without voice, measured in
room time (the frame timestamps: theirs, or any other speaker's showing that time
moved on), or after ``idle_timeout`` seconds of wall-clock time without a frame from
them (a muted speaker sends nothing); on :meth:`~SpeechTranscriber.end_speaker`;
and, for everyone, on :meth:`~SpeechTranscriber.flush` and
:meth:`~SpeechTranscriber.close`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Protocol, runtime_checkable

from ....errors import InvalidArgumentError
from ....redaction import get_logger
from ..backend import PcmFrame
from ..streams import DropOldestQueue
from .errors import TranscriptionError
from .models import Recognition, Segment, TranscriberStats, Utterance
from .segmenter import DetectorFactory, FrameVoicing, SegmenterConfig, SpeakerSegmenter

__all__ = ["DEFAULT_MAX_BACKLOG", "Recognizer", "SpeechTranscriber", "Transcriber"]

log = get_logger("aioclubhouse.rooms.audio.transcribe")

DEFAULT_MAX_BACKLOG = 60.0
"""Seconds of speech that may wait for the recognizer before the oldest is dropped."""

DEFAULT_SEGMENT_QUEUE = 1000


@runtime_checkable
class Transcriber(Protocol):
    """Turns per-speaker PCM into :class:`Segment` values (see :class:`SpeechTranscriber`).

    ``start`` before feeding; ``feed`` each frame as the backend delivers it;
    ``end_speaker`` when a speaker leaves; ``flush`` finalises every open utterance
    and waits until all are recognised; ``close`` does that, then stops, after which
    ``segments()`` ends.
    """

    async def start(self) -> None: ...

    def feed(self, frame: PcmFrame) -> None: ...

    def end_speaker(self, uid: int) -> None: ...

    async def flush(self) -> None: ...

    async def close(self) -> None: ...

    def segments(self) -> AsyncIterator[Segment]: ...

    @property
    def stats(self) -> TranscriberStats: ...


class Recognizer(Protocol):
    """Speech to text for one utterance at a time, working off the event loop."""

    async def start(self) -> None: ...

    async def recognize(self, utterance: Utterance) -> Recognition: ...

    async def close(self) -> None: ...


class _Speaker:
    """One uid's format, voice detection and segmentation."""

    def __init__(
        self, uid: int, frame: PcmFrame, detector: DetectorFactory, config: SegmenterConfig
    ) -> None:
        self.format = (frame.sample_rate, frame.channels)
        self.voicing = FrameVoicing(detector(frame.sample_rate), frame.channels)
        self.segmenter = SpeakerSegmenter(uid, frame.sample_rate, frame.channels, config)
        self.last_frame_at = 0.0  # loop time


class SpeechTranscriber:
    """The :class:`Transcriber` of the SDK; see the module docstring.

    Usually made by :func:`~aioclubhouse.rooms.audio.transcribe.pocketsphinx_transcriber`.
    Use as ``async with`` (start, then close) or call :meth:`start` and :meth:`close`.
    """

    def __init__(
        self,
        recognizer: Recognizer,
        *,
        detector: DetectorFactory,
        segmenter: SegmenterConfig | None = None,
        max_backlog: float = DEFAULT_MAX_BACKLOG,
        idle_timeout: float | None = 1.5,
        segment_queue: int = DEFAULT_SEGMENT_QUEUE,
    ) -> None:
        self.config = segmenter or SegmenterConfig()
        if not max_backlog >= self.config.max_utterance:
            raise InvalidArgumentError(
                "max_backlog", "must hold at least one utterance (>= max_utterance)"
            )
        if idle_timeout is not None and not idle_timeout > 0:
            raise InvalidArgumentError("idle_timeout", "must be positive seconds, or None")
        self.recognizer = recognizer
        self._detector = detector
        self._max_backlog = max_backlog
        self._idle_timeout = idle_timeout
        self._speakers: dict[int, _Speaker] = {}
        self._pending: deque[Utterance] = deque()
        self._pending_seconds = 0.0
        self._in_flight: Utterance | None = None
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._out: DropOldestQueue[Segment] = DropOldestQueue(segment_queue)
        self._room_clock = 0.0
        self._tasks: list[asyncio.Task[None]] = []
        self._started = False
        self._closing = False
        self._closed = False
        self._utterances = 0
        self._segments = 0
        self._speech_seconds = 0.0
        self._recognized_seconds = 0.0
        self._cpu_seconds = 0.0
        self._dropped_seconds = 0.0
        self._dropped_utterances = 0
        self._blips_of_gone_speakers = 0

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Start the recognizer and the tasks feeding it; idempotent."""
        if self._closing:
            raise TranscriptionError("the transcriber is closed")
        if self._started:
            return
        self._started = True
        await self.recognizer.start()
        self._tasks.append(asyncio.create_task(self._recognize_pending(), name="transcriber"))
        if self._idle_timeout is not None:
            self._tasks.append(asyncio.create_task(self._watch_idle(), name="transcriber-idle"))

    async def flush(self) -> None:
        """Finalise every open utterance and wait until all waiting ones are recognised."""
        for uid in list(self._speakers):
            self._submit(self._speakers[uid].segmenter.finish())
        if self._started and not self._closed:
            await self._idle.wait()

    async def close(self) -> None:
        """Flush, stop the recognizer; ``segments()`` ends after the last segment."""
        if self._closing:
            return
        self._closing = True
        try:
            await self.flush()
        finally:
            self._closed = True
            for task in self._tasks:
                task.cancel()
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            self._tasks.clear()
            while self._pending:  # only when flushing was interrupted
                self._drop(self._pending.popleft(), "the transcriber closed first")
            self._pending_seconds = 0.0
            self._idle.set()
            await self.recognizer.close()
            self._out.close()

    async def __aenter__(self) -> SpeechTranscriber:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # -- input ---------------------------------------------------------------------------

    def feed(self, frame: PcmFrame) -> None:
        """Take one frame of one speaker; never blocks.  Ignored once closing."""
        if self._closing:
            return
        if not self._started:
            raise TranscriptionError("start the transcriber before feeding it")
        if frame.sample_width != 2 or frame.channels < 1 or frame.sample_rate <= 0:
            raise InvalidArgumentError("frame", "must be 16-bit PCM with a positive rate")
        speaker = self._speakers.get(frame.uid)
        if speaker is not None and speaker.format != (frame.sample_rate, frame.channels):
            self._submit(speaker.segmenter.finish())  # the format changed: start afresh
            self._blips_of_gone_speakers += speaker.segmenter.discarded_blips
            speaker = None
        if speaker is None:
            speaker = self._speakers[frame.uid] = _Speaker(
                frame.uid, frame, self._detector, self.config
            )
        segmenter = speaker.segmenter
        if frame.timestamp_ms is not None:
            start = frame.timestamp_ms / 1000
        else:
            start = segmenter.clock if segmenter.clock is not None else self._room_clock
        voiced = speaker.voicing.voiced(frame.pcm)
        self._submit(segmenter.push(start, frame.pcm, voiced))
        speaker.last_frame_at = asyncio.get_running_loop().time()
        if segmenter.clock is not None and segmenter.clock > self._room_clock:
            self._room_clock = segmenter.clock
            for other in self._speakers.values():
                if other is not speaker and other.segmenter.speaking:
                    self._submit(other.segmenter.advance(self._room_clock))

    def end_speaker(self, uid: int) -> None:
        """``uid`` stopped sending audio (left, muted): finalise what they were saying."""
        speaker = self._speakers.pop(uid, None)
        if speaker is not None:
            self._submit(speaker.segmenter.finish())
            self._blips_of_gone_speakers += speaker.segmenter.discarded_blips

    # -- output --------------------------------------------------------------------------

    def segments(self) -> AsyncIterator[Segment]:
        """Finished segments in the order they were recognised (one consumer)."""
        return aiter(self._out)

    @property
    def dropped_segments(self) -> int:
        """Segments lost because nobody read ``segments()`` fast enough."""
        return self._out.dropped

    @property
    def stats(self) -> TranscriberStats:
        in_flight = self._in_flight.seconds if self._in_flight is not None else 0.0
        return TranscriberStats(
            utterances=self._utterances,
            segments=self._segments,
            speech_seconds=self._speech_seconds,
            recognized_seconds=self._recognized_seconds,
            cpu_seconds=self._cpu_seconds,
            dropped_seconds=self._dropped_seconds,
            dropped_utterances=self._dropped_utterances,
            pending_seconds=self._pending_seconds + in_flight,
            discarded_blips=self._blips_of_gone_speakers
            + sum(s.segmenter.discarded_blips for s in self._speakers.values()),
        )

    # -- internals -----------------------------------------------------------------------

    def _submit(self, utterances: list[Utterance]) -> None:
        """Queue finished utterances, making room by dropping the oldest waiting ones."""
        for utterance in utterances:
            self._utterances += 1
            self._speech_seconds += utterance.seconds
            while self._pending and self._pending_seconds + utterance.seconds > self._max_backlog:
                dropped = self._pending.popleft()
                self._pending_seconds -= dropped.seconds
                self._drop(dropped, "the recognizer is behind")
            self._pending.append(utterance)
            self._pending_seconds += utterance.seconds
            self._idle.clear()
            self._wake.set()

    def _drop(self, utterance: Utterance, why: str) -> None:
        self._dropped_seconds += utterance.seconds
        self._dropped_utterances += 1
        log.warning(
            "transcription dropped %.1f s of speech by uid %d (%s); %.1f s dropped so far",
            utterance.seconds,
            utterance.uid,
            why,
            self._dropped_seconds,
        )

    async def _recognize_pending(self) -> None:
        """One utterance at a time, oldest first, to the recognizer and out as a segment."""
        while True:
            if not self._pending:
                self._idle.set()
                self._wake.clear()
                await self._wake.wait()
                continue
            utterance = self._pending.popleft()
            self._pending_seconds -= utterance.seconds
            self._in_flight = utterance
            try:
                recognition = await self.recognizer.recognize(utterance)
            except Exception as exc:  # a failed utterance must not stop the others
                self._drop(utterance, f"recognition failed: {exc}")
                continue
            finally:
                self._in_flight = None
            self._recognized_seconds += utterance.seconds
            self._cpu_seconds += recognition.cpu_seconds
            segment = to_segment(utterance, recognition)
            if segment is not None:
                self._segments += 1
                self._out.put(segment)

    async def _watch_idle(self) -> None:
        """End the utterances of speakers whose frames stopped coming (wall clock)."""
        assert self._idle_timeout is not None
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self._idle_timeout / 2)
            now = loop.time()
            for speaker in self._speakers.values():
                segmenter = speaker.segmenter
                if segmenter.speaking and now - speaker.last_frame_at >= self._idle_timeout:
                    self._submit(segmenter.finish())


def to_segment(utterance: Utterance, recognition: Recognition) -> Segment | None:
    """The segment of a recognised utterance (None when nothing was recognised).

    Times come from the recognizer's word alignment when it gives one (tighter than
    voice activity), kept within the utterance's audio.
    """
    text = " ".join(recognition.text.split())
    if not text:
        return None
    start, end = utterance.start, utterance.end
    if recognition.words:
        low, high = utterance.audio_start, utterance.audio_end
        start = min(max(low, utterance.audio_start + recognition.words[0].start), high)
        end = min(max(start, utterance.audio_start + recognition.words[-1].end), high)
    return Segment(
        uid=utterance.uid,
        start=start,
        end=end,
        text=text,
        confidence=max(0.0, min(1.0, recognition.confidence)),
        words=recognition.words,
    )
