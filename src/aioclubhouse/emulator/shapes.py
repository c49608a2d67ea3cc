"""The JSON the service answers with, built from the world's records.

Each function returns one of the shapes seen in the OpenAPI examples and in public
clients (docs/protocol.md): the short user of lists, the full profile, the room user that
realtime messages carry, the room in the feed and in the room itself, clubs, events,
notifications and chats.  Many depend on who is looking (``follows_me``,
``is_member``), hence the ``viewer_id`` arguments.
"""

from __future__ import annotations

import functools
import itertools
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aioclubhouse.emulator.models import (
    ActionableNotification,
    Chat,
    ChatMessage,
    Club,
    Event,
    Notification,
    Room,
    RoomLink,
    RoomMessage,
    RoomUser,
    Topic,
    User,
)

if TYPE_CHECKING:
    from aioclubhouse.emulator.world import World

Json = dict[str, Any]

SITE = "https://www.joinclubhouse.com"
SHORT_BIO = 80
FEED_USERS = 8
NEW_USER_DAYS = 14
SHOWN_MUTUALS = 3


def iso(moment: float | None) -> str | None:
    """``2021-01-28T12:30:25.625451+00:00``, the service's time format."""
    return None if moment is None else _iso(moment)


@functools.lru_cache(maxsize=8192)
def _iso(moment: float) -> str:
    """Formatting is slow and the same few times (joins, sign-ups) repeat in every answer."""
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="microseconds")


def room_url(channel: str) -> str:
    return f"{SITE}/room/{channel}"


# -- users ---------------------------------------------------------------------------------


def user_mini(user: User) -> Json:
    """The four fields every embedded user has."""
    return {
        "user_id": user.user_id,
        "name": user.name,
        "photo_url": user.photo_url,
        "username": user.username,
    }


def user_listed(user: User) -> Json:
    """A user in a list (followers, search...): bio cut to 80 characters."""
    return {**user_mini(user), "bio": user.bio[:SHORT_BIO], "twitter": user.twitter}


def user_profile(world: World, viewer_id: int, user: User) -> Json:
    """The full profile get_profile answers with, as seen by `viewer_id`."""
    social = world.social
    mutuals = social.mutual_follows(viewer_id, user.user_id)
    invited_by = world.state.users.get(user.invited_by) if user.invited_by else None
    follows = social.follows(viewer_id, user.user_id)
    viewer = world.state.users.get(viewer_id)
    notification_type = None
    if follows and viewer is not None:
        notification_type = viewer.follow_notification_types.get(user.user_id, 2)
    return {
        "user_id": user.user_id,
        "name": user.name,
        "displayname": user.displayname,
        "photo_url": user.photo_url,
        "username": user.username,
        "bio": user.bio,
        "twitter": user.twitter,
        "instagram": user.instagram,
        "num_followers": len(social.followers_of(user.user_id)),
        "num_following": len(social.following_of(user.user_id)),
        "time_created": iso(user.time_created),
        "follows_me": social.follows(user.user_id, viewer_id),
        "is_blocked_by_network": user.user_id in social.blocked_by(viewer_id),
        "mutual_follows_count": len(mutuals),
        "mutual_follows": [user_mini(m) for m in mutuals[:SHOWN_MUTUALS]],
        "notification_type": notification_type,
        "invited_by_user_profile": user_mini(invited_by) if invited_by else None,
        "clubs": [club(world, c, viewer_id) for c in world.clubs.clubs_of(user.user_id)],
        "has_verified_email": user.has_verified_email,
        "can_edit_username": True,
        "can_edit_name": True,
        "can_edit_displayname": True,
        "topics": [topic(world.state.topics[t]) for t in user.topic_ids if t in world.state.topics],
    }


def is_new(world: World, user: User) -> bool:
    return world.now() - user.time_created < NEW_USER_DAYS * 86400


