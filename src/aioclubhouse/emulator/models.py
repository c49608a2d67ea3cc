"""The records the emulated service keeps: people, clubs, rooms, events and the rest.

These are plain data; the rules that change them live in the world's parts
(`accounts`, `social`, `clubs`, `events`, `rooms`, `chats`) and the JSON the API
answers with is built in `shapes`.  Times are epoch seconds (floats) here and become
ISO 8601 strings only on the way out.

`WorldState` holds everything; it round-trips through JSON with the cattrs converter
in `world.py`, so every field is a type cattrs knows how to save.
"""

from __future__ import annotations

from typing import Any

import attrs


@attrs.define(kw_only=True)
class User:
    """A Clubhouse account, with the profile fields get_profile shows."""

    user_id: int
    name: str | None = None
    displayname: str | None = None
    username: str | None = None
    phone_number: str | None = None
    photo_url: str | None = None
    bio: str = ""
    twitter: str | None = None
    instagram: str | None = None
    skintone: int = 1
    time_created: float = 0.0
    invited_by: int | None = None
    email: str | None = None
    has_verified_email: bool = False
    topic_ids: list[int] = attrs.Factory(list)
    num_invites: int = 0
    is_waitlisted: bool = False
    is_onboarding: bool = False
    is_banned: bool = False
    is_deactivated: bool = False
    is_simulated: bool = False
    """A sample user driven by the world itself rather than by a client."""
    notifications_enable_trending: bool = True
    notifications_frequency: int = 2
    notifications_paused_until: float | None = None
    follow_notification_types: dict[int, int] = attrs.Factory(dict)
    ignored_suggestions: set[int] = attrs.Factory(set)

    @property
    def first_name(self) -> str | None:
        if not self.name:
            return None
        return self.name.split()[0]


@attrs.define(kw_only=True)
class Topic:
    """A node of the topic tree; top-level topics have no parent."""

    id: int
    title: str
    abbreviated_title: str
    parent_id: int | None = None


@attrs.define(kw_only=True)
class ClubRule:
    title: str
    desc: str


@attrs.define(kw_only=True)
class ClubNomination:
    """A member asked the admins to let someone in."""

    invite_nomination_id: int
    user_id: int
    nominated_by: int
    time_created: float
    reason: str | None = None


@attrs.define(kw_only=True)
class Club:
    club_id: int
    name: str
    description: str = ""
    photo_url: str | None = None
    slug: str = ""
    invite_code: str = ""
    enable_private: bool = True
    is_follow_allowed: bool = True
    is_membership_private: bool = False
    is_community: bool = False
    rules: list[ClubRule] = attrs.Factory(list)
    topic_ids: list[int] = attrs.Factory(list)
    members: set[int] = attrs.Factory(set)
    admins: set[int] = attrs.Factory(set)
    followers: set[int] = attrs.Factory(set)
    pending_invites: dict[int, int] = attrs.Factory(dict)
    """Invited user id -> the admin who invited them."""
    nominations: dict[int, ClubNomination] = attrs.Factory(dict)
    creator_id: int | None = None
    time_created: float = 0.0


@attrs.define(kw_only=True)
class Event:
    """A scheduled room ("upcoming for you")."""

    event_id: int
    event_hashid: str
    name: str
    description: str = ""
    time_start: float
    club_id: int | None = None
    is_member_only: bool = False
    host_ids: list[int] = attrs.Factory(list)
    creator_id: int
    attending: set[int] = attrs.Factory(set)
    channel: str | None = None
    """The room the event turned into once a host started it."""


@attrs.define(kw_only=True)
class Notification:
    """A line in the bell list; `type` is one of the NOTIFY_* values in `social`."""

    notification_id: int
    user_id: int
    type: int
    time_created: float
    message: str
    actor_id: int | None = None
    channel: str | None = None
    club_id: int | None = None
    event_id: int | None = None
    is_unread: bool = True


@attrs.define(kw_only=True)
class ActionableNotification:
    """A notification the user answers (for now: an invitation into a club)."""

    actionable_notification_id: int
    user_id: int
    type: int
    time_created: float
    message: str
    actor_id: int | None = None
    club_id: int | None = None
    is_ignored: bool = False


@attrs.define(kw_only=True)
class RoomUser:
    """Someone in a room, with their place on stage."""

    user_id: int
    is_speaker: bool = False
    is_moderator: bool = False
    time_joined_as_speaker: float | None = None
    is_invited_as_speaker: bool = False
    joined_at: float = 0.0
    last_ping: float | None = None
    """When the client last pinged; None for sample users, who never time out."""
    is_muted: bool = False
    is_on_call: bool = True
    audio_profile: int | None = None


@attrs.define(kw_only=True)
class RoomLink:
    link_id: int
    link: str
    user_id: int
    time_created: float


@attrs.define(kw_only=True)
class RoomMessage:
    """A line of a room's text chat."""

    message_id: int
    user_id: int
    message: str
    time_created: float


