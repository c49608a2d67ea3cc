"""Typed room and user events, and the parser that turns PubNub messages into them.

Every realtime message carries an ``action`` (PROTOCOL.md C.3).  Each known action
has its own frozen class here; anything else becomes :class:`UnknownEvent`, so
nothing the service sends is ever dropped.  Parsing is lenient like the most careful
public client: a user id may sit at the top level or inside ``user_profile``, names
may be missing, numbers may be strings.  A known action whose essential field is
missing also becomes an :class:`UnknownEvent` (with ``problem`` saying what).

Lifecycle events (:class:`Connected`, :class:`Reconnecting`, :class:`Reconnected`,
:class:`Left`) come from the SDK itself, not from the service.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..coerce import wire_bool, wire_int
from ..errors import DecodeError
from ..models.converter import structure
from ..models.rooms import HandraisePermission, RoomUser

__all__ = [
    "ACTIONS",
    "Connected",
    "HandLowered",
    "HandRaised",
    "HandraiseSettingsChanged",
    "LeaveReason",
    "Left",
    "ModeratorAdded",
    "Muted",
    "NewRoomInvite",
    "NewRoomInviteAccepted",
    "NewRoomInviteCancelled",
    "NewRoomInviteRejected",
    "Reconnected",
    "Reconnecting",
    "RemovedFromRoom",
    "RoomEnded",
    "RoomEvent",
    "RoomMadePublic",
    "RoomMadeSocial",
    "SpeakerAdded",
    "SpeakerCallStatusChanged",
    "SpeakerInviteAccepted",
    "SpeakerInviteRejected",
    "SpeakerInvited",
    "SpeakerRemoved",
    "SpeakerUninvited",
    "UnknownEvent",
    "UserJoined",
    "UserLeft",
    "WelcomeRoomRejected",
    "parse_message",
    "room_of_pubnub_channel",
]


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


# -- people coming and going ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class UserJoined(RoomEvent):
    """``join_channel``: someone entered the room."""

    user: RoomUser


@attrs.frozen(kw_only=True)
class UserLeft(RoomEvent):
    """``leave_channel``: someone left (or was dropped, or removed)."""

    user_id: int


@attrs.frozen(kw_only=True)
class RemovedFromRoom(RoomEvent):
    """``remove_from_channel``: a moderator removed ``user_id`` (sent to that user)."""

    user_id: int
    from_user_id: int | None = None
    from_name: str | None = None


@attrs.frozen(kw_only=True)
class RoomEnded(RoomEvent):
    """``end_channel``: the room is over."""


@attrs.frozen(kw_only=True)
class RoomMadePublic(RoomEvent):
    """``make_channel_public``."""


@attrs.frozen(kw_only=True)
class RoomMadeSocial(RoomEvent):
    """``make_channel_social``."""


@attrs.frozen(kw_only=True)
class WelcomeRoomRejected(RoomEvent):
    """``reject_welcome_channel``: the newcomer declined their welcome room."""

    user: RoomUser


# -- the stage -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SpeakerAdded(RoomEvent):
    """``add_speaker``: ``user`` is now on stage."""

    user: RoomUser


@attrs.frozen(kw_only=True)
class SpeakerRemoved(RoomEvent):
    """``remove_speaker``: ``user_id`` went back to the audience."""

    user_id: int


@attrs.frozen(kw_only=True)
class ModeratorAdded(RoomEvent):
    """``make_moderator``: ``user_id`` is now a moderator."""

    user_id: int


@attrs.frozen(kw_only=True)
class HandraiseSettingsChanged(RoomEvent):
    """``change_handraise_settings``: who may raise a hand now."""

    is_enabled: bool
    handraise_permission: HandraisePermission | int | None = None


@attrs.frozen(kw_only=True)
class HandRaised(RoomEvent):
    """``raise_hands``: a listener raised a hand (seen by speakers and moderators)."""

    user: RoomUser


@attrs.frozen(kw_only=True)
class HandLowered(RoomEvent):
    """``unraise_hands``: a listener lowered their hand."""

    user_id: int


@attrs.frozen(kw_only=True)
class SpeakerCallStatusChanged(RoomEvent):
    """``update_speaker_call_status``: a speaker's phone call started or ended."""

    user_id: int
    is_on_call: bool


# -- invitations to speak (sent to one user) -----------------------------------------------


