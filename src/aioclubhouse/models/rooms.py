"""Rooms ("channels"): the feed, a room's state, and the tokens a join hands out.

A room is named by its ``channel`` string (``"abcdefgh"``, the last part of its
URL); ``channel_id`` is a numeric id the service also sends. The models follow the
shapes of the official app (``BaseChannelInRoom``, ``ChannelInRoomWithAccess``) and
the public OpenAPI examples. Token fields are secrets and stay out of ``repr``.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from .base import IdentifiedModel, Model
from .clubs import Club
from .scheduled_events import Event
from .users import UserShort

__all__ = [
    "DEFAULT_PUBNUB_ORIGIN",
    "AcceptSpeakerInviteResult",
    "AcceptedNewChannelInvite",
    "ActivePingResult",
    "BaseChannel",
    "Channel",
    "ChannelInFeed",
    "ChannelLink",
    "ChannelMessage",
    "ChannelMessages",
    "ChannelsFeed",
    "CreateChannelTargets",
    "ExistingChannelInviteResult",
    "Feed",
    "FeedItem",
    "HandraisePermission",
    "JoinChannelResult",
    "NewChannelInvite",
    "RoomUser",
    "SuggestedSpeakers",
    "WelcomeChannel",
]

# Where PubNub lives when a join answer leaves ``pubnub_origin`` null.
DEFAULT_PUBNUB_ORIGIN = "clubhouse.pubnub.com"


class HandraisePermission(enum.IntEnum):
    """Who may raise a hand in a room (``change_handraise_settings``)."""

    OFF = 0
    ALL = 1
    FOLLOWED_BY_SPEAKERS = 2
    CLUB_MEMBERS = 3


@attrs.define(kw_only=True, eq=False)
class RoomUser(IdentifiedModel):
    """A person in a room, with their role there. Equal by ``user_id``.

    The service spells the emoji skin tone ``skintone``; some payloads use
    ``skin_tone``. Either fills :attr:`skintone`.
    """

    entity = "room-user"
    id_field = "user_id"

    user_id: int
    name: str | None = None
    username: str | None = None
    photo_url: str | None = None
    first_name: str | None = None
    skintone: int | None = None
    skin_tone: int | None = attrs.field(default=None, repr=False)
    is_new: bool = False
    bio_short: str | None = None
    is_speaker: bool = False
    is_moderator: bool = False
    time_joined_as_speaker: dt.datetime | None = None
    is_followed_by_speaker: bool = False
    is_invited_as_speaker: bool = False
    is_muted: bool | None = None
    is_on_call: bool | None = None

    def __attrs_post_init__(self) -> None:
        if self.skintone is None:
            self.skintone = self.skin_tone
        self.skin_tone = self.skintone


@attrs.define(kw_only=True)
class ChannelLink(Model):
    """A link pinned in a room (``add_channel_link``); ``link_id`` removes it."""

    link_id: str | None = None
    link: str | None = None
    url: str | None = None
    title: str | None = None


@attrs.define(kw_only=True, eq=False)
class BaseChannel(IdentifiedModel):
    """What every room shape shares. Rooms are equal when their ``channel`` names are."""

    entity = "channel"
    id_field = "channel"

    channel: str
    channel_id: int | None = None
    topic: str | None = None
    url: str | None = None
    is_private: bool = False
    is_social_mode: bool = False
    creator_user_profile_id: int | None = None
    club: Club | None = None
    club_id: int | None = None
    club_name: str | None = None
    welcome_for_user_profile: UserShort | None = None
    users: list[RoomUser] = attrs.field(factory=list)

    @property
    def speakers(self) -> list[RoomUser]:
        """The users on stage (moderators included)."""
        return [user for user in self.users if user.is_speaker]

    @property
    def listeners(self) -> list[RoomUser]:
        """The users in the audience."""
        return [user for user in self.users if not user.is_speaker]

    @property
    def moderators(self) -> list[RoomUser]:
        return [user for user in self.users if user.is_moderator]

    def user(self, user_id: int) -> RoomUser | None:
        """The room's user with this id, if present."""
        return next((user for user in self.users if user.user_id == user_id), None)


@attrs.define(kw_only=True, eq=False)
class ChannelInFeed(BaseChannel):
    """A room as the hallway lists it: counts and the first few users only."""

    num_all: int = 0
    num_speakers: int = 0
    num_other: int = 0
    has_blocked_speakers: bool = False
    is_explore_channel: bool = False


@attrs.define(kw_only=True, eq=False)
class Channel(BaseChannel):
    """A room from inside (``get_channel``): everyone present and the room's settings.

    ``should_leave`` set by the service means the caller is no longer in the room.
    """

    is_handraise_enabled: bool = False
    handraise_permission: int | None = None
    is_club_member: bool = False
    is_club_admin: bool = False
    should_leave: bool = False
    is_empty: bool = False
    links: list[ChannelLink] = attrs.field(factory=list)
    success: bool = True