@attrs.define(kw_only=True)
class Room:
    """A live audio room ("channel"); ended rooms are removed from the world."""

    channel: str
    channel_id: int
    topic: str | None = None
    club_id: int | None = None
    event_id: int | None = None
    creator_id: int
    is_private: bool = False
    is_social_mode: bool = False
    is_handraise_enabled: bool = True
    handraise_permission: int = 1
    welcome_for: int | None = None
    time_created: float = 0.0
    users: dict[int, RoomUser] = attrs.Factory(dict)
    """Everyone in the room, in the order they came in."""
    raised_hands: dict[int, float] = attrs.Factory(dict)
    speaker_invites: dict[int, int] = attrs.Factory(dict)
    """Invited user id -> the moderator who invited them."""
    invited: set[int] = attrs.Factory(set)
    """Users allowed into a private or social room without following anyone."""
    blocked: set[int] = attrs.Factory(set)
    hidden_by: set[int] = attrs.Factory(set)
    ever_joined: set[int] = attrs.Factory(set)
    pubnub_tokens: dict[int, str] = attrs.field(factory=dict, repr=False)
    links: list[RoomLink] = attrs.Factory(list)
    messages: list[RoomMessage] = attrs.Factory(list)
    flags: dict[str, str | None] = attrs.Factory(dict)

    def moderators(self) -> list[int]:
        return [uid for uid, member in self.users.items() if member.is_moderator]

    def speaker_ids(self) -> set[int]:
        return {uid for uid, member in self.users.items() if member.is_speaker}


@attrs.define(kw_only=True)
class NewChannelInvite:
    """An invitation to start a fresh room together."""

    channel_invite_id: int
    from_user_id: int
    to_user_id: int
    time_created: float
    status: str = "pending"
    channel: str | None = None


@attrs.define(kw_only=True)
class ChatMessage:
    message_id: int
    user_id: int
    message_body: str
    time_created: float
    client_message_id: str | None = None


@attrs.define(kw_only=True)
class Chat:
    """A direct-message thread between a fixed set of people."""

    chat_id: int
    participant_ids: list[int]
    time_created: float
    messages: list[ChatMessage] = attrs.Factory(list)


@attrs.define(kw_only=True)
class Session:
    """One login on one device; its tokens authenticate API calls (never shown in reprs)."""

    auth_token: str = attrs.field(repr=False)
    user_id: int
    refresh_token: str = attrs.field(repr=False)
    access_token: str = attrs.field(repr=False)
    device_id: str | None = None
    time_created: float = 0.0


@attrs.define(kw_only=True)
class TokenGrant:
    """Who a JWT (access or refresh) belongs to and until when it is good."""

    user_id: int
    auth_token: str = attrs.field(repr=False)
    expires_at: float


@attrs.define(kw_only=True)
class PhoneVerification:
    """The state of a phone number's login attempts."""

    phone_number: str
    codes_requested: int = 0
    failed_codes: int = 0
    pending: bool = False


@attrs.define(kw_only=True)
class IncidentReport:
    """A ``report_incident`` as received; of an attachment only its label and size."""

    reporter_id: int
    user_id: int | None
    channel: str | None
    incident_type: str | None
    description: str | None
    time_created: float
    email: str | None = None
    attachment_filename: str | None = None
    attachment_type: str | None = None
    attachment_size: int = 0


@attrs.define(kw_only=True)
class WorldState:
    """Everything the emulated service knows; saved and loaded as one JSON document."""

    seed: int = 0
    secret: str = attrs.field(default="", repr=False)
    """Key signing the JWTs this world hands out."""
    users: dict[int, User] = attrs.Factory(dict)
    following: dict[int, set[int]] = attrs.Factory(dict)
    followers: dict[int, set[int]] = attrs.Factory(dict)
    blocked: dict[int, set[int]] = attrs.Factory(dict)
    topics: dict[int, Topic] = attrs.Factory(dict)
    clubs: dict[int, Club] = attrs.Factory(dict)
    events: dict[int, Event] = attrs.Factory(dict)
    notifications: dict[int, list[Notification]] = attrs.Factory(dict)
    actionable: dict[int, list[ActionableNotification]] = attrs.Factory(dict)
    rooms: dict[str, Room] = attrs.Factory(dict)
    ended_channels: set[str] = attrs.Factory(set)
    channel_invites: dict[int, NewChannelInvite] = attrs.Factory(dict)
    chats: dict[int, Chat] = attrs.Factory(dict)
    sessions: dict[str, Session] = attrs.field(factory=dict, repr=False)
    access_tokens: dict[str, TokenGrant] = attrs.field(factory=dict, repr=False)
    refresh_tokens: dict[str, TokenGrant] = attrs.field(factory=dict, repr=False)
    phone_verifications: dict[str, PhoneVerification] = attrs.Factory(dict)
    app_invites: dict[str, int] = attrs.Factory(dict)
    """Phone number -> the user who invited it into the app."""
    reports: list[IncidentReport] = attrs.Factory(list)
    next_ids: dict[str, int] = attrs.Factory(dict)
    rng_state: list[Any] = attrs.Factory(list)

    def new_id(self, kind: str, *, start: int = 1) -> int:
        """The next id of a kind ("user", "club", ...); ids are never reused."""
        value = self.next_ids.get(kind, start)
        self.next_ids[kind] = value + 1
        return value
