"""The realtime messages a room mutation sends, all in one table.

Clients subscribe to four kinds of PubNub channel for a room (docs/protocol.md C.2) and
pick the message class by the channel name, so each action must go to the right one
with the fields the apps read (C.3).  Every message is a JSON object whose ``action``
names what happened; every room-bound message also carries ``channel`` because
several clients drop messages about another room.

==========================  ===========================  =================================
action                      PubNub channel               fields besides ``action``
==========================  ===========================  =================================
join_channel                channel_all.<ch>             channel, user_profile
leave_channel               channel_all.<ch>             channel, user_id
add_speaker                 channel_all.<ch>             channel, user_profile
remove_speaker              channel_all.<ch>             channel, user_id
end_channel                 channel_all.<ch>             channel
make_channel_public         channel_all.<ch>             channel
make_channel_social         channel_all.<ch>             channel
reject_welcome_channel      channel_all.<ch>             channel, user_profile
make_moderator              channel_all.<ch>             channel, user_id
change_handraise_settings   channel_all.<ch>             channel, is_enabled,
                                                         handraise_permission
update_speaker_call_status  channel_all.<ch>             channel, user_id, is_on_call
raise_hands                 channel_speakers.<ch>        channel, user_id, user_profile
unraise_hands               channel_speakers.<ch>        channel, user_id
invite_speaker              channel_user.<ch>.<invitee>  channel, from_user_id, from_name
uninvite_speaker            channel_user.<ch>.<invitee>  channel, from_user_id, from_name
mute_speaker                channel_user.<ch>.<muted>    channel, from_user_id, from_name
remove_from_channel         channel_user.<ch>.<removed>  channel, user_id, from_user_id,
                                                         from_name
accept_speaker_invite       channel_user.<ch>.<inviter>  channel, user_id, from_user_id,
                                                         from_name
reject_speaker_invite       channel_user.<ch>.<inviter>  channel, user_id, from_user_id,
                                                         from_name
invite_to_new_channel       users.<invitee>              from_user_id, from_name,
                                                         channel_invite_id
accept_new_channel_invite   users.<inviter>              channel, channel_invite_id,
                                                         from_user_id, from_name
reject_new_channel_invite   users.<inviter>              channel_invite_id, from_user_id,
                                                         from_name
cancel_new_channel_invite   users.<invitee>              channel_invite_id, from_user_id,
                                                         from_name
==========================  ===========================  =================================

``user_profile`` is always the room-user shape (`shapes.room_user`).  ``from_user_id``
/ ``from_name`` name whoever did the thing; in the two answers to a speaker invite
(sent to the inviter) they and ``user_id`` name the invitee who answered.  Some
mutations send two messages: accepting a speaker invite also sends ``add_speaker``,
and removing someone also sends ``leave_channel`` so everyone else drops them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Protocol

import attrs


class Audience(enum.Enum):
    """Which PubNub channel of a room (or of a user) a message goes to."""

    ROOM = "channel_all.{channel}"
    SPEAKERS = "channel_speakers.{channel}"
    ROOM_USER = "channel_user.{channel}.{user_id}"
    USER = "users.{user_id}"


def pubnub_channel(audience: Audience, *, channel: str | None, user_id: int | None) -> str:
    """The PubNub channel name for `audience` in room `channel` / for `user_id`."""
    return audience.value.format(channel=channel, user_id=user_id)


def room_channels(channel: str, user_id: int) -> list[str]:
    """Every PubNub channel a member of room `channel` may read."""
    return [
        pubnub_channel(Audience.ROOM, channel=channel, user_id=user_id),
        pubnub_channel(Audience.ROOM_USER, channel=channel, user_id=user_id),
        pubnub_channel(Audience.SPEAKERS, channel=channel, user_id=user_id),
        pubnub_channel(Audience.USER, channel=channel, user_id=user_id),
    ]


@attrs.frozen(kw_only=True)
class ActionSpec:
    audience: Audience
    fields: frozenset[str]


def _spec(audience: Audience, *fields: str) -> ActionSpec:
    return ActionSpec(audience=audience, fields=frozenset(fields))


_ROOM, _SPEAKERS, _ROOM_USER, _USER = (
    Audience.ROOM,
    Audience.SPEAKERS,
    Audience.ROOM_USER,
    Audience.USER,
)
_FROM = ("from_user_id", "from_name")

ACTIONS: Mapping[str, ActionSpec] = MappingProxyType(
    {
        "join_channel": _spec(_ROOM, "channel", "user_profile"),
        "leave_channel": _spec(_ROOM, "channel", "user_id"),
        "add_speaker": _spec(_ROOM, "channel", "user_profile"),
        "remove_speaker": _spec(_ROOM, "channel", "user_id"),
        "end_channel": _spec(_ROOM, "channel"),
        "make_channel_public": _spec(_ROOM, "channel"),
        "make_channel_social": _spec(_ROOM, "channel"),
        "reject_welcome_channel": _spec(_ROOM, "channel", "user_profile"),
        "make_moderator": _spec(_ROOM, "channel", "user_id"),
        "change_handraise_settings": _spec(_ROOM, "channel", "is_enabled", "handraise_permission"),
        "update_speaker_call_status": _spec(_ROOM, "channel", "user_id", "is_on_call"),
        "raise_hands": _spec(_SPEAKERS, "channel", "user_id", "user_profile"),
        "unraise_hands": _spec(_SPEAKERS, "channel", "user_id"),
        "invite_speaker": _spec(_ROOM_USER, "channel", *_FROM),
        "uninvite_speaker": _spec(_ROOM_USER, "channel", *_FROM),
        "mute_speaker": _spec(_ROOM_USER, "channel", *_FROM),
        "remove_from_channel": _spec(_ROOM_USER, "channel", "user_id", *_FROM),
        "accept_speaker_invite": _spec(_ROOM_USER, "channel", "user_id", *_FROM),
        "reject_speaker_invite": _spec(_ROOM_USER, "channel", "user_id", *_FROM),
        "invite_to_new_channel": _spec(_USER, "channel_invite_id", *_FROM),
        "accept_new_channel_invite": _spec(_USER, "channel", "channel_invite_id", *_FROM),
        "reject_new_channel_invite": _spec(_USER, "channel_invite_id", *_FROM),
        "cancel_new_channel_invite": _spec(_USER, "channel_invite_id", *_FROM),
    }
)


class Publisher(Protocol):
    """The part of the PubNub hub that stores and delivers messages."""

    def publish(
        self, channel: str, message: dict[str, Any], *, publisher: str | None = None
    ) -> int: ...


class Announcer:
    """Sends action messages through the hub, checking each against `ACTIONS`."""

    def __init__(self, hub: Publisher) -> None:
        self._hub = hub

    def send(
        self,
        action: str,
        *,
        room: str | None = None,
        to_user: int | None = None,
        **fields: Any,
    ) -> int:
        """Publish `action` for room `room` (and/or to user `to_user`); return its timetoken.

        A field set that differs from the table is a programming error and raises.
        """
        spec = ACTIONS[action]
        if set(fields) != spec.fields:
            raise ValueError(f"{action} takes {sorted(spec.fields)}, got {sorted(fields)}")
        needs_room = spec.audience is not Audience.USER
        needs_user = spec.audience in (Audience.ROOM_USER, Audience.USER)
        if (needs_room and room is None) or (needs_user and to_user is None):
            raise ValueError(f"{action} goes to {spec.audience.value}: say where")
        target = pubnub_channel(spec.audience, channel=room, user_id=to_user)
        return self._hub.publish(target, {"action": action, **fields})