@attrs.frozen(kw_only=True)
class SpeakerInvited(RoomEvent):
    """``invite_speaker``: a moderator invites you on stage; answer with
    ``accept_speaker_invite(from_user_id)``."""

    from_user_id: int
    from_name: str | None = None


@attrs.frozen(kw_only=True)
class SpeakerUninvited(RoomEvent):
    """``uninvite_speaker``: the invitation was withdrawn, or you were moved off stage."""

    from_user_id: int | None = None
    from_name: str | None = None


@attrs.frozen(kw_only=True)
class SpeakerInviteAccepted(RoomEvent):
    """``accept_speaker_invite``: someone you invited came on stage (sent to the inviter)."""

    user_id: int | None = None
    from_name: str | None = None


@attrs.frozen(kw_only=True)
class SpeakerInviteRejected(RoomEvent):
    """``reject_speaker_invite``: someone you invited declined (sent to the inviter)."""

    user_id: int
    from_name: str | None = None


@attrs.frozen(kw_only=True)
class Muted(RoomEvent):
    """``mute_speaker``: a moderator muted you."""

    from_user_id: int | None = None
    from_name: str | None = None


# -- invitations to a new room (on users.<you>) --------------------------------------------


@attrs.frozen(kw_only=True)
class NewRoomInvite(RoomEvent):
    """``invite_to_new_channel``: answer with ``accept_new_channel_invite(channel_invite_id)``."""

    from_user_id: int | None = None
    from_name: str | None = None
    channel_invite_id: int


@attrs.frozen(kw_only=True)
class NewRoomInviteAccepted(RoomEvent):
    """``accept_new_channel_invite``: your invitation was accepted; ``channel`` is the room."""

    channel_invite_id: int | None = None
    from_user_id: int | None = None
    from_name: str | None = None


@attrs.frozen(kw_only=True)
class NewRoomInviteRejected(RoomEvent):
    """``reject_new_channel_invite``."""

    channel_invite_id: int | None = None
    from_user_id: int | None = None
    from_name: str | None = None


@attrs.frozen(kw_only=True)
class NewRoomInviteCancelled(RoomEvent):
    """``cancel_new_channel_invite``."""

    channel_invite_id: int | None = None
    from_user_id: int | None = None
    from_name: str | None = None