@attrs.define(kw_only=True, eq=False)
class JoinChannelResult(Channel):
    """The answer of ``join_channel`` and ``create_channel``: the room plus its keys.

    ``token`` is the Agora RTC token, ``pubnub_token`` the PubNub auth key, both valid
    for this room only. A null ``pubnub_origin`` means :data:`DEFAULT_PUBNUB_ORIGIN`.
    """

    token: str | None = attrs.field(default=None, repr=False)
    rtm_token: str | None = attrs.field(default=None, repr=False)
    pubnub_token: str | None = attrs.field(default=None, repr=False)
    pubnub_origin: str | None = None
    pubnub_heartbeat_value: int | None = None
    pubnub_heartbeat_interval: int | None = None
    pubnub_enable: bool = True
    agora_native_mute: bool = False
    feature_flags: Any = None

    @property
    def pubnub_host(self) -> str:
        """The PubNub origin to connect to, with the usual fallback for null."""
        return self.pubnub_origin or DEFAULT_PUBNUB_ORIGIN


@attrs.define(kw_only=True)
class AcceptSpeakerInviteResult(Model):
    """The answer of ``accept_speaker_invite``: fresh keys for speaking in the room."""

    token: str | None = attrs.field(default=None, repr=False)
    rtm_token: str | None = attrs.field(default=None, repr=False)
    pubnub_token: str | None = attrs.field(default=None, repr=False)
    pubnub_origin: str | None = None
    pubnub_heartbeat_value: int | None = None
    pubnub_heartbeat_interval: int | None = None
    success: bool = True

    @property
    def pubnub_host(self) -> str:
        """The PubNub origin to connect to, with the usual fallback for null."""
        return self.pubnub_origin or DEFAULT_PUBNUB_ORIGIN


@attrs.define(kw_only=True)
class ActivePingResult(Model):
    """The answer of ``active_ping``; ``should_leave`` asks the client to leave."""

    should_leave: bool = False
    success: bool = True


@attrs.define(kw_only=True)
class ChannelsFeed(Model):
    """The answer of ``get_channels``: the hallway's rooms and upcoming events."""

    channels: list[ChannelInFeed] = attrs.field(factory=list)
    events: list[Event] = attrs.field(factory=list)
    featured_events: list[Event] = attrs.field(factory=list)
    success: bool = True


@attrs.define(kw_only=True)
class FeedItem(Model):
    """One entry of ``get_feed``; entries that are not rooms keep their data in ``raw``."""

    channel: ChannelInFeed | None = None
    event: Event | None = None


@attrs.define(kw_only=True)
class Feed(Model):
    """The answer of ``get_feed``."""

    items: list[FeedItem] = attrs.field(factory=list)
    success: bool = True

    @property
    def channels(self) -> list[ChannelInFeed]:
        """The rooms among the feed's items, in order."""
        return [item.channel for item in self.items if item.channel is not None]


@attrs.define(kw_only=True)
class CreateChannelTargets(Model):
    """Where the caller may start a room: their clubs and their events."""

    clubs: list[Club] = attrs.field(factory=list)
    events: list[Event] = attrs.field(factory=list)
    success: bool = True


@attrs.define(kw_only=True)
class SuggestedSpeakers(Model):
    """Users and clubs suggested when starting a private room."""

    users: list[UserShort] = attrs.field(factory=list)
    clubs: list[Club] = attrs.field(factory=list)
    count: int | None = None
    next: int | None = None
    previous: int | None = None
    success: bool = True


@attrs.define(kw_only=True)
class ExistingChannelInviteResult(Model):
    """The answer of ``invite_to_existing_channel``.

    When the invitee has notifications off, the service offers a text message to send
    instead (``fallback_message``).
    """

    notifications_enabled: bool | None = None
    fallback_number_hash: str | None = None
    fallback_message: str | None = None
    success: bool = True


@attrs.define(kw_only=True)
class NewChannelInvite(Model):
    """The answer of ``invite_to_new_channel``: the invitation's id."""

    channel_invite_id: int
    success: bool = True


@attrs.define(kw_only=True)
class AcceptedNewChannelInvite(Model):
    """The answer of ``accept_new_channel_invite``: the room to join."""

    channel: str | None = None
    success: bool = True


@attrs.define(kw_only=True)
class WelcomeChannel(Model):
    """The answer of ``get_welcome_channel`` (the onboarding room)."""

    is_empty: bool = True
    success: bool = True


@attrs.define(kw_only=True)
class ChannelMessage(Model):
    """One message of a room's text chat."""

    message_id: str | None = None
    message: str | None = None
    user_profile: RoomUser | None = None
    time_created: dt.datetime | None = None


@attrs.define(kw_only=True)
class ChannelMessages(Model):
    """The answer of ``get_channel_messages``."""

    messages: list[ChannelMessage] = attrs.field(factory=list)
    success: bool = True
