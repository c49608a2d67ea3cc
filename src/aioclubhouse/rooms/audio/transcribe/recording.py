"""A recording's transcript: what ``record(..., transcript=True)`` runs beside the WAVs.

The recording loop hands every frame to :meth:`TranscriptSession.feed` as it writes
it; a task collects the segments as they are recognised; when the recording ends,
:meth:`TranscriptSession.finish` finalises whatever was still being said, waits for
the last recognitions and writes the three transcript files.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping

from ..backend import PcmFrame
from .engine import Transcriber
from .models import Segment
from .sphinx import pocketsphinx_transcriber
from .writers import TranscriptFiles, write_transcript

__all__ = ["TranscriptSession"]


class TranscriptSession:
    """One transcriber for one recording; it is closed when the recording ends."""

    def __init__(self, transcriber: Transcriber) -> None:
        self.transcriber = transcriber
        self.segments: list[Segment] = []
        self._collector: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, transcriber: Transcriber | None = None) -> TranscriptSession:
        """Start ``transcriber`` (by default a new pocketsphinx one) and collect its segments."""
        session = cls(transcriber if transcriber is not None else pocketsphinx_transcriber())
        await session.transcriber.start()
        session._collector = asyncio.create_task(session._collect(), name="transcript-collector")
        return session

    def feed(self, frame: PcmFrame) -> None:
        self.transcriber.feed(frame)

    async def finish(
        self,
        directory: str | os.PathLike[str],
        *,
        names: Mapping[int, str] | None = None,
        origin: float = 0.0,
    ) -> TranscriptFiles:
        """Close the transcriber, wait for its last segments, write the files."""
        await self.transcriber.close()
        if self._collector is not None:
            await self._collector
        return write_transcript(directory, self.segments, names, origin=origin)

    async def _collect(self) -> None:
        async for segment in self.transcriber.segments():
            self.segments.append(segment)
