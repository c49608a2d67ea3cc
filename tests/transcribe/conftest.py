"""Transcription tests: the pocketsphinx ones need the transcribe extra (in the dev extra)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from aioclubhouse.rooms.audio.transcribe import SpeechTranscriber


@pytest.fixture
def sphinx() -> None:
    pytest.importorskip("pocketsphinx", reason="needs aioclubhouse[transcribe]")


@pytest.fixture
async def make_transcriber(
    sphinx: None,
) -> AsyncIterator[Callable[..., SpeechTranscriber]]:
    """Started pocketsphinx transcribers, closed after the test."""
    from aioclubhouse.rooms.audio.transcribe import pocketsphinx_transcriber

    made: list[SpeechTranscriber] = []

    def make(**options: object) -> SpeechTranscriber:
        transcriber = pocketsphinx_transcriber(**options)  # type: ignore[arg-type]
        made.append(transcriber)
        return transcriber

    yield make
    for transcriber in made:
        await transcriber.close()
