"""Typed realtime room and user events: each one declared once, in its own class.

Every realtime message carries an ``action`` (docs/protocol.md C.3).  Each known action
is one frozen class below, and that class is the whole declaration of the event:

* ``action``: the wire name it is registered under (:data:`ACTIONS`);
* its fields, and ``parse``, how they are read from the message;
* ``apply_to``, its effect on the live :class:`~aioclubhouse.rooms.state.RoomState`.

Adding an event means adding one class here (and teaching the emulator to send it).

Parsing is lenient like the most careful public client: a user id may sit at the top
level or inside ``user_profile``, names may be missing, numbers may be strings.
:func:`parse_message` never raises: an action nobody declared, or a known one whose
essential field is missing or unreadable, becomes an :class:`UnknownEvent` carrying
the raw message (and ``problem`` saying what was wrong), so nothing is lost.

Lifecycle events (:class:`Connected`, :class:`Reconnecting`, :class:`Reconnected`,
:class:`Left`) come from the SDK itself, not from the service, and so does
:class:`SpeechTranscribed`, a line of a room's live transcript.

This module is longer than most because it holds every event the service sends,
each with its fields, parser and effect: keeping them side by side is the point.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Self

import attrs

from ..coerce import wire_bool, wire_int
from ..errors import DecodeError
from ..models.converter import structure
from ..models.rooms import HandraisePermission, RoomUser
from ..redaction import get_logger
from .audio.transcribe.models import Segment
from .state import RoomState, handraise_permission, updated_user

__all__ = [
    "ACTIONS",
    "Connected",
    "HandLowered",
    "HandRaised",
    "HandraiseSettingsChanged",
    "LeaveReason",
    "Left",
    "MissingField",
    "ModeratorAdded",
    "Muted",
    "NewRoomInvite",
    "NewRoomInviteAccepted",
    "NewRoomInviteCancelled",
    "NewRoomInviteRejected",
    "Payload",
    "Reconnected",
    "Reconnecting",
    "RemovedFromRoom",
    "RoomEnded",
    "RoomEvent",
    "RoomMadePublic",
    "RoomMadeSocial",
    "ServiceEvent",
    "SpeakerAdded",
    "SpeakerCallStatusChanged",
    "SpeakerInviteAccepted",
    "SpeakerInviteRejected",
    "SpeakerInvited",
    "SpeakerRemoved",
    "SpeakerUninvited",
    "SpeechTranscribed",
    "UnknownEvent",
    "UserJoined",
    "UserLeft",
    "WelcomeRoomRejected",
    "apply_event",
    "owner_of_pubnub_channel",
    "parse_message",
    "room_of_pubnub_channel",
]

log = get_logger("aioclubhouse.rooms")


@attrs.frozen(kw_only=True)
class RoomEvent:
    """Base of every event.

    ``channel`` is the room the event is about (None for user-level events that
    name no room); ``pubnub_channel`` and ``timetoken`` say where and when PubNub
    delivered it; ``raw`` is the message as sent.
    """

    channel: str | None = None
    pubnub_channel: str | None = None
    timetoken: int = 0
    raw: dict[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def apply_to(self, state: RoomState) -> bool:
        """Change ``state`` as this event says; True when something changed.

        Most events change nothing: only those about the room's people and
        settings override this.
        """
        return False


# -- reading a message ---------------------------------------------------------------------


class MissingField(Exception):
    """A field an action needs is absent or unusable."""


class Payload:
    """The fields of one message, read leniently; what an event's ``parse`` is given.

    ``envelope`` holds the fields every event has (``channel``, ``pubnub_channel``,
    ``timetoken``, ``raw``), ready to pass on as ``**payload.envelope``.
    """

    __slots__ = ("data", "envelope")

    def __init__(self, data: Mapping[str, Any], envelope: dict[str, Any]) -> None:
        self.data = data
        self.envelope = envelope

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        return value if isinstance(value, str) else None

    def number(self, key: str) -> int | None:
        return wire_int(self.data.get(key))

    def required_number(self, key: str) -> int:
        value = self.number(key)
        if value is None:
            raise MissingField(key)
        return value

    def flag(self, key: str) -> bool:
        """A required flag (``true``, 1, ``"false"``, ...)."""
        value = wire_bool(self.data.get(key))
        if value is None:
            raise MissingField(key)
        return value

    def permission(self, key: str) -> HandraisePermission | int | None:
        return handraise_permission(self.number(key))

    def profile(self) -> Mapping[str, Any]:
        profile = self.data.get("user_profile")
        if type(profile) is dict:  # what JSON gives, without the slower abstract check
            return profile
        return profile if isinstance(profile, Mapping) else {}

    def user_id(self, key: str = "user_id") -> int:
        """``key`` at the top level, else ``user_id`` inside ``user_profile``."""
        value = self.number(key)
        if value is None:
            value = wire_int(self.profile().get("user_id"))
        if value is None:
            raise MissingField(key)
        return value

    def user(self) -> RoomUser:
        """The ``user_profile`` as a RoomUser, or a bare one from a top-level ``user_id``."""
        user_id = self.user_id()
        profile = self.profile()
        if profile:
            if profile.get("user_id") != user_id or type(profile) is not dict:
                profile = {**profile, "user_id": user_id}  # the id the message means
            try:
                return structure(profile, RoomUser)
            except DecodeError:
                pass
        return RoomUser(user_id=user_id)


_ACTIONS: dict[str, type[ServiceEvent]] = {}

ACTIONS: Mapping[str, type[ServiceEvent]] = MappingProxyType(_ACTIONS)
"""Every action the SDK understands and its event class (filled by the classes below)."""


@attrs.frozen(kw_only=True)
class ServiceEvent(RoomEvent):
    """An event the service sends: one subclass per ``action``, registered by defining it."""

    action: ClassVar[str]

    @classmethod
    def __attrs_init_subclass__(cls) -> None:
        if "action" not in vars(cls):
            return  # a base for events sharing fields, not an event of its own
        known = _ACTIONS.setdefault(cls.action, cls)
        if known is not cls:
            raise TypeError(f"{cls.__name__}: action {cls.action!r} is {known.__name__}'s")

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        """The event for ``payload``; raises :class:`MissingField` when it cannot be."""
        return cls(**payload.envelope)


# -- people coming and going ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class UserJoined(ServiceEvent):
    """``join_channel``: someone entered the room."""

    action = "join_channel"
    user: RoomUser

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(user=payload.user(), **payload.envelope)

    def apply_to(self, state: RoomState) -> bool:
        return state.put_user(self.user)


@attrs.frozen(kw_only=True)
class UserLeft(ServiceEvent):
    """``leave_channel``: someone left (or was dropped, or removed)."""

    action = "leave_channel"
    user_id: int
    """Who left."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(user_id=payload.user_id(), **payload.envelope)

    def apply_to(self, state: RoomState) -> bool:
        return state.drop_user(self.user_id)


