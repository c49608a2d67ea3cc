"""The errors transcription raises, under the audio layer's ``AudioError``."""

from __future__ import annotations

from ..errors import AudioError

__all__ = ["TranscriberUnavailable", "TranscriptionError"]


class TranscriberUnavailable(AudioError):
    """Transcription cannot run here: pocketsphinx (the ``transcribe`` extra) is missing."""


class TranscriptionError(AudioError):
    """The recognizer failed: its worker did not start, died, or rejected an utterance."""
