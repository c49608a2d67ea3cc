"""Joining a room: options checked, ``join_channel`` called, the live :class:`Room` started.

The one entry point for a room (``session.join_room(...)`` calls it too).  Nothing is
sent before the options are checked, and once ``join_channel`` has succeeded any
failure leaves the room again before it is raised, so a program is never left in a
room it has no :class:`Room` for.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Unpack

from ..errors import ClubhouseError, InvalidArgumentError
from ..redaction import get_logger
from .audio.backend import AudioBackend
from .audio.transcribe import Transcriber
from .options import RoomOptionFields, RoomOptions, room_options
from .ownership import SessionRealtime
from .realtime import timetoken_now
from .realtime_events import LeaveReason
from .room import Room

if TYPE_CHECKING:
    from ..api import ClubhouseAPI

__all__ = ["join_room"]

log = get_logger("aioclubhouse.rooms")


async def join_room(
    session: ClubhouseAPI,
    channel: str,
    options: RoomOptions | None = None,
    *,
    audio: AudioBackend | None = None,
    transcriber: Transcriber | None = None,
    attribution_source: str | None = None,
    attribution_details: str | None = None,
    **option_fields: Unpack[RoomOptionFields],
) -> Room:
    """Join ``channel`` and return the live :class:`Room` once its realtime link is up.

    The room's options are a :class:`~aioclubhouse.rooms.options.RoomOptions`
    (``options=``), its fields as keywords (``ping_interval=20``), or both (the
    keywords win).  They are checked before anything is sent: a refused one raises
    :class:`~aioclubhouse.errors.InvalidArgumentError` naming it.
    ``attribution_source`` and ``attribution_details`` go to ``join_channel`` (None:
    its defaults).  Whatever fails after the join leaves the room again before
    raising.

    Delivery starts from the moment the join request was sent (by the local clock,
    when it is within a few seconds of PubNub's), so nothing published while joining
    is missed; the first events may therefore include your own ``UserJoined``.
    ``start_at`` (an option) starts it from an earlier timetoken instead, e.g. to
    resume where an earlier listener of the room stopped.  If
    the realtime link is not up after ``connect_timeout`` seconds the room is
    returned anyway and keeps connecting (you will see ``Connected`` when it does);
    if the realtime service refuses the room's token, the room is left and
    :class:`~aioclubhouse.errors.RealtimeError` raised.

    ``audio`` is an unconnected :class:`~aioclubhouse.rooms.audio.AudioBackend`; the
    room owns it from then on.  It is connected once the realtime link is up, with
    the join's RTC token, the room as channel, your user id as uid, and the speaker
    role if you are on stage (listener otherwise); ``room.audio`` is that backend.
    If it cannot connect (``AudioConnectionError``, ``AudioBackendUnavailable``,
    a refused argument, or no answer within ``audio_timeout`` seconds) the room is
    left cleanly and the error raised: asking for audio and silently getting none
    would hide the failure, and joining again without ``audio`` is one call.
    Later audio failures (renewing, switching role, muting, disconnecting) are
    logged and never end the room.

    ``transcriber`` (with ``audio``; e.g. ``pocketsphinx_transcriber()``, not yet
    started) makes the room's live transcript: the room starts it once the audio is
    connected, reads the backend's frames into it, and delivers each finished segment
    as a :class:`~aioclubhouse.rooms.SpeechTranscribed` event; the frames go on to
    ``room.audio_frames()`` for the program, instead of ``room.audio.frames()``.  The
    room owns it and closes it when leaving (see :mod:`aioclubhouse.rooms.room_transcript`).
    If it cannot start, the room is left and the error raised, as for audio.

    The room does not act on the backend's ``TokenWillExpire``: it never reads
    ``room.audio.events()`` (a single stream, which is yours), and no client of the
    service renewed expiring tokens, so a fresh one means a second ``join_channel``
    whose effect on the real service is not known.  If you want to try it:
    ``await room.audio.renew_token((await session.join_channel(room.channel)).token)``.
    """
    if session.user_id is None:
        raise InvalidArgumentError("session", "is not logged in (no user_id)")
    settings = room_options(options, option_fields)
    if transcriber is not None and not isinstance(transcriber, Transcriber):
        raise InvalidArgumentError("transcriber", "must be a Transcriber or None")
    if transcriber is not None and audio is None:
        raise InvalidArgumentError("transcriber", "needs audio= (it transcribes the room's audio)")
    SessionRealtime.of(session).check_open()
    join_keywords = {
        name: value
        for name, value in (
            ("attribution_source", attribution_source),
            ("attribution_details", attribution_details),
        )
        if value is not None
    }
    start_at = settings.start_at if settings.start_at is not None else timetoken_now()
    joined = await session.join_channel(channel, **join_keywords)
    try:
        room = Room(session, joined, settings, audio=audio, transcriber=transcriber)
    except BaseException:
        await asyncio.shield(_leave_after_failed_join(session, joined.channel))
        raise
    try:
        await room._start(start_at=start_at)
        await room._connect_audio()
    except BaseException:
        await asyncio.shield(room._begin_leave(LeaveReason.USER))
        raise
    return room


async def _leave_after_failed_join(session: ClubhouseAPI, channel: str) -> None:
    """Undo a join whose Room could not be built: the service must not keep you there."""
    if session.closed:
        return
    try:
        await session.leave_channel(channel)
    except ClubhouseError as exc:
        log.debug("room %s: leave_channel failed (%s)", channel, type(exc).__name__)