@attrs.frozen(kw_only=True)
class RemovedFromRoom(ServiceEvent):
    """``remove_from_channel``: a moderator removed ``user_id``.

    On the removed user's own channels (``channel_user.<ch>.<id>``, ``users.<id>``)
    it is about that user whatever it carries: the official app leaves on it
    without reading a field, and its models for those channels have no ``user_id``
    (docs/protocol.md C.3).  On ``channel_all.<ch>``, ``user_id`` names who was
    removed.
    """

    action = "remove_from_channel"
    user_id: int
    from_user_id: int | None = None
    """The moderator who removed them, if the message says."""
    from_name: str | None = None
    """Their name, if the message says."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        owner = owner_of_pubnub_channel(payload.envelope.get("pubnub_channel"))
        return cls(
            user_id=owner if owner is not None else payload.user_id(),
            from_user_id=payload.number("from_user_id"),
            from_name=payload.text("from_name"),
            **payload.envelope,
        )

    def apply_to(self, state: RoomState) -> bool:
        return state.drop_user(self.user_id)


@attrs.frozen(kw_only=True)
class RoomEnded(ServiceEvent):
    """``end_channel``: the room is over."""

    action = "end_channel"

    def apply_to(self, state: RoomState) -> bool:
        state.ended = True
        return True


@attrs.frozen(kw_only=True)
class RoomMadePublic(ServiceEvent):
    """``make_channel_public``."""

    action = "make_channel_public"

    def apply_to(self, state: RoomState) -> bool:
        state.is_private = False
        state.is_social_mode = False
        return True


@attrs.frozen(kw_only=True)
class RoomMadeSocial(ServiceEvent):
    """``make_channel_social``."""

    action = "make_channel_social"

    def apply_to(self, state: RoomState) -> bool:
        state.is_private = False
        state.is_social_mode = True
        return True


@attrs.frozen(kw_only=True)
class WelcomeRoomRejected(ServiceEvent):
    """``reject_welcome_channel``: the newcomer declined their welcome room."""

    action = "reject_welcome_channel"
    user: RoomUser

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(user=payload.user(), **payload.envelope)


# -- the stage -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SpeakerAdded(ServiceEvent):
    """``add_speaker``: ``user`` is now on stage."""

    action = "add_speaker"
    user: RoomUser

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(user=payload.user(), **payload.envelope)

    def apply_to(self, state: RoomState) -> bool:
        user = self.user
        state.lower_hand(user.user_id)
        return state.put_user(user if user.is_speaker else updated_user(user, is_speaker=True))


@attrs.frozen(kw_only=True)
class SpeakerRemoved(ServiceEvent):
    """``remove_speaker``: ``user_id`` went back to the audience."""

    action = "remove_speaker"
    user_id: int

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(user_id=payload.user_id(), **payload.envelope)

    def apply_to(self, state: RoomState) -> bool:
        return state.change_user(
            self.user_id, is_speaker=False, is_moderator=False, time_joined_as_speaker=None
        )


@attrs.frozen(kw_only=True)
class ModeratorAdded(ServiceEvent):
    """``make_moderator``: ``user_id`` is now a moderator."""

    action = "make_moderator"
    user_id: int

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(user_id=payload.user_id(), **payload.envelope)

    def apply_to(self, state: RoomState) -> bool:
        state.lower_hand(self.user_id)
        return state.change_user(self.user_id, is_speaker=True, is_moderator=True)


@attrs.frozen(kw_only=True)
class HandraiseSettingsChanged(ServiceEvent):
    """``change_handraise_settings``: who may raise a hand now."""

    action = "change_handraise_settings"
    is_enabled: bool
    """Whether listeners may raise a hand now."""
    handraise_permission: HandraisePermission | int | None = None
    """Who may raise one (a number the SDK does not know stays a number)."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(
            is_enabled=payload.flag("is_enabled"),
            handraise_permission=payload.permission("handraise_permission"),
            **payload.envelope,
        )

    def apply_to(self, state: RoomState) -> bool:
        state.set_handraise(self.is_enabled, self.handraise_permission)
        return True


