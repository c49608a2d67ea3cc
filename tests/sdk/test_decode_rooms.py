"""Room payloads decode into the room models: realistic, sparse, null-laden and unknown."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import attrs
import pytest

from aioclubhouse.auth import Credentials
from aioclubhouse.errors import DecodeError
from aioclubhouse.models.clubs import Club
from aioclubhouse.models.converter import structure
from aioclubhouse.models.rooms import (
    DEFAULT_PUBNUB_ORIGIN,
    AcceptSpeakerInviteResult,
    Channel,
    ChannelInFeed,
    ChannelsFeed,
    HandraisePermission,
    JoinChannelResult,
    RoomUser,
)
from aioclubhouse.models.scheduled_events import Event
from aioclubhouse.models.users import UserShort
from aioclubhouse.session import ClubhouseSession

from .scripted_server import Reply, scripted_server

# Every answer here is read with each JSON reader the SDK may use (conftest.py).
pytestmark = pytest.mark.usefixtures("json_reader")

RTC_TOKEN = "006938de3e8055e42b281bb8c6f69c21f78IACsecretRTC"
RTM_TOKEN = "006938de3e8055e42b281bb8c6f69c21f78IACsecretRTM"
PUBNUB_TOKEN = "pn-auth-7f3e2c1a-secret"
SECRETS = (RTC_TOKEN, RTM_TOKEN, PUBNUB_TOKEN)

CLUB = {
    "club_id": 12345,
    "name": "Startup Club",
    "description": "Founders talking shop",
    "photo_url": "https://example.test/club_12345_thumbnail_250x250",
    "num_members": 123,
    "num_followers": 4567,
    "enable_private": True,
    "is_follow_allowed": True,
    "is_membership_private": False,
    "is_community": False,
    "rules": [{"desc": "Be kind", "title": "Kindness"}],
    "num_online": 3,
}
SPEAKER = {
    "user_id": 123456,
    "name": "John Example",
    "photo_url": "https://example.test/123456_thumbnail_250x250",
    "username": "john_example",
    "first_name": "John",
    "skintone": 3,
    "is_new": True,
    "bio_short": "Builder of things",
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
    "skintone": None,
    "is_new": False,
    "is_speaker": False,
    "is_moderator": False,
    "time_joined_as_speaker": None,
    "is_followed_by_speaker": False,
    "is_invited_as_speaker": False,
}

# The shape of the public spec's get_channels example, with two rooms and one event.
CHANNELS = {
    "channels": [
        {
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
            "num_other": 0,
            "has_blocked_speakers": False,
            "is_explore_channel": False,
            "num_speakers": 1,
            "num_all": 1234,
            "users": [
                {
                    "user_id": 123456,
                    "name": "John Example",
                    "photo_url": None,
                    "is_speaker": True,
                    "is_moderator": True,
                    "time_joined_as_speaker": "2021-01-20T00:00:00.000000+00:00",
                    "is_followed_by_speaker": True,
                    "is_invited_as_speaker": False,
                }
            ],
        },
        {
            "channel": "zyxwvuts",
            "channel_id": "98766",
            "topic": None,
            "club": None,
            "num_all": 2,
            "num_speakers": 2,
            "users": None,
            "rank_score": 0.93,
        },
    ],
    "events": [
        {
            "event_id": 77,
            "name": "Demo day",
            "description": "Pitches",
            "time_start": 1613844000,
            "is_expired": False,
            "is_member_only": False,
            "hosts": [{"user_id": 123456, "name": "John Example"}],
            "club": None,
            "channel": None,
            "url": "https://www.joinclubhouse.com/event/xYz12",
        }
    ],
    "featured_events": None,
    "success": True,
}

JOIN = {
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
    "handraise_permission": 2,
    "is_club_member": False,
    "is_club_admin": False,
    "should_leave": False,
    "users": [SPEAKER, LISTENER],
    "success": True,
    "is_empty": False,
    "token": RTC_TOKEN,
    "rtm_token": RTM_TOKEN,
    "pubnub_token": PUBNUB_TOKEN,
    "pubnub_origin": None,
    "pubnub_heartbeat_value": 60,
    "pubnub_heartbeat_interval": 29,
    "pubnub_enable": True,
    "agora_native_mute": True,
    "feature_flags": {"enable_room_chat": True},
    "links": [{"link_id": "l-1", "link": "https://example.test/deck", "title": "Deck"}],
    "replay_settings": {"is_replay_enabled": False},
}


def test_a_realistic_hallway_decodes() -> None:
    feed = structure(CHANNELS, ChannelsFeed)
    first, second = feed.channels
    assert isinstance(first, ChannelInFeed)
    assert (first.channel, first.channel_id, first.num_all, first.num_speakers) == (
        "abcdefgh",
        98765,
        1234,
        1,
    )
    assert first.creator_user_profile_id == 123456 and first.club_name == "Startup Club"
    assert first.club == Club(club_id=12345)
    assert first.club is not None and first.club.rules[0].title == "Kindness"
    (speaker,) = first.users
    assert isinstance(speaker, RoomUser) and speaker.is_moderator is True
    assert speaker.time_joined_as_speaker == dt.datetime(2021, 1, 20, tzinfo=dt.UTC)
    # The sparse second room: string id coerced, nulls become defaults, no users.
    assert second.channel_id == 98766 and second.topic is None and second.club is None
    assert second.users == [] and second.num_other == 0 and second.is_private is False
    assert second.raw["rank_score"] == 0.93
    (event,) = feed.events
    assert isinstance(event, Event) and event.time_start == dt.datetime(
        2021, 2, 20, 18, tzinfo=dt.UTC
    )
    assert event.hosts == [UserShort(user_id=123456)]
    assert feed.featured_events == [] and feed.success is True


def test_a_join_answer_carries_every_token_and_pubnub_setting() -> None:
    joined = structure(JOIN, JoinChannelResult)
    assert isinstance(joined, Channel)
    assert joined.token == RTC_TOKEN and joined.rtm_token == RTM_TOKEN
    assert joined.pubnub_token == PUBNUB_TOKEN
    assert joined.pubnub_origin is None and joined.pubnub_host == DEFAULT_PUBNUB_ORIGIN
    assert (joined.pubnub_heartbeat_value, joined.pubnub_heartbeat_interval) == (60, 29)
    assert joined.pubnub_enable is True and joined.agora_native_mute is True
    assert joined.feature_flags == {"enable_room_chat": True}
    assert joined.handraise_permission == HandraisePermission.FOLLOWED_BY_SPEAKERS
    assert joined.is_handraise_enabled is True and joined.should_leave is False
    assert [u.user_id for u in joined.speakers] == [123456]
    assert [u.user_id for u in joined.listeners] == [42]
    assert [u.user_id for u in joined.moderators] == [123456]
    listener = joined.user(42)
    assert listener is not None and listener.skintone is None and listener.photo_url is None
    assert joined.user(7) is None
    assert joined.links[0].link_id == "l-1"


def test_unknown_fields_stay_reachable_in_raw() -> None:
    payload = copy.deepcopy(JOIN)
    payload["users"][0]["is_hand_raised"] = True
    payload["club"]["theme_color"] = "#aabbcc"
    joined = structure(payload, JoinChannelResult)
    assert joined.raw["replay_settings"] == {"is_replay_enabled": False}
    assert joined.raw is payload
    assert joined.users[0].raw["is_hand_raised"] is True
    assert joined.club is not None and joined.club.raw["theme_color"] == "#aabbcc"
    assert not hasattr(joined, "replay_settings")


@pytest.mark.parametrize("model", [JoinChannelResult, AcceptSpeakerInviteResult])
def test_tokens_never_appear_in_repr_or_str(model: type[Any]) -> None:
    decoded = structure(JOIN, model)
    for text in (repr(decoded), str(decoded)):
        for secret in SECRETS:
            assert secret not in text
    # Short reprs (ids and names; the payload is in raw) still say which room it is.
    assert repr(decoded).startswith(f"{model.__name__}(")
    if model is JoinChannelResult:
        assert repr(decoded).startswith(f"JoinChannelResult(channel={JOIN['channel']!r}")
    hidden = {f.name for f in attrs.fields(model) if not f.repr}
    assert {"token", "rtm_token", "pubnub_token"} <= hidden


def test_a_bare_join_answer_decodes_with_defaults() -> None:
    joined = structure({"channel": "abcdefgh"}, JoinChannelResult)
    assert joined.token is None and joined.pubnub_token is None and joined.users == []
    assert joined.pubnub_enable is True and joined.pubnub_host == DEFAULT_PUBNUB_ORIGIN
    assert joined.handraise_permission is None and joined.club is None


def test_nulls_where_values_are_expected_fall_back_to_defaults() -> None:
    nulls = {key: None for key in JOIN if key != "channel"}
    joined = structure({"channel": "abcdefgh", **nulls}, JoinChannelResult)
    assert joined.users == [] and joined.links == []
    assert joined.is_private is False and joined.pubnub_enable is True
    assert joined.pubnub_heartbeat_value is None and joined.token is None


def test_both_spellings_of_skin_tone_fill_skintone() -> None:
    service = structure({"user_id": 1, "skintone": 4}, RoomUser)
    client = structure({"user_id": 2, "skin_tone": 5}, RoomUser)
    assert (service.skintone, client.skintone) == (4, 5)
    assert service.skin_tone == 4 and RoomUser(user_id=3, skin_tone=2).skintone == 2


def test_room_entities_compare_by_identity_fields() -> None:
    in_room = structure(SPEAKER, RoomUser)
    assert in_room == RoomUser(user_id=123456, is_speaker=False)
    assert in_room != RoomUser(user_id=1)
    assert len({in_room, RoomUser(user_id=123456)}) == 1
    joined = structure(JOIN, JoinChannelResult)
    assert joined == Channel(channel="abcdefgh") and joined != Channel(channel="other")
    assert hash(joined) == hash(ChannelInFeed(channel="abcdefgh"))


@pytest.mark.parametrize(
    "payload",
    [
        {"channel": "abc", "users": {"user_id": 1}},
        {"channel": "abc", "users": [{"name": "no id"}]},
        {"channel": "abc", "pubnub_heartbeat_value": "sixty"},
        {"topic": "no channel name"},
    ],
    ids=["users-not-a-list", "user-without-id", "heartbeat-not-a-number", "no-channel"],
)
def test_a_wrong_shape_is_a_decode_error(payload: dict[str, Any]) -> None:
    with pytest.raises(DecodeError):
        structure(payload, JoinChannelResult)


async def test_join_over_a_socket_keeps_tokens_out_of_the_repr() -> None:
    creds = Credentials(user_id=42, auth_token="tok-decode", device_id="DEVICE-DECODE")
    async with (
        scripted_server(Reply(json=JOIN)) as server,
        ClubhouseSession(creds, base_url=server.url, rate_limit=None) as session,
    ):
        joined = await session.join_channel("abcdefgh")
    (seen,) = server.seen
    assert json.loads(seen.body)["channel"] == "abcdefgh"
    assert joined.pubnub_token == PUBNUB_TOKEN and joined.token == RTC_TOKEN
    assert not any(secret in repr(joined) for secret in SECRETS)
