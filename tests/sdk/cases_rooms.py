"""Request-shape cases for the 'rooms' endpoints."""

from __future__ import annotations

from typing import Any

from aioclubhouse.models.base import SuccessResponse
from aioclubhouse.models.clubs import Club
from aioclubhouse.models.rooms import (
    AcceptedNewChannelInvite,
    AcceptSpeakerInviteResult,
    ActivePingResult,
    Channel,
    ChannelInFeed,
    ChannelMessages,
    ChannelsFeed,
    CreateChannelTargets,
    ExistingChannelInviteResult,
    Feed,
    HandraisePermission,
    JoinChannelResult,
    NewChannelInvite,
    RoomUser,
    SuggestedSpeakers,
    WelcomeChannel,
)
from aioclubhouse.models.users import UserShort

from .endpoint_cases import EndpointCase

FEED_DETAILS = "eyJpc19leHBsb3JlIjpmYWxzZSwicmFuayI6MX0="

CLUB = {
    "club_id": 12345,
    "name": "Startup Club",
    "description": "Founders talking",
    "photo_url": "https://example.test/club_12345_thumbnail_250x250",
    "num_members": 123,
    "num_followers": 567,
    "enable_private": True,
    "is_follow_allowed": True,
    "is_membership_private": False,
    "is_community": False,
    "rules": [{"desc": "Be kind", "title": "Kindness"}],
    "num_online": 4,
}
MODERATOR = {
    "user_id": 123456,
    "name": "John Example",
    "photo_url": "https://example.test/123456_thumbnail_250x250",
    "username": "john_example",
    "first_name": "John",
    "skintone": 3,
    "is_new": True,
    "is_speaker": True,
    "is_moderator": True,
    "time_joined_as_speaker": "2021-01-31T00:00:00.000000+00:00",
    "is_followed_by_speaker": True,
    "is_invited_as_speaker": True,
}
LISTENER = {
    "user_id": 42,
    "name": "Current User",
    "photo_url": None,
    "username": "currentuser",
    "first_name": "Current",
    "skintone": 2,
    "is_new": False,
    "is_speaker": False,
    "is_moderator": False,
    "time_joined_as_speaker": None,
    "is_followed_by_speaker": False,
    "is_invited_as_speaker": False,
}
ROOM = {
    "creator_user_profile_id": 123456,
    "channel_id": 98765,
    "channel": "abcdefgh",
    "topic": "Early-stage fundraising",
    "is_private": False,
    "is_social_mode": False,
    "url": "https://www.joinclubhouse.com/room/abcdefgh",
    "club": CLUB,
    "club_name": "Startup Club",
    "club_id": 12345,
    "welcome_for_user_profile": None,
    "is_handraise_enabled": True,
    "handraise_permission": 1,
    "is_club_member": False,
    "is_club_admin": False,
    "users": [MODERATOR, LISTENER],
    "success": True,
    "is_empty": False,
}
JOIN = {
    **ROOM,
    "token": "agora-rtc-token-1",
    "rtm_token": "agora-rtm-token-1",
    "pubnub_token": "pubnub-auth-1",
    "pubnub_origin": None,
    "pubnub_heartbeat_value": 60,
    "pubnub_heartbeat_interval": 29,
    "pubnub_enable": True,
    "agora_native_mute": True,
}
FEED_ROOM = {
    "channel": "abcdefgh",
    "channel_id": 98765,
    "topic": "Early-stage fundraising",
    "is_private": False,
    "is_social_mode": False,
    "url": "https://www.joinclubhouse.com/room/abcdefgh",
    "club": CLUB,
    "num_other": 0,
    "num_speakers": 1,
    "num_all": 2,
    "has_blocked_speakers": False,
    "is_explore_channel": False,
    "users": [MODERATOR],
}
EVENT = {
    "event_id": 77,
    "name": "Demo day",
    "description": "Pitches",
    "time_start": "2021-02-20T18:00:00+00:00",
    "is_expired": False,
    "is_member_only": False,
    "hosts": [{"user_id": 123456, "name": "John Example"}],
    "club": CLUB,
    "channel": None,
    "url": "https://www.joinclubhouse.com/event/xyz",
}


def is_success(result: Any) -> None:
    assert isinstance(result, SuccessResponse) and result.success is True


def check_feed(result: ChannelsFeed) -> None:
    assert isinstance(result, ChannelsFeed)
    (room,) = result.channels
    assert isinstance(room, ChannelInFeed) and room.channel == "abcdefgh"
    assert room.num_all == 2 and room.num_speakers == 1
    assert isinstance(room.club, Club) and room.club.club_id == 12345
    assert [e.event_id for e in result.events] == [77]
    assert result.featured_events == []


def check_home_feed(result: Feed) -> None:
    assert [room.channel for room in result.channels] == ["abcdefgh"]
    assert result.items[1].channel is None and result.items[1].raw == {"kind": "suggestion"}


