"""The engine's lifecycle and resilience: start before feeding, a worker that dies."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

import pytest

from aioclubhouse.rooms.audio.speech import voices
from aioclubhouse.rooms.audio.transcribe import (
    SpeechTranscriber,
    SphinxRecognizer,
    TranscriptionError,
)

from .support import Placed, timeline, word_error_rate

Make = Callable[..., SpeechTranscriber]


async def test_feeding_before_start_is_refused_and_after_close_ignored(
    make_transcriber: Make,
) -> None:
    transcriber = make_transcriber()
    frame = timeline([Placed(uid=1, sentence=voices()["ada"][0], at=0.0)])[0]
    with pytest.raises(TranscriptionError, match="start"):
        transcriber.feed(frame)
    await transcriber.start()
    await transcriber.start()  # idempotent
    await transcriber.close()
    transcriber.feed(frame)  # a late frame from the backend: ignored
    await transcriber.close()  # idempotent
    assert transcriber.stats.utterances == 0
    with pytest.raises(TranscriptionError, match="closed"):
        await transcriber.start()


async def test_a_worker_that_dies_is_replaced_and_nothing_hangs(make_transcriber: Make) -> None:
    ada, ben, cleo = voices().values()
    transcriber = make_transcriber(idle_timeout=None)
    await transcriber.start()
    recognizer = transcriber.recognizer
    assert isinstance(recognizer, SphinxRecognizer) and recognizer.pid is not None
    os.kill(recognizer.pid, signal.SIGKILL)

    placed = [
        Placed(uid=1, sentence=ada[0], at=0.2),
        Placed(uid=2, sentence=ben[0], at=3.0),
        Placed(uid=3, sentence=cleo[0], at=6.0),
    ]
    for frame in timeline(placed):
        transcriber.feed(frame)
    await transcriber.flush()  # returns: the death of the worker does not wedge it
    stats = transcriber.stats
    assert stats.utterances == 3
    assert stats.segments + stats.dropped_utterances == 3
    assert stats.segments >= 2  # at most the utterance it died on is lost
    assert recognizer.starts == 2
    segments = []
    while stats.segments > len(segments):
        segments.append(await anext(transcriber.segments()))
    last = segments[-1]
    assert last.uid == 3 and word_error_rate(cleo[0].text, last.text) <= 0.4