@attrs.frozen(kw_only=True)
class UnknownEvent(RoomEvent):
    """A message this SDK does not understand; ``raw`` has all of it.

    ``problem`` is set when the action is known but a field it needs is missing.
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
    """The API session was closed under the room."""


@attrs.frozen(kw_only=True)
class Left(RoomEvent):
    """The last event of a room: it was left, and why."""

    reason: LeaveReason
    error: str | None = None


# -- parsing -------------------------------------------------------------------------------


class _Missing(Exception):
    """A field an action needs is absent or unusable."""


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _profile(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    profile = payload.get("user_profile")
    return profile if isinstance(profile, Mapping) else {}


def _user_id(payload: Mapping[str, Any], key: str = "user_id") -> int:
    """``user_id`` at the top level, else inside ``user_profile``."""
    value = wire_int(payload.get(key))
    if value is None:
        value = wire_int(_profile(payload).get("user_id"))
    if value is None:
        raise _Missing(key)
    return value


def _user(payload: Mapping[str, Any]) -> RoomUser:
    """The ``user_profile`` as a RoomUser, or a bare one from a top-level ``user_id``."""
    user_id = _user_id(payload)
    profile = _profile(payload)
    if profile:
        try:
            return structure({**profile, "user_id": user_id}, RoomUser)
        except DecodeError:
            pass
    return RoomUser(user_id=user_id)


def _permission(value: Any) -> HandraisePermission | int | None:
    number = wire_int(value)
    if number is None:
        return None
    try:
        return HandraisePermission(number)
    except ValueError:
        return number


def _from(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "from_user_id": wire_int(payload.get("from_user_id")),
        "from_name": _str(payload.get("from_name")),
    }


def _required_from(payload: Mapping[str, Any]) -> dict[str, Any]:
    fields = _from(payload)
    if fields["from_user_id"] is None:
        raise _Missing("from_user_id")
    return fields


def _invite_id(payload: Mapping[str, Any]) -> int | None:
    return wire_int(payload.get("channel_invite_id"))


def _handraise(payload: Mapping[str, Any]) -> dict[str, Any]:
    enabled = wire_bool(payload.get("is_enabled"))
    if enabled is None:
        raise _Missing("is_enabled")
    return {
        "is_enabled": enabled,
        "handraise_permission": _permission(payload.get("handraise_permission")),
    }


def _call_status(payload: Mapping[str, Any]) -> dict[str, Any]:
    on_call = wire_bool(payload.get("is_on_call"))
    if on_call is None:
        raise _Missing("is_on_call")
    return {"user_id": _user_id(payload), "is_on_call": on_call}


def _new_invite(payload: Mapping[str, Any]) -> dict[str, Any]:
    invite_id = _invite_id(payload)
    if invite_id is None:
        raise _Missing("channel_invite_id")
    return {"channel_invite_id": invite_id, **_from(payload)}


def _invite_answer(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {"channel_invite_id": _invite_id(payload), **_from(payload)}


def _speaker_answer(payload: Mapping[str, Any], *, required: bool) -> dict[str, Any]:
    user_id = wire_int(payload.get("user_id"))
    if user_id is None:
        user_id = wire_int(payload.get("from_user_id"))
    if user_id is None and required:
        raise _Missing("user_id")
    return {"user_id": user_id, "from_name": _str(payload.get("from_name"))}


Builder = Callable[[Mapping[str, Any]], dict[str, Any]]

ACTIONS: Mapping[str, tuple[type[RoomEvent], Builder]] = {
    "join_channel": (UserJoined, lambda p: {"user": _user(p)}),
    "leave_channel": (UserLeft, lambda p: {"user_id": _user_id(p)}),
    "add_speaker": (SpeakerAdded, lambda p: {"user": _user(p)}),
    "remove_speaker": (SpeakerRemoved, lambda p: {"user_id": _user_id(p)}),
    "end_channel": (RoomEnded, lambda p: {}),
    "make_channel_public": (RoomMadePublic, lambda p: {}),
    "make_channel_social": (RoomMadeSocial, lambda p: {}),
    "reject_welcome_channel": (WelcomeRoomRejected, lambda p: {"user": _user(p)}),
    "make_moderator": (ModeratorAdded, lambda p: {"user_id": _user_id(p)}),
    "change_handraise_settings": (HandraiseSettingsChanged, _handraise),
    "raise_hands": (HandRaised, lambda p: {"user": _user(p)}),
    "unraise_hands": (HandLowered, lambda p: {"user_id": _user_id(p)}),
    "invite_speaker": (SpeakerInvited, _required_from),
    "uninvite_speaker": (SpeakerUninvited, _from),
    "accept_speaker_invite": (
        SpeakerInviteAccepted,
        lambda p: _speaker_answer(p, required=False),
    ),
    "reject_speaker_invite": (
        SpeakerInviteRejected,
        lambda p: _speaker_answer(p, required=True),
    ),
    "remove_from_channel": (RemovedFromRoom, lambda p: {"user_id": _user_id(p), **_from(p)}),
    "mute_speaker": (Muted, _from),
    "invite_to_new_channel": (NewRoomInvite, _new_invite),
    "accept_new_channel_invite": (NewRoomInviteAccepted, _invite_answer),
    "reject_new_channel_invite": (NewRoomInviteRejected, _invite_answer),
    "cancel_new_channel_invite": (NewRoomInviteCancelled, _invite_answer),
    "update_speaker_call_status": (SpeakerCallStatusChanged, _call_status),
}
"""Every action the SDK understands: its event class and how to read its fields."""


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


def parse_message(
    payload: Any, *, pubnub_channel: str | None = None, timetoken: int = 0
) -> RoomEvent:
    """The typed event for one realtime message; never raises."""
    raw: dict[str, Any] = dict(payload) if isinstance(payload, Mapping) else {"payload": payload}
    channel = _str(raw.get("channel")) or room_of_pubnub_channel(pubnub_channel)
    common: dict[str, Any] = {
        "channel": channel,
        "pubnub_channel": pubnub_channel,
        "timetoken": timetoken,
        "raw": raw,
    }
    action = _str(raw.get("action"))
    known = ACTIONS.get(action) if action is not None else None
    if known is None:
        return UnknownEvent(action=action, **common)
    event_class, read_fields = known
    try:
        return event_class(**common, **read_fields(raw))
    except _Missing as missing:
        return UnknownEvent(action=action, problem=f"missing {missing.args[0]}", **common)
