"""A joined room: realtime events, live state, keepalive, and the actions you can take.

``room = await join_room(session, "abcdefgh")`` (:mod:`aioclubhouse.rooms.join`)
calls ``join_channel``, subscribes to the room's PubNub channels (``channel_all.<ch>``,
``channel_user.<ch>.<me>``, ``users.<me>``, plus ``channel_speakers.<ch>`` while on
stage), and returns once the subscription is live, so every event after that is
delivered.  From then on the room:

* keeps ``room.users`` / ``speakers`` / ``listeners`` / ``moderators`` /
  ``raised_hands`` current from events (a whole PubNub batch is applied before any
  of its events is handed out), re-reads ``get_channel`` every ``resync_interval``
  seconds and after every reconnect;
* pings ``active_ping`` every ``ping_interval`` seconds;
* leaves by itself when the room ends, when you are removed, when the service
  says you left or should leave, when the realtime link refuses the room's token
  or stops, or when its session closes.  ``room.left_reason`` says why, and the
  last event is ``Left(reason)``.

Leaving (``await room.leave()`` or the end of ``async with``) unsubscribes (with a
presence leave, bounded in time), calls ``leave_channel`` when the service may
still count you in, and cancels and awaits every task the room started.  An end,
a removal or a "you left" heard only over realtime is confirmed with
``leave_channel`` too: a message anyone could have put on the channel must not
leave the service and the program disagreeing.

With ``audio=`` it also drives the room's Agora channel (:mod:`.audio_follower`), and
with ``transcriber=`` it makes a live transcript of it (:mod:`.room_transcript`).
The event API is :mod:`.stream`'s, the subscription :mod:`.room_link`'s, re-reads
:mod:`.resync`'s.  The module runs past 500 lines because the room's
actions (the speaker flow, moderation) are thin calls kept next to the state and
role handling they feed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ..errors import ClubhouseError, InvalidArgumentError, RealtimeError, RoomNotAvailableError
from ..models.base import SuccessResponse
from ..models.rooms import (
    AcceptSpeakerInviteResult,
    ActivePingResult,
    Channel,
    HandraisePermission,
    JoinChannelResult,
    RoomUser,
)
from ..redaction import get_logger
from .audio.backend import AudioBackend, PcmFrame, resolve_app_id
from .audio.transcribe import Transcriber
from .audio_follower import AudioFollower
from .options import RoomOptions
from .ownership import SessionRealtime
from .realtime import ConnectionChange, ConnectionState, RealtimeMessage, timetoken_now
from .realtime_events import (
    LeaveReason,
    Left,
    Muted,
    RemovedFromRoom,
    RoomEnded,
    RoomEvent,
    UserLeft,
    apply_event,
)
from .resync import Resync
from .role import RoleChange, RoleChangeHook, RoleHookRunner
from .room_link import RoomLink
from .room_transcript import RoomTranscript
from .state import RoomState
from .stream import EventStream

if TYPE_CHECKING:
    from ..api import ClubhouseAPI

__all__ = ["Room"]

log = get_logger("aioclubhouse.rooms")

_TOLD_SERVICE = frozenset(
    {
        LeaveReason.USER,
        LeaveReason.SHOULD_LEAVE,
        LeaveReason.REALTIME_ERROR,
        LeaveReason.SESSION_CLOSED,
    }
)
"""Reasons to leave after which the service may still count you in: ``leave_channel``
is called (while the session is open)."""


class Room(EventStream):
    """A room you are in.  Made by :func:`join_room`; use it with ``async with``."""

    def __init__(
        self,
        session: ClubhouseAPI,
        joined: JoinChannelResult,
        options: RoomOptions,
        *,
        audio: AudioBackend | None = None,
        transcriber: Transcriber | None = None,
    ) -> None:
        if session.user_id is None:
            raise InvalidArgumentError("session", "is not logged in (no user_id)")
        super().__init__(name=f"room {joined.channel}", channel=joined.channel, options=options)
        self.session = session
        """The session that joined (and whose calls the actions make)."""
        self.joined = joined
        """The ``join_channel`` answer (tokens stay out of its repr)."""
        self.options = options
        """The room's options, as checked when it was joined."""
        self.channel = joined.channel
        """The room's channel name."""
        self.user_id: int = session.user_id
        """Your user id."""
        self.state = RoomState(self.channel, self.user_id)
        """The live state (people, roles, hands, settings) the properties read."""
        self.state.reset(joined)
        self.rtc_token = joined.token
        """The current Agora token (the join's, then each accepted invite's)."""
        self.audio = audio
        """The audio backend joined to this room's Agora channel, if one was given."""
        name = f"room {self.channel}"
        self._audio = (
            AudioFollower(audio, timeout=options.audio_timeout, name=name) if audio else None
        )
        self._transcript = (
            RoomTranscript(
                audio,
                transcriber,
                state=self.state,
                publish=self._hub.publish,
                timeout=options.transcribe_timeout,
                name=name,
            )
            if audio is not None and transcriber is not None
            else None
        )
        self._owner = SessionRealtime.of(session)
        self._link = RoomLink(
            options.pool or self._owner.pool,
            joined,
            user_id=self.user_id,
            api_base_url=session.base_url,
            options=options.realtime_options,
            pnsdk=session.identity.pubnub_sdk,
        )
        self._resync = Resync(
            self.state,
            self._read_room,
            interval=options.resync_interval,
            on_leave=self._begin_leave,
            on_reset=self._check_role,
            precheck=self._session_gone,
            is_left=lambda: self.left_reason is not None,
            name=name,
        )
        self._role_hook = RoleHookRunner(options.on_role_change, name=name)
        self._keepalive = options.keepalive(
            self._ping,
            interval=options.ping_interval,
            on_leave=self._begin_leave,
            precheck=self._session_gone,
            name=name,
        )
        self._tasks: set[asyncio.Task[Any]] = set()
        self._leave_task: asyncio.Task[None] | None = None
        self._left = asyncio.get_running_loop().create_future()
        self._connected_at = 0
        self._role = self.state.role
        self._announced_role = RoleChange(
            is_speaker=self._role[0], is_moderator=self._role[1], rtc_token=self.rtc_token
        )
        self._owner.adopt(self)  # last: the session leaves only rooms that were made

    # -- starting --------------------------------------------------------------------------
    async def _start(self, *, start_at: int | None = None) -> None:
        try:
            await self._link.start(
                self,
                on_stage=any(self.state.role),
                start_at=start_at,
                connect_timeout=self.options.connect_timeout,
            )
        except RealtimeError:
            await self._wait_left()
            raise
        self._spawn(self._keepalive.run(), "keepalive")
        self._spawn(self._resync.run(), "resync")

    # -- live state ------------------------------------------------------------------------
    @property
    def users(self) -> list[RoomUser]:
        """Everyone in the room, in order of arrival, kept current by its events."""
        return self.state.users

    @property
    def speakers(self) -> list[RoomUser]:
        """Everyone on stage (moderators included)."""
        return self.state.speakers

    @property
    def listeners(self) -> list[RoomUser]:
        """Everyone in the audience (not on stage)."""
        return self.state.listeners

    @property
    def moderators(self) -> list[RoomUser]:
        """The room's moderators (who are speakers too)."""
        return self.state.moderators

    @property
    def raised_hands(self) -> list[RoomUser]:
        """Listeners with a hand up (only known while you are a speaker or moderator)."""
        return self.state.raised_hands

    @property
    def is_handraise_enabled(self) -> bool:
        """Whether listeners may raise a hand (moderators turn it on and off)."""
        return self.state.is_handraise_enabled

    @property
    def handraise_permission(self) -> HandraisePermission | int | None:
        """Who may raise a hand: a ``HandraisePermission``, a number the SDK
        does not know yet, or None when the service never said."""
        return self.state.handraise_permission

    @property
    def me(self) -> RoomUser | None:
        """You as the room lists you, or None while the service has not listed you."""
        return self.state.me_user

    @property
    def is_speaker(self) -> bool:
        """Whether you are on stage now (follows invites, moves and resyncs)."""
        return self.state.role[0]

    @property
    def is_moderator(self) -> bool:
        """Whether you moderate the room now."""
        return self.state.role[1]

    @property
    def is_left(self) -> bool:
        """Whether the room has been left; ``left_reason`` says why."""
        return self.left_reason is not None

    @property
    def connected(self) -> bool:
        """Whether the realtime subscription has been accepted (False without realtime)."""
        return self._link.connected

    @property
    def pubnub_channels(self) -> frozenset[str]:
        """The PubNub channels the room listens to now."""
        return self._link.pubnub_channels

    @property
    def cursor(self) -> int:
        """The realtime cursor: every message up to this timetoken has been delivered."""
        return self._link.cursor

    @property
    def on_role_change(self) -> RoleChangeHook | None:
        """Called with the room and a :class:`RoleChange` when your role or token changes."""
        return self._role_hook.hook

    @on_role_change.setter
    def on_role_change(self, hook: RoleChangeHook | None) -> None:
        self._role_hook.hook = hook

    @property
    def transcriber(self) -> Transcriber | None:
        """The transcriber making this room's live transcript, if one was given."""
        return self._transcript.transcriber if self._transcript is not None else None

    def audio_frames(self) -> AsyncIterator[PcmFrame]:
        """The audio backend's frames, for the program (one consumer).

        Without a transcriber this is ``room.audio.frames()``; with one, the room reads
        those itself and passes each frame on here (at most 1000 wait; older ones are
        dropped).  Raises :class:`~aioclubhouse.errors.InvalidArgumentError` without audio.
        """
        if self._transcript is not None:
            return self._transcript.frames()
        if self.audio is None:
            raise InvalidArgumentError("audio", "this room was joined without audio=")
        return self.audio.frames()

    def __repr__(self) -> str:
        return (
            f"<Room channel={self.channel!r} users={len(self.state.users)} "
            f"speaker={self.is_speaker} left={self.left_reason}>"
        )

    # -- realtime listener (called synchronously by the realtime link) -------------------
    def realtime_messages(self, messages: Sequence[RealtimeMessage]) -> None:
        """From the realtime link: apply a batch of messages and deliver their events.

        A message that ends your presence (the room ended, you were removed) starts
        leaving; one muting you mutes the audio backend."""
        if self.left_reason is not None:
            return
        events = [apply_event(self.state, event) for event in self._parse(messages)]
        self._hub.publish(events)
        for event in events:
            reason = self._leave_reason(event)
            if reason is not None:
                # Said over realtime only: confirm it to the service (leave_channel),
                # so that a stray or forged message cannot leave the service and this
                # program disagreeing about whether you are in the room.
                self._begin_leave(reason, confirm=True)
                return
        if self._audio is not None and any(self._mutes_me(event) for event in events):
            self._spawn(self._update_audio(mute=True), "audio mute")
        self._check_role()

    def realtime_status(self, change: ConnectionChange) -> None:
        """From the realtime link: a connection change, delivered as an event; after a
        reconnect the room re-reads itself (``get_channel``) for what it may have missed."""
        if self.left_reason is not None:
            return
        super().realtime_status(change)
        if change.state is ConnectionState.CONNECTED:
            self._connected_at = change.timetoken
        elif change.state is ConnectionState.RECONNECTED:
            self._resync.soon()

    def realtime_failed(self, error: RealtimeError) -> None:
        """From the realtime link: the room's token was refused, so the room is left.

        ``get_channel`` first tells why (ended, told to leave, or a realtime error)."""
        if self.left_reason is None:
            self._spawn(self._after_refusal(error), "refusal")

    async def _after_refusal(self, error: RealtimeError) -> None:
        """The room's token was refused: find out why before leaving.

        The service revokes the token when the room ends or you are removed, and the
        message saying so may not have been fetched yet; ``get_channel`` tells.
        """
        reason = LeaveReason.REALTIME_ERROR
        try:
            channel = await self.session.get_channel(self.channel)
        except RoomNotAvailableError:
            reason = LeaveReason.ENDED
        except ClubhouseError:
            pass
        else:
            if channel.should_leave:
                reason = LeaveReason.SHOULD_LEAVE
        self._begin_leave(reason, error=str(error))

    def _leave_reason(self, event: RoomEvent) -> LeaveReason | None:
        """Whether ``event`` means this program is out of the room."""
        if event.channel not in (None, self.channel):
            return None
        if isinstance(event, RoomEnded):
            return LeaveReason.ENDED
        if isinstance(event, RemovedFromRoom) and event.user_id == self.user_id:
            return LeaveReason.REMOVED
        if (
            isinstance(event, UserLeft)
            and event.user_id == self.user_id
            and event.timetoken >= self._connected_at
        ):
            # Earlier ones predate this join (delivery may start a little before it).
            return LeaveReason.SELF_LEFT
        return None

    def _mutes_me(self, event: RoomEvent) -> bool:
        """``Muted`` is only ever sent to the muted user, on this room's channels."""
        return isinstance(event, Muted) and event.channel in (None, self.channel)

    # -- role changes ----------------------------------------------------------------------
    def _check_role(self, *, token_changed: bool = False) -> None:
        role = self.state.role
        if role == self._role and not token_changed:
            return
        if role != self._role:
            self._role = role
            if not any(role):
                self.state.forget_hands()  # no longer told about them
            self._link.follow_role(on_stage=any(role))
        if self._audio is not None:
            self._spawn(self._update_audio(), "audio role")
        announced = RoleChange(is_speaker=role[0], is_moderator=role[1], rtc_token=self.rtc_token)
        if announced != self._announced_role or token_changed:
            self._announced_role = announced
            if self._role_hook.hook is not None:
                self._spawn(self._role_hook.call(self, announced), "role hook")

    # -- audio -----------------------------------------------------------------------------
    async def _connect_audio(self) -> None:
        """Join the Agora channel with the join's RTC token, as speaker or listener."""
        if self._audio is None:
            return
        await self._audio.connect(
            app_id=resolve_app_id(self.joined),
            token=self.rtc_token,
            channel=self.channel,
            uid=self.user_id,
            speaking=any(self.state.role),
        )
        if self._transcript is not None:
            await self._transcript.start()
        await self._update_audio()  # a role change may have arrived while connecting

    async def _update_audio(self, *, mute: bool = False) -> None:
        if self._audio is not None:
            await self._audio.follow(token=self.rtc_token, speaking=any(self.state.role), mute=mute)

    # -- keepalive and resync --------------------------------------------------------------
    async def _ping(self) -> ActivePingResult:
        return await self.session.active_ping(self.channel)

    async def _read_room(self) -> Channel:
        return await self.session.get_channel(self.channel)

    def _session_gone(self) -> LeaveReason | None:
        return LeaveReason.SESSION_CLOSED if self.session.closed else None

    async def resync(self) -> None:
        """Re-read the room with ``get_channel`` now (the room also does this by itself)."""
        await self._resync.now()

    # -- actions ---------------------------------------------------------------------------
    async def raise_hand(self) -> SuccessResponse:
        """Ask to speak (``audience_reply``)."""
        return await self.session.audience_reply(
            self.channel, raise_hands=True, unraise_hands=False
        )

    async def lower_hand(self) -> SuccessResponse:
        """Withdraw a raised hand (``audience_reply``)."""
        return await self.session.audience_reply(
            self.channel, raise_hands=False, unraise_hands=True
        )

    async def accept_speaker_invite(self, from_user_id: int) -> AcceptSpeakerInviteResult:
        """Come on stage: new tokens, ``channel_speakers`` subscribed, ``on_role_change`` called.

        With audio, the backend has renewed its token and become a speaker (still
        muted) when this returns.
        """
        result = await self.session.accept_speaker_invite(self.channel, from_user_id)
        token_changed = bool(result.token) and result.token != self.rtc_token
        if result.token:
            self.rtc_token = result.token
        await self._link.switch_token(result.pubnub_token, result.pubnub_origin)
        self.state.set_role(is_speaker=True)
        self._check_role(token_changed=token_changed)
        await self._update_audio()
        return result

    async def reject_speaker_invite(self, from_user_id: int) -> SuccessResponse:
        """Decline a moderator's invitation on stage."""
        return await self.session.reject_speaker_invite(self.channel, from_user_id)

    async def invite_speaker(self, user_id: int) -> SuccessResponse:
        """Moderators: invite a listener on stage."""
        return await self.session.invite_speaker(self.channel, user_id)

    async def uninvite_speaker(self, user_id: int) -> SuccessResponse:
        """Moderators: withdraw an invitation, or move a speaker to the audience."""
        return await self.session.uninvite_speaker(self.channel, user_id)

    async def mute_speaker(self, user_id: int) -> SuccessResponse:
        """Moderators: mute a speaker; muting yourself also mutes your audio backend."""
        result = await self.session.mute_speaker(self.channel, user_id)
        if user_id == self.user_id:
            await self._update_audio(mute=True)
        return result

    async def make_moderator(self, user_id: int) -> SuccessResponse:
        """Moderators: make a speaker a moderator too."""
        return await self.session.make_moderator(self.channel, user_id)

    async def remove_user(self, user_id: int) -> SuccessResponse:
        """Moderators: remove someone and keep them out (``block_from_channel``)."""
        return await self.session.block_from_channel(self.channel, user_id)

    async def set_handraise(
        self,
        enabled: bool,
        permission: HandraisePermission | int = HandraisePermission.ALL,
    ) -> SuccessResponse:
        """Moderators: turn hand raising on or off and choose who may raise a hand."""
        return await self.session.change_handraise_settings(
            self.channel, is_enabled=enabled, handraise_permission=permission
        )

    async def end(self) -> None:
        """Moderators: end the room for everyone; returns once it has been left."""
        await self.session.end_channel(self.channel)
        await self._leave_and_drain(LeaveReason.ENDED)

    # -- leaving ---------------------------------------------------------------------------
    async def leave(self) -> None:
        """Leave the room (idempotent); returns when everything has stopped."""
        await self._leave_and_drain(LeaveReason.USER)

    async def _close_for_session(self) -> None:
        await self._leave_and_drain(LeaveReason.SESSION_CLOSED)

    async def wait_left(self) -> LeaveReason:
        """Wait until the room is left, for whatever reason."""
        return await self._wait_left()

    async def _wait_left(self) -> LeaveReason:
        reason: LeaveReason = await asyncio.shield(self._left)
        return reason

    async def __aenter__(self) -> Room:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.leave()

    async def _leave_and_drain(self, reason: LeaveReason) -> None:
        await asyncio.shield(self._begin_leave(reason))
        await self._hub.drain(self._drain_timeout)

    def _begin_leave(
        self, reason: LeaveReason, error: str | None = None, *, confirm: bool = False
    ) -> asyncio.Task[None]:
        """Start leaving (once; the first reason wins) and return the task doing it.

        ``confirm`` calls ``leave_channel`` whatever the reason: the reason was only
        heard over realtime.
        """
        if self._leave_task is None:
            self.left_reason = reason
            if self._audio is not None:
                self._audio.stop()
            self._leave_task = asyncio.get_running_loop().create_task(
                self._leave(reason, error, tell_service=confirm or reason in _TOLD_SERVICE),
                name=f"leave room {self.channel}",
            )
        return self._leave_task

    async def _leave(self, reason: LeaveReason, error: str | None, *, tell_service: bool) -> None:
        try:
            await self._link.close()
            tasks = [t for t in self._tasks if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if tell_service:
                await self._tell_service()
        finally:
            if self._transcript is not None:
                await self._transcript.stop_reading()
            if self._audio is not None:
                await self._audio.disconnect()
            if self._transcript is not None:
                await self._transcript.finish()  # its last events come before Left
            self._owner.release(self)
            self._hub.close(
                Left(channel=self.channel, reason=reason, error=error, timetoken=timetoken_now())
            )
            if not self._left.done():
                self._left.set_result(reason)

    async def _tell_service(self) -> None:
        if self.session.closed:
            return
        try:
            await self.session.leave_channel(self.channel)
        except ClubhouseError as exc:
            log.debug("room %s: leave_channel failed (%s)", self.channel, type(exc).__name__)

    def _spawn(self, coroutine: Awaitable[Any], what: str) -> None:
        task = asyncio.ensure_future(coroutine)
        task.set_name(f"room {self.channel} user {self.user_id} {what}")
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error(
                "room %s: task %s failed", self.channel, task.get_name(), exc_info=task.exception()
            )
