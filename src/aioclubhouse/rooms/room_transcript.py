"""A room's live transcript: the audio backend's frames to a transcriber, its segments out
as :class:`~aioclubhouse.rooms.realtime_events.SpeechTranscribed` events.

A room joined with ``audio=`` and ``transcriber=`` reads the backend's ``frames()``
itself (a backend has one frame stream, and the transcript must not depend on the
program reading it), hands each frame to the transcriber, and passes it on to
``room.audio_frames()``, a bounded queue that drops its oldest frames when the program
does not read it.  ``feed`` never blocks: voice activity is cut on the loop and
recognition runs in the transcriber's worker, and a transcriber that falls behind drops
the oldest speech and counts it (``room.transcriber.stats``), so event delivery never
waits for it.

Each finished segment becomes one event: the speaker's Agora uid is their user id (the
room joins Agora with user ids as uids), and their name is the live roster's at that
moment.  Leaving stops the frames, then closes the transcriber, which finalises what
was still being said; the last segments are published before the room's ``Left``,
unless finishing takes longer than ``transcribe_timeout`` (then what is left unsaid is
dropped, and a warning says so).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence

from ..redaction import get_logger
from .audio.backend import AudioBackend, PcmFrame
from .audio.streams import DEFAULT_FRAME_QUEUE
from .audio.transcribe import Segment, Transcriber
from .queues import DropOldestQueue
from .realtime import timetoken_now
from .realtime_events import RoomEvent, SpeechTranscribed
from .state import RoomState

__all__ = ["RoomTranscript"]

log = get_logger("aioclubhouse.rooms")


class RoomTranscript:
    """Feeds one room's audio to one transcriber and publishes what it recognises."""

    def __init__(
        self,
        backend: AudioBackend,
        transcriber: Transcriber,
        *,
        state: RoomState,
        publish: Callable[[Sequence[RoomEvent]], None],
        timeout: float,
        name: str,
    ) -> None:
        self.backend = backend
        self.transcriber = transcriber
        self._state = state
        self._publish = publish
        self._timeout = timeout
        self._name = name
        self._frames: DropOldestQueue[PcmFrame] = DropOldestQueue(DEFAULT_FRAME_QUEUE)
        self._feeder: asyncio.Task[None] | None = None
        self._collector: asyncio.Task[None] | None = None
        self._feed_errors = 0
        self._finished = False

    async def start(self) -> None:
        """Start the transcriber; frames are read from now on."""
        await self.transcriber.start()
        self._collector = asyncio.create_task(self._collect(), name=f"{self._name} transcript")
        self._feeder = asyncio.create_task(self._feed(), name=f"{self._name} transcriber feed")

    def frames(self) -> AsyncIterator[PcmFrame]:
        """The frames the room read, for the program (one consumer)."""
        return aiter(self._frames)

    @property
    def dropped_frames(self) -> int:
        """Frames ``frames()`` dropped because the program did not read them in time."""
        return self._frames.dropped

    async def stop_reading(self) -> None:
        """Read no more frames (the room is being left); idempotent."""
        if self._feeder is not None:
            self._feeder.cancel()
            await asyncio.gather(self._feeder, return_exceptions=True)
        self._frames.close()

    async def finish(self) -> None:
        """Stop reading frames, finalise the open segments, publish the last events.

        Part of every leave: bounded by the timeout, it logs and never raises.
        """
        if self._finished:
            return
        self._finished = True
        await self.stop_reading()
        try:
            async with asyncio.timeout(self._timeout):
                await self.transcriber.close()
                if self._collector is not None:
                    await asyncio.shield(self._collector)
        except TimeoutError:
            log.warning(
                "%s: the transcript was not finished within %.0f s; the rest is dropped",
                self._name,
                self._timeout,
            )
        except Exception as exc:
            log.warning(
                "%s: closing the transcriber failed (%s: %s)", self._name, type(exc).__name__, exc
            )
        if self._collector is not None and not self._collector.done():
            self._collector.cancel()
        if self._collector is not None:
            await asyncio.gather(self._collector, return_exceptions=True)

    # -- the two tasks -------------------------------------------------------------------

    async def _feed(self) -> None:
        try:
            await self._feed_frames()
        except Exception as exc:  # the backend's stream failed: the room goes on without it
            log.warning("%s: audio frames stopped (%s: %s)", self._name, type(exc).__name__, exc)

    async def _feed_frames(self) -> None:
        async for frame in self.backend.frames():
            try:
                self.transcriber.feed(frame)
            except Exception as exc:  # one bad frame must not end the transcript
                self._feed_errors += 1
                if self._feed_errors == 1 or self._feed_errors % 1000 == 0:
                    log.warning(
                        "%s: the transcriber refused a frame of uid %d (%s: %s); %d so far",
                        self._name,
                        frame.uid,
                        type(exc).__name__,
                        exc,
                        self._feed_errors,
                    )
            self._frames.put(frame)

    async def _collect(self) -> None:
        async for segment in self.transcriber.segments():
            self._publish([self.event(segment)])

    def event(self, segment: Segment) -> SpeechTranscribed:
        """The event of one segment, its speaker named from the live roster (times to the
        millisecond, as the transcript files have them)."""
        user = self._state.user(segment.uid)
        return SpeechTranscribed(
            channel=self._state.channel,
            timetoken=timetoken_now(),
            user_id=segment.uid,
            name=user.name if user is not None else None,
            start=round(segment.start, 3),
            end=round(segment.end, 3),
            text=segment.text,
            confidence=round(segment.confidence, 4),
        )
