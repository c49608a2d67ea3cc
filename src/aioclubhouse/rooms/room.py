"""A joined room: realtime events, live state, keepalive, and the actions you can take.

``room = await join_room(session, "abcdefgh")`` calls ``join_channel``, subscribes
to the room's PubNub channels (``channel_all.<ch>``, ``channel_user.<ch>.<me>``,
``users.<me>``, plus ``channel_speakers.<ch>`` while on stage), and returns once the
subscription is live, so every event after that is delivered.  From then on the
room:

* keeps ``room.users`` / ``speakers`` / ``listeners`` / ``moderators`` /
  ``raised_hands`` current from events (a whole PubNub batch is applied before any
  of its events is handed out), re-reads ``get_channel`` every ``resync_interval``
  seconds and after every reconnect;
* pings ``active_ping`` every ``ping_interval`` seconds;
* leaves by itself when the room ends, when you are removed, when the service
  says you left or should leave, or when the realtime service refuses the room's
  token.  ``room.left_reason`` says why, and the last event is ``Left(reason)``.

Leaving (``await room.leave()`` or the end of ``async with``) unsubscribes, calls
``leave_channel`` when the service still thinks you are there, and cancels and
awaits every task the room started.

With ``audio=`` (an :class:`~aioclubhouse.rooms.audio.AudioBackend`) the room also
drives the room's Agora channel: it connects the backend after the join, follows
your role (renewed token and broadcaster role on stage, listener role and muted in
the audience, muted when a moderator mutes you) and disconnects it when leaving.
The room never reads the backend's ``frames()`` or ``events()``: they are yours.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ..errors import ClubhouseError, InvalidArgumentError, RealtimeError, RoomNotAvailableError
from ..models.base import SuccessResponse
from ..models.rooms import (
    AcceptSpeakerInviteResult,
    ActivePingResult,
    HandraisePermission,
    JoinChannelResult,
    RoomUser,
)
from ..redaction import get_logger
from .audio.backend import AudioBackend, Role, resolve_app_id
from .audio.errors import AudioConnectionError
from .dispatch import EventHub, Handler
from .keepalive import DEFAULT_PING_INTERVAL, Keepalive
from .realtime import (
    ConnectionChange,
    ConnectionState,
    RealtimeAccess,
    RealtimeMessage,
    RealtimeOptions,
    RealtimePool,
    Subscription,
    realtime_origin,
    timetoken_now,
)
from .realtime_events import (
    Connected,
    LeaveReason,
    Left,
    Muted,
    Reconnected,
    Reconnecting,
    RemovedFromRoom,
    RoomEnded,
    RoomEvent,
    UserLeft,
    parse_message,
)
from .state import RoomState

if TYPE_CHECKING:
    from ..session import ClubhouseSession

__all__ = [
    "DEFAULT_AUDIO_TIMEOUT",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_RESYNC_INTERVAL",
    "RoleChange",
    "RoleChangeHook",
    "Room",
    "check_room_options",
    "join_room",
]

log = get_logger("aioclubhouse.rooms")

E = TypeVar("E", bound=RoomEvent)

DEFAULT_RESYNC_INTERVAL = 120.0
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_DRAIN_TIMEOUT = 5.0
DEFAULT_AUDIO_TIMEOUT = 15.0
"""Bound on the audio backend's connect and disconnect (the Agora adapters' own are lower)."""


@attrs.frozen(kw_only=True)
class RoleChange:
    """Your place in the room, as the audio side needs it."""

    is_speaker: bool
    is_moderator: bool
    rtc_token: str | None = attrs.field(default=None, repr=False)
    """The Agora token for this role (the join's, or the one accepting an invite gave)."""


RoleChangeHook = Callable[["Room", RoleChange], Awaitable[None] | None]
"""Called (sync or async) when your role or RTC token changes, e.g. to renew the
audio token and switch to the broadcaster role."""


class Room:
    """A room you are in.  Made by :func:`join_room`; use it with ``async with``."""

    def __init__(
        self,
        session: ClubhouseSession,
        joined: JoinChannelResult,
        *,
        ping_interval: float = DEFAULT_PING_INTERVAL,
        resync_interval: float = DEFAULT_RESYNC_INTERVAL,
        max_queue: int = 10_000,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        drain_timeout: float = DEFAULT_DRAIN_TIMEOUT,
        on_role_change: RoleChangeHook | None = None,
        realtime_options: RealtimeOptions | None = None,
        pool: RealtimePool | None = None,
        audio: AudioBackend | None = None,
        audio_timeout: float = DEFAULT_AUDIO_TIMEOUT,
    ) -> None:
        if session.user_id is None:
            raise InvalidArgumentError("session", "is not logged in (no user_id)")
        check_room_options(
            ping_interval=ping_interval,
            resync_interval=resync_interval,
            max_queue=max_queue,
            connect_timeout=connect_timeout,
            drain_timeout=drain_timeout,
            audio_timeout=audio_timeout,
            on_role_change=on_role_change,
            realtime_options=realtime_options,
            pool=pool,
        )
        self.session = session
        self.joined = joined
        """The ``join_channel`` answer (tokens stay out of its repr)."""
        self.channel = joined.channel
        self.user_id: int = session.user_id
        self.state = RoomState(self.channel, self.user_id)
        self.state.reset(joined)
        self.rtc_token = joined.token
        self.left_reason: LeaveReason | None = None
        self.on_role_change = on_role_change
        self.audio = audio
        """The audio backend joined to this room's Agora channel, if one was given."""
        self._audio_timeout = audio_timeout
        self._audio_lock = asyncio.Lock()
        self._audio_role: Role | None = None
        """The role the backend was last given; None until it is connected."""
        self._audio_token: str | None = None
        self._pubnub_token = joined.pubnub_token
        self._pubnub_origin = joined.pubnub_origin
        self._hub = EventHub(name=f"room {self.channel}", max_queue=max_queue)
        self._pool = pool or RealtimePool.shared()
        self._realtime_options = realtime_options
        self._subscription: Subscription | None = None
        self._connect_timeout = connect_timeout
        self._drain_timeout = drain_timeout
        self._resync_interval = resync_interval
        self._resync_wanted = asyncio.Event()
        self._resync_lock = asyncio.Lock()
        self._hook_lock = asyncio.Lock()
        self._keepalive = Keepalive(
            self._ping,
            interval=ping_interval,
            on_leave=self._begin_leave,
            precheck=self._session_gone,
            name=f"room {self.channel}",
        )
        self._tasks: set[asyncio.Task[Any]] = set()
        self._leave_task: asyncio.Task[None] | None = None
        self._left = asyncio.get_running_loop().create_future()
        self._connected_at = 0
        self._role = self.state.role
        self._announced_role = RoleChange(
            is_speaker=self._role[0], is_moderator=self._role[1], rtc_token=self.rtc_token
        )

    # -- starting --------------------------------------------------------------------------
    async def _start(self, *, start_at: int | None = None) -> None:
        access = self._access()
        if access is not None:
            self._subscription = self._pool.subscribe(
                access,
                self._channels(),
                self,
                options=self._realtime_options,
                start_at=start_at,
            )
            try:
                async with asyncio.timeout(self._connect_timeout):
                    await self._subscription.wait_connected()
            except TimeoutError:
                log.warning(
                    "room %s: realtime not connected after %.0f s; it keeps trying",
                    self.channel,
                    self._connect_timeout,
                )
            except RealtimeError:
                await self._wait_left()
                raise
        self._spawn(self._keepalive.run(), "keepalive")
        self._spawn(self._resync_forever(), "resync")

    def _access(self) -> RealtimeAccess | None:
        """The PubNub credentials of this room, or None when realtime is off."""
        if not self.joined.pubnub_enable or not self._pubnub_token:
            return None
        origin, ssl = realtime_origin(self.session.base_url, self._pubnub_origin)
        return RealtimeAccess(
            origin=origin,
            ssl=ssl,
            auth_token=self._pubnub_token,
            user_id=self.user_id,
            presence_timeout=self.joined.pubnub_heartbeat_value,
        )

    def _channels(self) -> set[str]:
        channels = {
            f"channel_all.{self.channel}",
            f"channel_user.{self.channel}.{self.user_id}",
            f"users.{self.user_id}",
        }
        is_speaker, is_moderator = self.state.role
        if is_speaker or is_moderator:
            channels.add(f"channel_speakers.{self.channel}")
        return channels

    # -- live state ------------------------------------------------------------------------
    @property
    def users(self) -> list[RoomUser]:
        return self.state.users

    @property
    def speakers(self) -> list[RoomUser]:
        return self.state.speakers

    @property
    def listeners(self) -> list[RoomUser]:
        return self.state.listeners

    @property
    def moderators(self) -> list[RoomUser]:
        return self.state.moderators

    @property
    def raised_hands(self) -> list[RoomUser]:
        """Listeners with a hand up (only known while you are a speaker or moderator)."""
        return self.state.raised_hands

    @property
    def is_handraise_enabled(self) -> bool:
        return self.state.is_handraise_enabled

    @property
    def handraise_permission(self) -> HandraisePermission | int | None:
        return self.state.handraise_permission

    @property
    def me(self) -> RoomUser | None:
        return self.state.me_user

    @property
    def is_speaker(self) -> bool:
        return self.state.role[0]

    @property
    def is_moderator(self) -> bool:
        return self.state.role[1]

    @property
    def is_left(self) -> bool:
        return self.left_reason is not None

    @property
    def connected(self) -> bool:
        """Whether the realtime subscription has been accepted (False without realtime)."""
        return self._subscription is not None and self._subscription.connected

    @property
    def pubnub_channels(self) -> frozenset[str]:
        """The PubNub channels the room listens to now."""
        if self._subscription is None:
            return frozenset()
        return self._subscription.channels

    @property
    def cursor(self) -> int:
        """The realtime cursor: every message up to this timetoken has been delivered."""
        return self._subscription.timetoken if self._subscription is not None else 0

    @property
    def dropped_events(self) -> int:
        """Events dropped because the program did not keep up (see ``events()``)."""
        return self._hub.dropped_events

    @property
    def handler_errors(self) -> int:
        """Exceptions raised by ``on()`` handlers (logged, then delivery went on)."""
        return self._hub.handler_errors

    def __repr__(self) -> str:
        return (
            f"<Room channel={self.channel!r} users={len(self.state.users)} "
            f"speakers={len(self.state.speakers)} left_reason={self.left_reason}>"
        )

    # -- consuming events ------------------------------------------------------------------
    def events(self) -> AsyncIterator[RoomEvent]:
        """Every event in order, ending after ``Left``.

        Events are buffered from the join on, up to ``max_queue``; beyond that the
        oldest are dropped and counted in :attr:`dropped_events`.
        """
        return self._hub.events()

    def __aiter__(self) -> AsyncIterator[RoomEvent]:
        return self._hub.events()

    def on(self, event_type: type[E], handler: Handler | None = None) -> Any:
        """Call ``handler`` for each event of ``event_type`` or a subclass; without a
        handler, a decorator.  Handlers may be coroutines; their errors are logged."""
        return self._hub.on(event_type, handler)

    def off(self, event_type: type[RoomEvent], handler: Handler) -> None:
        self._hub.off(event_type, handler)

    async def wait_for(
        self,
        event_type: type[E],
        *,
        check: Callable[[E], bool] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the familiar wait_for signature
    ) -> E:
        """The next event of ``event_type`` matching ``check``; ``TimeoutError`` after
        ``timeout`` s, :class:`RoomClosedError` if the room is left first."""
        return await self._hub.wait_for(event_type, check=check, timeout=timeout)

    # -- realtime listener (called synchronously by the realtime link) -------------------
    def realtime_messages(self, messages: Sequence[RealtimeMessage]) -> None:
        if self.left_reason is not None:
            return
        events = [
            parse_message(m.payload, pubnub_channel=m.channel, timetoken=m.timetoken)
            for m in messages
        ]
        for event in events:
            self.state.apply(event)
        self._hub.publish(events)
        for event in events:
            reason = self._leave_reason(event)
            if reason is not None:
                self._begin_leave(reason)
                return
        if self.audio is not None and any(self._mutes_me(event) for event in events):
            self._spawn(self._update_audio(mute=True), "audio mute")
        self._check_role()

    def realtime_status(self, change: ConnectionChange) -> None:
        if self.left_reason is not None:
            return
        common: dict[str, Any] = {"channel": self.channel, "timetoken": change.timetoken}
        if change.state is ConnectionState.CONNECTED:
            self._connected_at = change.timetoken
            self._hub.publish([Connected(**common)])
        elif change.state is ConnectionState.RECONNECTING:
            self._hub.publish([Reconnecting(attempt=change.attempt, error=change.error, **common)])
        else:
            self._hub.publish([Reconnected(**common)])
            self._resync_wanted.set()

    def realtime_failed(self, error: RealtimeError) -> None:
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
            if self._subscription is not None:
                self._subscription.set_channels(self._channels())
        if self.audio is not None:
            self._spawn(self._update_audio(), "audio role")
        announced = RoleChange(is_speaker=role[0], is_moderator=role[1], rtc_token=self.rtc_token)
        if announced != self._announced_role or token_changed:
            self._announced_role = announced
            if self.on_role_change is not None:
                self._spawn(self._call_role_hook(announced), "role hook")

    async def _call_role_hook(self, role: RoleChange) -> None:
        hook = self.on_role_change
        if hook is None:
            return
        async with self._hook_lock:
            try:
                result = hook(self, role)
                if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
                    await result
            except Exception:
                log.exception("room %s: on_role_change failed", self.channel)

    # -- audio -----------------------------------------------------------------------------
    def _audio_role_wanted(self) -> Role:
        return Role.SPEAKER if any(self.state.role) else Role.LISTENER

    async def _connect_audio(self) -> None:
        """Join the Agora channel with the join's RTC token, as speaker or listener."""
        audio = self.audio
        if audio is None:
            return
        token = self.rtc_token
        if not token:
            raise AudioConnectionError("join_channel gave no RTC token; audio cannot connect")
        async with self._audio_lock:
            role = self._audio_role_wanted()
            try:
                async with asyncio.timeout(self._audio_timeout):
                    await audio.connect(
                        app_id=resolve_app_id(self.joined),
                        token=token,
                        channel=self.channel,
                        uid=self.user_id,
                        role=role,
                    )
            except TimeoutError:
                raise AudioConnectionError(
                    f"the audio channel was not joined within {self._audio_timeout:.0f} s"
                ) from None
            self._audio_role, self._audio_token = role, token
        await self._update_audio()  # a role change may have arrived while connecting

    async def _update_audio(self, *, mute: bool = False) -> None:
        """Bring the backend in line with the room, one change at a time.

        A new RTC token is renewed before the role goes to speaker; going back to the
        audience means the listener role and muted; ``mute`` mutes as well.  Failures
        are logged, never raised: the room goes on without them, and the backend's
        ``events()`` report its connection state.
        """
        audio = self.audio
        if audio is None:
            return
        async with self._audio_lock:
            if self._audio_role is None or self.left_reason is not None:
                return
            try:
                token = self.rtc_token
                if token and token != self._audio_token:
                    await audio.renew_token(token)
                    self._audio_token = token
                role = self._audio_role_wanted()
                if role is not self._audio_role:
                    await audio.set_role(role)
                    self._audio_role = role
                    mute = mute or role is Role.LISTENER
                if mute:
                    await audio.set_muted(True)
            except Exception as exc:
                log.warning(
                    "room %s: audio update failed (%s: %s)", self.channel, type(exc).__name__, exc
                )

    async def _disconnect_audio(self) -> None:
        """Leave the Agora channel; part of every leave, so it logs and never raises."""
        audio = self.audio
        if audio is None:
            return
        self._audio_role = None
        try:
            async with asyncio.timeout(self._audio_timeout):
                await audio.disconnect()
        except Exception as exc:
            log.warning(
                "room %s: audio disconnect failed (%s: %s)", self.channel, type(exc).__name__, exc
            )

    # -- keepalive and resync --------------------------------------------------------------
    async def _ping(self) -> ActivePingResult:
        return await self.session.active_ping(self.channel)

    def _session_gone(self) -> LeaveReason | None:
        return LeaveReason.SESSION_CLOSED if self.session.closed else None

    async def _resync_forever(self) -> None:
        while True:
            try:
                async with asyncio.timeout(self._resync_interval):
                    await self._resync_wanted.wait()
            except TimeoutError:
                pass
            self._resync_wanted.clear()
            if self._session_gone() is not None:
                self._begin_leave(LeaveReason.SESSION_CLOSED)
                return
            await self.resync()

    async def resync(self) -> None:
        """Re-read the room with ``get_channel`` now (the room also does this by itself)."""
        async with self._resync_lock:
            if self.left_reason is not None:
                return
            self.state.start_journal()
            try:
                channel = await self.session.get_channel(self.channel)
            except RoomNotAvailableError:
                self.state.drop_journal()
                self._begin_leave(LeaveReason.ENDED)
                return
            except ClubhouseError as exc:
                self.state.drop_journal()
                log.warning("room %s: get_channel failed (%s)", self.channel, type(exc).__name__)
                return
            if channel.should_leave:
                self.state.drop_journal()
                self._begin_leave(LeaveReason.SHOULD_LEAVE)
                return
            self.state.reset(channel)
            self._check_role()

    # -- actions ---------------------------------------------------------------------------
    async def raise_hand(self) -> SuccessResponse:
        """Ask to speak (``audience_reply``)."""
        return await self.session.audience_reply(
            self.channel, raise_hands=True, unraise_hands=False
        )

    async def lower_hand(self) -> SuccessResponse:
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
        if result.pubnub_token and result.pubnub_token != self._pubnub_token:
            self._pubnub_token = result.pubnub_token
            self._pubnub_origin = result.pubnub_origin or self._pubnub_origin
            access = self._access()
            if self._subscription is not None and access is not None:
                await self._subscription.reauthorize(access)
        self.state.set_role(is_speaker=True)
        self._check_role(token_changed=token_changed)
        await self._update_audio()
        return result

    async def reject_speaker_invite(self, from_user_id: int) -> SuccessResponse:
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
        await asyncio.shield(self._begin_leave(LeaveReason.ENDED))
        await self._hub.drain(self._drain_timeout)

    # -- leaving ---------------------------------------------------------------------------
    async def leave(self) -> None:
        """Leave the room (idempotent); returns when everything has stopped."""
        await asyncio.shield(self._begin_leave(LeaveReason.USER))
        await self._hub.drain(self._drain_timeout)

    close = leave

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

    def _begin_leave(self, reason: LeaveReason, error: str | None = None) -> asyncio.Task[None]:
        """Start leaving (once; the first reason wins) and return the task doing it."""
        if self._leave_task is None:
            self.left_reason = reason
            self._leave_task = asyncio.get_running_loop().create_task(
                self._leave(reason, error), name=f"leave room {self.channel}"
            )
        return self._leave_task

    async def _leave(self, reason: LeaveReason, error: str | None) -> None:
        try:
            subscription, self._subscription = self._subscription, None
            if subscription is not None:
                await subscription.close()
            tasks = [t for t in self._tasks if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if reason in (
                LeaveReason.USER,
                LeaveReason.SHOULD_LEAVE,
                LeaveReason.REALTIME_ERROR,
            ):
                await self._tell_service()
        finally:
            await self._disconnect_audio()
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


async def join_room(
    session: ClubhouseSession,
    channel: str,
    *,
    ping_interval: float = DEFAULT_PING_INTERVAL,
    resync_interval: float = DEFAULT_RESYNC_INTERVAL,
    max_queue: int = 10_000,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    on_role_change: RoleChangeHook | None = None,
    realtime_options: RealtimeOptions | None = None,
    pool: RealtimePool | None = None,
    audio: AudioBackend | None = None,
    audio_timeout: float = DEFAULT_AUDIO_TIMEOUT,
    **join_options: Any,
) -> Room:
    """Join ``channel`` and return the live :class:`Room` once its realtime link is up.

    Delivery starts from the moment the join request was sent (by the local clock,
    when it is within a few seconds of PubNub's), so nothing published while joining
    is missed; the first events may therefore include your own ``UserJoined``.
    ``join_options`` go to ``join_channel`` (e.g. ``attribution_source``).  The
    room's own options are checked first (:func:`check_room_options`), so a refused
    one raises :class:`~aioclubhouse.errors.InvalidArgumentError` before anything is
    sent; whatever fails after the join leaves the room again before raising.  If the
    realtime link is not up after ``connect_timeout`` seconds the room is returned
    anyway and keeps connecting (you will see ``Connected`` when it does); if the
    realtime service refuses the room's token, the room is left and
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

    The room does not act on the backend's ``TokenWillExpire``: it never reads
    ``room.audio.events()`` (a single stream, which is yours), and no client of the
    service renewed expiring tokens, so a fresh one means a second ``join_channel``
    whose effect on the real service is not known.  If you want to try it:
    ``await room.audio.renew_token((await session.join_channel(room.channel)).token)``.
    """
    if session.user_id is None:
        raise InvalidArgumentError("session", "is not logged in (no user_id)")
    check_room_options(
        ping_interval=ping_interval,
        resync_interval=resync_interval,
        max_queue=max_queue,
        connect_timeout=connect_timeout,
        audio_timeout=audio_timeout,
        on_role_change=on_role_change,
        realtime_options=realtime_options,
        pool=pool,
    )
    start_at = timetoken_now()
    joined = await session.join_channel(channel, **join_options)
    try:
        room = Room(
            session,
            joined,
            ping_interval=ping_interval,
            resync_interval=resync_interval,
            max_queue=max_queue,
            connect_timeout=connect_timeout,
            on_role_change=on_role_change,
            realtime_options=realtime_options,
            pool=pool,
            audio=audio,
            audio_timeout=audio_timeout,
        )
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


async def _leave_after_failed_join(session: ClubhouseSession, channel: str) -> None:
    """Undo a join whose Room could not be built: the service must not keep you there."""
    if session.closed:
        return
    try:
        await session.leave_channel(channel)
    except ClubhouseError as exc:
        log.debug("room %s: leave_channel failed (%s)", channel, type(exc).__name__)


def check_room_options(
    *,
    ping_interval: float = DEFAULT_PING_INTERVAL,
    resync_interval: float = DEFAULT_RESYNC_INTERVAL,
    max_queue: int = 10_000,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    drain_timeout: float = DEFAULT_DRAIN_TIMEOUT,
    audio_timeout: float = DEFAULT_AUDIO_TIMEOUT,
    on_role_change: object = None,
    realtime_options: object = None,
    pool: object = None,
) -> None:
    """Refuse a room option that could only fail later, once you are in the room.

    Raises :class:`~aioclubhouse.errors.InvalidArgumentError` naming the option.
    """
    durations = {
        "ping_interval": ping_interval,
        "resync_interval": resync_interval,
        "connect_timeout": connect_timeout,
        "drain_timeout": drain_timeout,
        "audio_timeout": audio_timeout,
    }
    for name, seconds in durations.items():
        if not _is_positive_number(seconds):
            raise InvalidArgumentError(
                name, f"must be a positive number of seconds, not {seconds!r}"
            )
    if isinstance(max_queue, bool) or not isinstance(max_queue, int) or max_queue < 1:
        raise InvalidArgumentError(
            "max_queue", f"must be a whole number of at least 1, not {max_queue!r}"
        )
    if on_role_change is not None and not callable(on_role_change):
        raise InvalidArgumentError("on_role_change", "must be a function or None")
    if realtime_options is not None and not isinstance(realtime_options, RealtimeOptions):
        raise InvalidArgumentError("realtime_options", "must be a RealtimeOptions or None")
    if pool is not None and not isinstance(pool, RealtimePool):
        raise InvalidArgumentError("pool", "must be a RealtimePool or None")


def _is_positive_number(value: object) -> bool:
    """True for an int or float above zero (not a bool, not NaN)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value > 0
