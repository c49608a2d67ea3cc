"""A recognizer that falls behind drops the oldest speech, counts it, says so, never stalls."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms.audio.speech import sentences
from aioclubhouse.rooms.audio.transcribe import SegmenterConfig, SpeechTranscriber

from .support import Placed, timeline

MAX_TICK_GAP = 0.2


class Ticker:
    """Measures the event loop's responsiveness: the longest gap between 10 ms ticks."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(0.01)
            now = loop.time()
            self.longest = max(self.longest, now - last)
            self.ticks += 1
            last = now

    def __enter__(self) -> Ticker:
        self._task = asyncio.create_task(self._run())
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def test_falling_behind_drops_counts_and_warns_without_stalling_the_loop(
    make_transcriber: Callable[..., SpeechTranscriber], caplog: pytest.LogCaptureFixture
) -> None:
    # Every sentence twice, by nine speakers at once: ~40 s of speech in ~5 s of room time.
    placed = [
        Placed(uid=uid, sentence=sentence, at=0.1 + 2.6 * round_)
        for round_ in range(2)
        for uid, sentence in enumerate(sentences(), start=1)
    ]
    frames = timeline(placed, silent_frames=False)
    transcriber = make_transcriber(
        segmenter=SegmenterConfig(max_utterance=3.0), max_backlog=3.0, idle_timeout=None
    )
    await transcriber.start()
    caplog.set_level(logging.WARNING, logger="aioclubhouse.rooms.audio.transcribe")
    with Ticker() as ticker:
        for index, frame in enumerate(frames):  # far faster than real time
            transcriber.feed(frame)
            if index % 100 == 0:
                await asyncio.sleep(0)
        await transcriber.close()  # waits while the backlog left is recognised
    stats = transcriber.stats
    segments = [segment async for segment in transcriber.segments()]
    print(f"longest tick gap {ticker.longest * 1000:.0f} ms over {ticker.ticks} ticks; {stats}")

    assert ticker.ticks > 10
    assert ticker.longest < MAX_TICK_GAP, f"the loop stalled for {ticker.longest:.3f} s"
    assert stats.utterances == len(placed)
    assert stats.dropped_utterances > 0 and stats.dropped_seconds > 0
    assert stats.segments + stats.dropped_utterances == stats.utterances == len(placed)
    assert len(segments) == stats.segments
    assert stats.dropped_seconds + stats.recognized_seconds == pytest.approx(stats.speech_seconds)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == stats.dropped_utterances
    assert all("dropped" in message and "behind" in message for message in warnings)
    assert stats.pending_seconds == 0


async def test_a_segment_never_waits_behind_more_than_the_backlog(
    make_transcriber: Callable[..., SpeechTranscriber],
) -> None:
    """While feeding, what waits for the recognizer stays within ``max_backlog``."""
    placed = [
        Placed(uid=uid, sentence=sentence, at=0.1)
        for uid, sentence in enumerate(sentences(), start=1)
    ]
    transcriber = make_transcriber(
        segmenter=SegmenterConfig(max_utterance=3.0), max_backlog=4.0, idle_timeout=None
    )
    await transcriber.start()
    for frame in timeline(placed, silent_frames=False):
        transcriber.feed(frame)
        assert transcriber.stats.pending_seconds <= 4.0 + 3.0  # the backlog + one in flight
    await transcriber.close()


def test_the_backlog_must_hold_one_utterance(sphinx: None) -> None:
    from aioclubhouse.rooms.audio.transcribe import pocketsphinx_transcriber

    with pytest.raises(InvalidArgumentError, match="max_backlog"):
        pocketsphinx_transcriber(max_backlog=5.0, max_utterance=10.0)
    with pytest.raises(InvalidArgumentError, match="idle_timeout"):
        pocketsphinx_transcriber(idle_timeout=0)