def room_user(world: World, room: Room, member: RoomUser, speakers: set[int] | None = None) -> Json:
    """A user inside a room: the ``user_profile`` of join/add_speaker/raise_hands."""
    user = world.state.users[member.user_id]
    speaker_ids = room.speaker_ids() if speakers is None else speakers
    return {
        "user_id": user.user_id,
        "name": user.name,
        "username": user.username,
        "photo_url": user.photo_url,
        "first_name": user.first_name,
        "skintone": user.skintone,
        "is_new": is_new(world, user),
        "bio_short": user.bio[:SHORT_BIO],
        "is_speaker": member.is_speaker,
        "is_moderator": member.is_moderator,
        "time_joined_as_speaker": iso(member.time_joined_as_speaker),
        "is_followed_by_speaker": bool(world.social.followers_of(user.user_id) & speaker_ids),
        "is_invited_as_speaker": member.is_invited_as_speaker,
    }


def _feed_user(world: World, member: RoomUser, speakers: set[int]) -> Json:
    user = world.state.users[member.user_id]
    return {
        **user_mini(user),
        "first_name": user.first_name,
        "is_speaker": member.is_speaker,
        "is_moderator": member.is_moderator,
        "time_joined_as_speaker": iso(member.time_joined_as_speaker),
        "is_followed_by_speaker": bool(world.social.followers_of(user.user_id) & speakers),
        "is_invited_as_speaker": member.is_invited_as_speaker,
    }


# -- clubs and topics ----------------------------------------------------------------------


def club(world: World, item: Club, viewer_id: int | None) -> Json:
    """A club with the viewer's relation to it."""
    return {
        "club_id": item.club_id,
        "name": item.name,
        "description": item.description,
        "photo_url": item.photo_url,
        "num_members": len(item.members),
        "num_followers": len(item.followers),
        "enable_private": item.enable_private,
        "is_follow_allowed": item.is_follow_allowed,
        "is_membership_private": item.is_membership_private,
        "is_community": item.is_community,
        "rules": [{"desc": r.desc, "title": r.title} for r in item.rules],
        "num_online": world.clubs.num_online(item),
        "url": f"{SITE}/club/{item.slug}",
        "is_member": viewer_id in item.members,
        "is_follower": viewer_id in item.followers,
    }


def topic(item: Topic) -> Json:
    return {"id": item.id, "title": item.title, "abbreviated_title": item.abbreviated_title}


def topic_tree(world: World, parent_id: int | None = None) -> list[Json]:
    nodes = []
    for item in world.social.subtopics(parent_id):
        node = topic(item)
        children = topic_tree(world, item.id)
        if children or parent_id is None:
            node["topics"] = children
        nodes.append(node)
    return nodes


# -- rooms ---------------------------------------------------------------------------------


def _channel_common(world: World, room: Room, viewer_id: int) -> Json:
    club_record = world.state.clubs.get(room.club_id) if room.club_id is not None else None
    welcome = world.state.users.get(room.welcome_for) if room.welcome_for is not None else None
    return {
        "creator_user_profile_id": room.creator_id,
        "channel_id": room.channel_id,
        "channel": room.channel,
        "topic": room.topic,
        "is_private": room.is_private,
        "is_social_mode": room.is_social_mode,
        "url": room_url(room.channel),
        "club": club(world, club_record, viewer_id) if club_record else None,
        "club_name": club_record.name if club_record else None,
        "club_id": room.club_id,
        "event_id": room.event_id,
        "welcome_for_user_profile": user_mini(welcome) if welcome else None,
    }


def channel_in_feed(world: World, room: Room, viewer_id: int) -> Json:
    """A room as get_channels lists it: counts and the first few people on stage."""
    stage = sorted(
        (m for m in room.users.values() if m.is_speaker), key=lambda m: not m.is_moderator
    )
    speakers = {m.user_id for m in stage}
    shown = stage[:FEED_USERS]
    audience = (m for m in room.users.values() if not m.is_speaker)
    shown += itertools.islice(audience, FEED_USERS - len(shown))
    blocked = world.social.blocked_by(viewer_id)
    return {
        **_channel_common(world, room, viewer_id),
        "num_other": len(room.users) - len(shown),
        "has_blocked_speakers": bool(blocked & speakers),
        "is_explore_channel": False,
        "num_speakers": len(speakers),
        "num_all": len(room.users),
        "users": [_feed_user(world, m, speakers) for m in shown],
    }