def check_room(result: Channel) -> None:
    assert isinstance(result, Channel) and not isinstance(result, JoinChannelResult)
    assert result.channel == "abcdefgh" and result.channel_id == 98765
    assert result.handraise_permission == HandraisePermission.ALL
    assert [u.user_id for u in result.speakers] == [123456]
    assert [u.user_id for u in result.listeners] == [42]
    assert result.user(42) == RoomUser(user_id=42)
    assert result.users[0].time_joined_as_speaker is not None


def check_join(result: JoinChannelResult) -> None:
    assert isinstance(result, JoinChannelResult)
    assert result.token == "agora-rtc-token-1" and result.pubnub_token == "pubnub-auth-1"
    assert result.pubnub_heartbeat_value == 60 and result.pubnub_heartbeat_interval == 29
    assert result.pubnub_host == "clubhouse.pubnub.com"
    assert [u.user_id for u in result.users] == [123456, 42]
    assert "agora-rtc-token-1" not in repr(result)


def check_created(result: JoinChannelResult) -> None:
    check_join(result)
    assert result.club is not None and result.club.name == "Startup Club"


def check_ping(result: ActivePingResult) -> None:
    assert isinstance(result, ActivePingResult) and result.should_leave is False


def check_ping_leave(result: ActivePingResult) -> None:
    assert result.should_leave is True


def check_speaker_keys(result: AcceptSpeakerInviteResult) -> None:
    assert isinstance(result, AcceptSpeakerInviteResult)
    assert result.token == "agora-speaker-token" and result.pubnub_token == "pubnub-speaker"
    assert result.pubnub_host == "pubsub.example.test"
    assert "agora-speaker-token" not in repr(result) and "pubnub-speaker" not in repr(result)


def check_targets(result: CreateChannelTargets) -> None:
    assert [c.club_id for c in result.clubs] == [12345]
    assert [e.event_id for e in result.events] == [77]


def check_suggested(result: SuggestedSpeakers) -> None:
    assert result.users == [UserShort(user_id=42)] and result.clubs == []
    assert result.count == 1 and result.next is None


def check_existing_invite(result: ExistingChannelInviteResult) -> None:
    assert result.notifications_enabled is False
    assert result.fallback_message == "Join me in a room"


def check_new_invite(result: NewChannelInvite) -> None:
    assert isinstance(result, NewChannelInvite) and result.channel_invite_id == 555


def check_accepted(result: AcceptedNewChannelInvite) -> None:
    assert result.channel == "zyxwvuts"


def check_welcome(result: WelcomeChannel) -> None:
    assert isinstance(result, WelcomeChannel) and result.is_empty is True


def check_messages(result: ChannelMessages) -> None:
    (message,) = result.messages
    assert message.message == "hello room" and message.message_id == "m1"
    assert message.user_profile is not None and message.user_profile.user_id == 42
    assert message.time_created is not None and message.time_created.year == 2022


def _user_action(name: str) -> EndpointCase:
    return EndpointCase(
        name=name,
        call=lambda s: getattr(s, name)("abcdefgh", 123456),
        body={"channel": "abcdefgh", "user_id": 123456},
        check=is_success,
    )


def _channel_action(name: str) -> EndpointCase:
    return EndpointCase(
        name=name,
        call=lambda s: getattr(s, name)("abcdefgh"),
        body={"channel": "abcdefgh"},
        check=is_success,
    )


