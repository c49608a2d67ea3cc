"""The audio a command joins a room with: which backend, and the live transcriber.

``record`` and ``listen --transcribe`` share them.  ``fake`` under ``--emulator``
follows the emulator's speaking schedule, its speakers saying short sentences (so
there is something to transcribe); elsewhere it plays whoever is on stage, as tones.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..rooms import Room
from ..rooms.audio import (
    AudioBackend,
    AudioBackendUnavailable,
    Transcriber,
    TranscriberUnavailable,
    load_backend,
    pocketsphinx_transcriber,
)
from .failures import CliError
from .runtime import Runtime

__all__ = ["audio_backend", "live_transcriber"]


def audio_backend(runtime: Runtime, name: str, channel: str, on_stage: list[Room]) -> AudioBackend:
    """The backend ``name`` (a one-line error when it is not installed); ``on_stage`` is
    filled with the room once joined, for the fake backend's speakers."""
    if name != "fake":
        try:
            return load_backend(name)
        except AudioBackendUnavailable as error:
            raise CliError(f"the {name} audio backend is not available: {error.message}") from None
    if runtime.embedded is not None:
        world = runtime.embedded.emulator.world
        return load_backend(
            "fake",
            realtime=True,
            speakers=lambda _t: world.speaking(channel, world.now()),
            speech=True,
        )

    def speaking(_t: float) -> Iterable[int]:
        return [user.user_id for room in on_stage for user in room.speakers]

    return load_backend("fake", realtime=True, speakers=speaking)


def live_transcriber() -> Transcriber:
    """A pocketsphinx transcriber, or a one-line error naming the ``transcribe`` extra."""
    try:
        return pocketsphinx_transcriber()
    except TranscriberUnavailable as error:
        raise CliError(f"--transcribe is not available: {error}") from None
