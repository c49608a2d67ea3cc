"""The errors the audio layer raises, all under ``ClubhouseError``."""

from __future__ import annotations

from ...errors import ClubhouseError

__all__ = [
    "AudioBackendUnavailable",
    "AudioConnectionError",
    "AudioError",
    "AudioPermissionError",
    "AudioStateError",
]


class AudioError(ClubhouseError):
    """Root of every audio-layer failure."""


class AudioBackendUnavailable(AudioError):
    """The requested backend cannot be loaded here (package or native library missing)."""


class AudioStateError(AudioError):
    """The call does not fit the backend's state (e.g. muting before connecting)."""


class AudioPermissionError(AudioError):
    """The local role does not allow this, e.g. a listener trying to unmute."""


class AudioConnectionError(AudioError):
    """Joining the audio channel failed (rejected token, timeout, native error code)."""