CASES: list[EndpointCase] = [
    EndpointCase(
        name="get_channels",
        call=lambda s: s.get_channels(),
        response={"channels": [FEED_ROOM], "events": [EVENT], "success": True},
        check=check_feed,
    ),
    EndpointCase(
        name="get_feed",
        call=lambda s: s.get_feed(),
        response={"items": [{"channel": FEED_ROOM}, {"kind": "suggestion"}], "success": True},
        check=check_home_feed,
    ),
    EndpointCase(
        name="get_channel",
        call=lambda s: s.get_channel("abcdefgh"),
        body={"channel": "abcdefgh"},
        response=ROOM,
        check=check_room,
    ),
    EndpointCase(
        name="get_channel",
        id="get_channel-with-id",
        call=lambda s: s.get_channel("abcdefgh", channel_id=98765),
        body={"channel": "abcdefgh", "channel_id": 98765},
        response=ROOM,
        check=check_room,
    ),
    EndpointCase(
        name="join_channel",
        call=lambda s: s.join_channel("abcdefgh"),
        body={
            "channel": "abcdefgh",
            "attribution_source": "feed",
            "attribution_details": FEED_DETAILS,
        },
        response=JOIN,
        check=check_join,
    ),
    EndpointCase(
        name="join_channel",
        id="join_channel-from-link",
        call=lambda s: s.join_channel(
            "abcdefgh", attribution_source="link", attribution_details="e30="
        ),
        body={"channel": "abcdefgh", "attribution_source": "link", "attribution_details": "e30="},
        response=JOIN,
        check=check_join,
    ),
    _channel_action("leave_channel"),
    EndpointCase(
        name="leave_channel",
        id="leave_channel-with-id",
        call=lambda s: s.leave_channel("abcdefgh", channel_id=98765),
        body={"channel": "abcdefgh", "channel_id": 98765},
        check=is_success,
    ),
    EndpointCase(
        name="active_ping",
        call=lambda s: s.active_ping("abcdefgh"),
        body={"channel": "abcdefgh"},
        response={"should_leave": False, "success": True},
        check=check_ping,
    ),
    EndpointCase(
        name="active_ping",
        id="active_ping-should-leave",
        call=lambda s: s.active_ping("abcdefgh"),
        body={"channel": "abcdefgh"},
        response={"should_leave": True, "success": True},
        check=check_ping_leave,
    ),
    EndpointCase(
        name="audience_reply",
        call=lambda s: s.audience_reply("abcdefgh"),
        body={"channel": "abcdefgh", "raise_hands": True, "unraise_hands": False},
        check=is_success,
    ),
    EndpointCase(
        name="audience_reply",
        id="audience_reply-lower",
        call=lambda s: s.audience_reply("abcdefgh", raise_hands=False, unraise_hands=True),
        body={"channel": "abcdefgh", "raise_hands": False, "unraise_hands": True},
        check=is_success,
    ),
    EndpointCase(
        name="accept_speaker_invite",
        call=lambda s: s.accept_speaker_invite("abcdefgh", 123456),
        body={"channel": "abcdefgh", "user_id": 123456},
        response={
            "success": True,
            "token": "agora-speaker-token",
            "pubnub_token": "pubnub-speaker",
            "pubnub_origin": "pubsub.example.test",
            "pubnub_heartbeat_value": 60,
            "pubnub_heartbeat_interval": 29,
        },
        check=check_speaker_keys,
    ),
    _user_action("reject_speaker_invite"),
    _user_action("invite_speaker"),
    _user_action("uninvite_speaker"),
    _user_action("mute_speaker"),
    _user_action("make_moderator"),
    _user_action("block_from_channel"),
    _channel_action("end_channel"),
    _channel_action("make_channel_public"),
    _channel_action("make_channel_social"),
    EndpointCase(
        name="change_handraise_settings",
        call=lambda s: s.change_handraise_settings("abcdefgh"),
        body={"channel": "abcdefgh", "is_enabled": True, "handraise_permission": 1},
        check=is_success,
    ),
    EndpointCase(
        name="change_handraise_settings",
        id="change_handraise_settings-club-members",
        call=lambda s: s.change_handraise_settings(
            "abcdefgh", handraise_permission=HandraisePermission.CLUB_MEMBERS
        ),
        body={"channel": "abcdefgh", "is_enabled": True, "handraise_permission": 3},
        check=is_success,
    ),
    EndpointCase(
        name="change_handraise_settings",
        id="change_handraise_settings-off",
        call=lambda s: s.change_handraise_settings(
            "abcdefgh", is_enabled=False, handraise_permission=0
        ),
        body={"channel": "abcdefgh", "is_enabled": False, "handraise_permission": 0},
        check=is_success,
    ),
    EndpointCase(
        name="create_channel",
        call=lambda s: s.create_channel(),
        body={
            "topic": None,
            "is_social_mode": False,
            "is_private": False,
            "club_id": None,
            "user_ids": [],
            "event_id": None,
        },
        response=JOIN,
        check=check_join,
    ),
    EndpointCase(
        name="create_channel",
        id="create_channel-club-private",
        call=lambda s: s.create_channel(
            topic="Demo day", is_private=True, club_id=12345, user_ids=[7, 8], event_id=77
        ),
        body={
            "topic": "Demo day",
            "is_social_mode": False,
            "is_private": True,
            "club_id": 12345,
            "user_ids": [7, 8],
            "event_id": 77,
        },
        response=JOIN,
        check=check_created,
    ),
    EndpointCase(
        name="get_create_channel_targets",
        call=lambda s: s.get_create_channel_targets(),
        body={},
        response={"clubs": [CLUB], "events": [EVENT], "success": True},
        check=check_targets,
    ),
    EndpointCase(
        name="get_suggested_speakers",
        call=lambda s: s.get_suggested_speakers("abcdefgh"),
        body={"channel": "abcdefgh"},
        response={
            "users": [{"user_id": 42, "name": "Current User"}],
            "count": 1,
            "next": None,
            "previous": None,
            "clubs": [],
            "success": True,
        },
        check=check_suggested,
    ),
    EndpointCase(
        name="get_suggested_speakers",
        id="get_suggested_speakers-new-room",
        call=lambda s: s.get_suggested_speakers(),
        body={"channel": None},
        response={"users": [{"user_id": 42}], "count": 1, "clubs": None, "success": True},
        check=check_suggested,
    ),
    EndpointCase(
        name="hide_channel",
        call=lambda s: s.hide_channel("abcdefgh"),
        body={"channel": "abcdefgh", "hide": True},
        check=is_success,
    ),
    EndpointCase(
        name="hide_channel",
        id="hide_channel-unhide",
        call=lambda s: s.hide_channel("abcdefgh", hide=False),
        body={"channel": "abcdefgh", "hide": False},
        check=is_success,
    ),
    EndpointCase(
        name="invite_to_existing_channel",
        call=lambda s: s.invite_to_existing_channel("abcdefgh", 7),
        body={"channel": "abcdefgh", "user_id": 7},
        response={
            "notifications_enabled": False,
            "fallback_number_hash": "a1b2",
            "fallback_message": "Join me in a room",
            "success": True,
        },
        check=check_existing_invite,
    ),
    EndpointCase(
        name="invite_to_new_channel",
        call=lambda s: s.invite_to_new_channel(7),
        body={"user_id": 7, "channel": None},
        response={"channel_invite_id": 555, "success": True},
        check=check_new_invite,
    ),
    EndpointCase(
        name="accept_new_channel_invite",
        call=lambda s: s.accept_new_channel_invite(555),
        body={"channel_invite_id": 555},
        response={"channel": "zyxwvuts", "success": True},
        check=check_accepted,
    ),
    EndpointCase(
        name="reject_new_channel_invite",
        call=lambda s: s.reject_new_channel_invite(555),
        body={"channel_invite_id": 555},
        check=is_success,
    ),
    EndpointCase(
        name="cancel_new_channel_invite",
        call=lambda s: s.cancel_new_channel_invite(555),
        body={"channel_invite_id": 555},
        check=is_success,
    ),
    EndpointCase(
        name="get_welcome_channel",
        call=lambda s: s.get_welcome_channel(),
        response={"is_empty": True, "success": True},
        check=check_welcome,
    ),
    EndpointCase(
        name="reject_welcome_channel",
        call=lambda s: s.reject_welcome_channel(),
        check=is_success,
    ),
    EndpointCase(
        name="update_channel_flags",
        call=lambda s: s.update_channel_flags(
            "abcdefgh", visibility="hidden", flag_title="Flag", unflag_title="Unflag"
        ),
        body={
            "channel": "abcdefgh",
            "visibility": "hidden",
            "flag_title": "Flag",
            "unflag_title": "Unflag",
        },
        check=is_success,
    ),
    EndpointCase(
        name="update_channel_user_status",
        call=lambda s: s.update_channel_user_status("abcdefgh"),
        body={"channel": "abcdefgh", "audio_profile": 11, "is_on_call": False},
        check=is_success,
    ),
    EndpointCase(
        name="update_channel_user_status",
        id="update_channel_user_status-on-call",
        call=lambda s: s.update_channel_user_status("abcdefgh", audio_profile=0, is_on_call=True),
        body={"channel": "abcdefgh", "audio_profile": 0, "is_on_call": True},
        check=is_success,
    ),
    EndpointCase(
        name="add_channel_link",
        call=lambda s: s.add_channel_link("abcdefgh", "https://example.test/deck"),
        body={"channel": "abcdefgh", "link": "https://example.test/deck"},
        check=is_success,
    ),
    EndpointCase(
        name="remove_channel_link",
        call=lambda s: s.remove_channel_link("abcdefgh", "link-9"),
        body={"channel": "abcdefgh", "link": "link-9"},
        check=is_success,
    ),
    EndpointCase(
        name="get_channel_messages",
        call=lambda s: s.get_channel_messages("abcdefgh"),
        query={"channel": "abcdefgh", "is_chronological_order": "0"},
        response={
            "messages": [
                {
                    "message_id": "m1",
                    "message": "hello room",
                    "user_profile": LISTENER,
                    "time_created": 1647000000,
                }
            ],
            "success": True,
        },
        check=check_messages,
    ),
    EndpointCase(
        name="get_channel_messages",
        id="get_channel_messages-chronological",
        call=lambda s: s.get_channel_messages("abcdefgh", is_chronological_order=True),
        query={"channel": "abcdefgh", "is_chronological_order": "1"},
        response={"messages": None, "success": True},
        check=lambda r: _assert(r.messages == []),
    ),
    EndpointCase(
        name="send_channel_message",
        call=lambda s: s.send_channel_message("abcdefgh", "hello room"),
        body={"channel": "abcdefgh", "message": "hello room"},
        check=is_success,
    ),
]


def _assert(condition: bool) -> None:
    assert condition