@attrs.frozen(kw_only=True)
class HandRaised(ServiceEvent):
    """``raise_hands``: a listener raised a hand (seen by speakers and moderators)."""

    action = "raise_hands"
    user: RoomUser

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(user=payload.user(), **payload.envelope)

    def apply_to(self, state: RoomState) -> bool:
        state.raise_hand(self.user)
        return True


@attrs.frozen(kw_only=True)
class HandLowered(ServiceEvent):
    """``unraise_hands``: a listener lowered their hand."""

    action = "unraise_hands"
    user_id: int
    """Who lowered their hand."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(user_id=payload.user_id(), **payload.envelope)

    def apply_to(self, state: RoomState) -> bool:
        return state.lower_hand(self.user_id)


@attrs.frozen(kw_only=True)
class SpeakerCallStatusChanged(ServiceEvent):
    """``update_speaker_call_status``: a speaker's phone call started or ended."""

    action = "update_speaker_call_status"
    user_id: int
    """The speaker whose call changed."""
    is_on_call: bool
    """Whether they are on a phone call now."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(
            is_on_call=payload.flag("is_on_call"), user_id=payload.user_id(), **payload.envelope
        )

    def apply_to(self, state: RoomState) -> bool:
        return state.change_user(self.user_id, is_on_call=self.is_on_call)


# -- invitations to speak (sent to one user) -----------------------------------------------


@attrs.frozen(kw_only=True)
class SpeakerInvited(ServiceEvent):
    """``invite_speaker``: a moderator invites you on stage; answer with
    ``accept_speaker_invite(from_user_id)``."""

    action = "invite_speaker"
    from_user_id: int
    from_name: str | None = None
    """The inviting moderator's name, if the message says."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(
            from_user_id=payload.required_number("from_user_id"),
            from_name=payload.text("from_name"),
            **payload.envelope,
        )

    def apply_to(self, state: RoomState) -> bool:
        return state.change_user(state.me, is_invited_as_speaker=True)


@attrs.frozen(kw_only=True)
class SpeakerUninvited(ServiceEvent):
    """``uninvite_speaker``: the invitation was withdrawn, or you were moved off stage."""

    action = "uninvite_speaker"
    from_user_id: int | None = None
    """The moderator who did it, if the message says."""
    from_name: str | None = None
    """Their name, if the message says."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(
            from_user_id=payload.number("from_user_id"),
            from_name=payload.text("from_name"),
            **payload.envelope,
        )

    def apply_to(self, state: RoomState) -> bool:
        return state.change_user(state.me, is_invited_as_speaker=False)


@attrs.frozen(kw_only=True)
class SpeakerInviteAccepted(ServiceEvent):
    """``accept_speaker_invite``: someone you invited came on stage (sent to the inviter)."""

    action = "accept_speaker_invite"
    user_id: int | None = None
    """Who came on stage, if the message says."""
    from_name: str | None = None
    """Their name, if the message says."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        user_id = payload.number("user_id")
        if user_id is None:
            user_id = payload.number("from_user_id")
        return cls(user_id=user_id, from_name=payload.text("from_name"), **payload.envelope)