def channel_in_room(world: World, room: Room, viewer_id: int) -> Json:
    """A room as get_channel and join_channel describe it: everyone in it, and settings."""
    speakers = room.speaker_ids()
    club_record = world.state.clubs.get(room.club_id) if room.club_id is not None else None
    return {
        **_channel_common(world, room, viewer_id),
        "users": [room_user(world, room, m, speakers) for m in room.users.values()],
        "is_club_member": bool(club_record and viewer_id in club_record.members),
        "is_club_admin": bool(club_record and viewer_id in club_record.admins),
        "is_handraise_enabled": room.is_handraise_enabled,
        "handraise_permission": room.handraise_permission,
        "should_leave": viewer_id in room.ever_joined and viewer_id not in room.users,
        "is_empty": not room.users,
        "num_speakers": len(speakers),
        "num_all": len(room.users),
        "links": [room_link(link) for link in room.links],
        "success": True,
    }


def room_link(link: RoomLink) -> Json:
    return {
        "link_id": link.link_id,
        "link": link.link,
        "user_id": link.user_id,
        "time_created": iso(link.time_created),
    }


def room_message(world: World, message: RoomMessage) -> Json:
    return {
        "message_id": message.message_id,
        "user_profile": user_mini(world.state.users[message.user_id]),
        "message": message.message,
        "time_created": iso(message.time_created),
    }


# -- events --------------------------------------------------------------------------------


def event(world: World, item: Event, viewer_id: int) -> Json:
    club_record = world.state.clubs.get(item.club_id) if item.club_id is not None else None
    hosts = [world.state.users[h] for h in item.host_ids if h in world.state.users]
    return {
        "event_id": item.event_id,
        "event_hashid": item.event_hashid,
        "name": item.name,
        "description": item.description,
        "time_start": iso(item.time_start),
        "url": f"{SITE}/event/{item.event_hashid}",
        "club": club(world, club_record, viewer_id) if club_record else None,
        "club_is_member": bool(club_record and viewer_id in club_record.members),
        "club_is_follower": bool(club_record and viewer_id in club_record.followers),
        "is_member_only": item.is_member_only,
        "is_expired": item.time_start < world.now() and item.channel not in world.state.rooms,
        "channel": item.channel,
        "hosts": [user_listed(h) for h in hosts],
        "is_attending": viewer_id in item.attending,
        "num_attending": len(item.attending),
    }


# -- notifications and chats ---------------------------------------------------------------


def _actor(world: World, actor_id: int | None) -> Json | None:
    actor = world.state.users.get(actor_id) if actor_id is not None else None
    return user_mini(actor) if actor else None


def _club_mini(world: World, club_id: int | None) -> Json | None:
    item = world.state.clubs.get(club_id) if club_id is not None else None
    if item is None:
        return None
    return {"club_id": item.club_id, "name": item.name, "photo_url": item.photo_url}


def notification(world: World, item: Notification) -> Json:
    return {
        "notification_id": item.notification_id,
        "type": item.type,
        "time_created": iso(item.time_created),
        "is_unread": item.is_unread,
        "message": item.message,
        "user_profile": _actor(world, item.actor_id),
        "channel": item.channel,
        "club": _club_mini(world, item.club_id),
        "event_id": item.event_id,
    }


def actionable_notification(world: World, item: ActionableNotification) -> Json:
    return {
        "actionable_notification_id": item.actionable_notification_id,
        "type": item.type,
        "time_created": iso(item.time_created),
        "message": item.message,
        "user_profile": _actor(world, item.actor_id),
        "club": _club_mini(world, item.club_id),
    }


def chat_message(world: World, chat_id: int, message: ChatMessage) -> Json:
    return {
        "message_id": message.message_id,
        "chat_id": chat_id,
        "user_profile": user_mini(world.state.users[message.user_id]),
        "message_body": message.message_body,
        "client_message_id": message.client_message_id,
        "time_created": iso(message.time_created),
    }


def chat(world: World, item: Chat) -> Json:
    last = item.messages[-1] if item.messages else None
    people = [world.state.users[p] for p in item.participant_ids if p in world.state.users]
    return {
        "chat_id": item.chat_id,
        "participants": [user_mini(p) for p in people],
        "last_message": chat_message(world, item.chat_id, last) if last else None,
        "time_created": iso(item.time_created),
        "time_updated": iso(last.time_created if last else item.time_created),
    }