@attrs.frozen(kw_only=True)
class SpeakerInviteRejected(ServiceEvent):
    """``reject_speaker_invite``: someone you invited declined (sent to the inviter)."""

    action = "reject_speaker_invite"
    user_id: int
    """Who declined."""
    from_name: str | None = None
    """Their name, if the message says."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        user_id = payload.number("user_id")
        if user_id is None:
            user_id = payload.number("from_user_id")
        if user_id is None:
            raise MissingField("user_id")
        return cls(user_id=user_id, from_name=payload.text("from_name"), **payload.envelope)


@attrs.frozen(kw_only=True)
class Muted(ServiceEvent):
    """``mute_speaker``: a moderator muted you."""

    action = "mute_speaker"
    from_user_id: int | None = None
    """The moderator who muted you, if the message says."""
    from_name: str | None = None
    """Their name, if the message says."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(
            from_user_id=payload.number("from_user_id"),
            from_name=payload.text("from_name"),
            **payload.envelope,
        )

    def apply_to(self, state: RoomState) -> bool:
        return state.change_user(state.me, is_muted=True)


# -- invitations to a new room (on users.<you>) --------------------------------------------


@attrs.frozen(kw_only=True)
class NewRoomInvite(ServiceEvent):
    """``invite_to_new_channel``: answer with ``accept_new_channel_invite(channel_invite_id)``."""

    action = "invite_to_new_channel"
    from_user_id: int | None = None
    """Who invited you, if the message says."""
    from_name: str | None = None
    """Their name, if the message says."""
    channel_invite_id: int
    """The invitation, for ``accept_new_channel_invite``."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(
            channel_invite_id=payload.required_number("channel_invite_id"),
            from_user_id=payload.number("from_user_id"),
            from_name=payload.text("from_name"),
            **payload.envelope,
        )


@attrs.frozen(kw_only=True)
class _InviteAnswer(ServiceEvent):
    """The fields of the three answers to a new-room invitation."""

    channel_invite_id: int | None = None
    """The invitation (a ``NewRoomInvite``'s), if the message says."""
    from_user_id: int | None = None
    """Who answered or cancelled it, if the message says."""
    from_name: str | None = None
    """Their name, if the message says."""

    @classmethod
    def parse(cls, payload: Payload) -> Self:
        return cls(
            channel_invite_id=payload.number("channel_invite_id"),
            from_user_id=payload.number("from_user_id"),
            from_name=payload.text("from_name"),
            **payload.envelope,
        )


@attrs.frozen(kw_only=True)
class NewRoomInviteAccepted(_InviteAnswer):
    """``accept_new_channel_invite``: your invitation was accepted; ``channel`` is the room."""

    action = "accept_new_channel_invite"


@attrs.frozen(kw_only=True)
class NewRoomInviteRejected(_InviteAnswer):
    """``reject_new_channel_invite``."""

    action = "reject_new_channel_invite"


@attrs.frozen(kw_only=True)
class NewRoomInviteCancelled(_InviteAnswer):
    """``cancel_new_channel_invite``."""

    action = "cancel_new_channel_invite"


# -- anything else -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class UnknownEvent(RoomEvent):
    """A message this SDK does not understand; ``raw`` has all of it.

    ``problem`` is set when the action is known but a field it needs is missing or
    unreadable.
    """

    action: str | None = None
    problem: str | None = None


# -- lifecycle (made by the SDK) -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class Connected(RoomEvent):
    """The realtime subscription is live: every event from now on will be delivered."""


@attrs.frozen(kw_only=True)
class Reconnecting(RoomEvent):
    """The realtime link failed; it retries by itself (``attempt`` counts failures)."""

    attempt: int
    error: str | None = None
    """Why the link failed (no secrets)."""


@attrs.frozen(kw_only=True)
class Reconnected(RoomEvent):
    """The realtime link is back; events missed meanwhile follow, none twice."""


class LeaveReason(enum.Enum):
    """Why a room was left."""

    USER = "user"
    """The program left (``room.leave()`` or the end of ``async with``)."""
    ENDED = "ended"
    """The room ended (``end_channel``), or the service says it is no longer available."""
    REMOVED = "removed"
    """A moderator removed you (``remove_from_channel``)."""
    SELF_LEFT = "self_left"
    """The service announced that you left (another device, or a keepalive timeout)."""
    SHOULD_LEAVE = "should_leave"
    """``active_ping`` or ``get_channel`` answered ``should_leave: true``."""
    REALTIME_ERROR = "realtime_error"
    """The realtime service refused the subscription (the room's token is no longer valid)."""
    SESSION_CLOSED = "session_closed"
    """The API session was closed (rooms still open are left first)."""


@attrs.frozen(kw_only=True)
class Left(RoomEvent):
    """The last event of a room: it was left, and why."""

    reason: LeaveReason
    """Why the room was left."""
    error: str | None = None
    """What went wrong, for the reasons that are failures."""


# -- what was said (made by the SDK from the room's audio) ---------------------------------


@attrs.frozen(kw_only=True)
class SpeechTranscribed(RoomEvent):
    """Someone in the room said ``text``: one finished segment of the live transcript.

    Made in a room joined with ``audio=`` and ``transcriber=``.  The speaker is
    ``user_id`` (their Agora uid: the room joins Agora with user ids as uids), named
    ``name`` as the live roster had them when the segment was finished (None when
    they were not in it); ``start`` and ``end`` are seconds on the audio channel's
    timeline (the backend's frame timestamps); ``confidence`` is the recognizer's,
    0 to 1.
    """

    user_id: int
    name: str | None = None
    start: float
    end: float
    text: str
    confidence: float

    @property
    def segment(self) -> Segment:
        """The transcript segment, e.g. for :func:`~aioclubhouse.rooms.audio.write_transcript`."""
        return Segment(
            uid=self.user_id,
            start=self.start,
            end=self.end,
            text=self.text,
            confidence=self.confidence,
        )


# -- parsing -------------------------------------------------------------------------------


def room_of_pubnub_channel(pubnub_channel: str | None) -> str | None:
    """The room a PubNub channel belongs to (``channel_all.X`` -> ``X``); None for
    ``users.<id>``."""
    if not pubnub_channel:
        return None
    kind, _, rest = pubnub_channel.partition(".")
    if kind in ("channel_all", "channel_speakers"):
        return rest or None
    if kind == "channel_user":
        room, _, _ = rest.rpartition(".")
        return room or None
    return None


def apply_event(state: RoomState, event: RoomEvent) -> RoomEvent:
    """``event`` after applying it to ``state``; one that cannot be applied is handed
    out as an :class:`UnknownEvent` naming the problem, and costs no other event."""
    try:
        state.apply(event)
    except Exception as exc:
        log.warning(
            "a realtime %s event could not be applied (%s)",
            type(event).__name__,
            type(exc).__name__,
        )
        return UnknownEvent(
            action=getattr(event, "action", None),
            problem=f"not applied ({type(exc).__name__})",
            channel=event.channel,
            pubnub_channel=event.pubnub_channel,
            timetoken=event.timetoken,
            raw=event.raw,
        )
    return event


def owner_of_pubnub_channel(pubnub_channel: str | None) -> int | None:
    """The user a per-user channel belongs to (``channel_user.X.7`` and ``users.7`` ->
    7); None for the room-wide channels."""
    if not pubnub_channel:
        return None
    kind, _, rest = pubnub_channel.partition(".")
    if kind == "channel_user":
        _, _, rest = rest.rpartition(".")
    elif kind != "users":
        return None
    owner = wire_int(rest)
    return owner if owner is not None and owner >= 0 and rest.isdigit() else None


def parse_message(
    payload: Any, *, pubnub_channel: str | None = None, timetoken: int = 0
) -> RoomEvent:
    """The typed event for one realtime message; never raises."""
    if type(payload) is dict or isinstance(payload, Mapping):
        raw: dict[str, Any] = dict(payload)
    else:
        raw = {"payload": payload}
    channel = raw.get("channel")
    envelope: dict[str, Any] = {
        "channel": (channel if isinstance(channel, str) else None)
        or room_of_pubnub_channel(pubnub_channel),
        "pubnub_channel": pubnub_channel,
        "timetoken": timetoken,
        "raw": raw,
    }
    action = raw.get("action")
    if not isinstance(action, str):
        return UnknownEvent(**envelope)
    event_class = _ACTIONS.get(action)
    if event_class is None:
        return UnknownEvent(action=action, **envelope)
    try:
        return event_class.parse(Payload(raw, envelope))
    except MissingField as missing:
        problem = f"missing {missing.args[0]}"
    except Exception as exc:  # a value the parser did not expect: kept, never lost
        problem = f"unreadable ({type(exc).__name__})"
        log.warning("realtime %s message could not be read (%s)", action, type(exc).__name__)
    return UnknownEvent(action=action, problem=problem, **envelope)
