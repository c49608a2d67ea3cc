"""Answers have at least the keys of the service's own examples (clubhouse-openapi.yaml)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from .api_support import Api, open_api


def keys(text: str) -> set[str]:
    return set(text.replace(",", " ").split())


CLUB = keys(
    "club_id name description photo_url num_members num_followers enable_private "
    "is_follow_allowed is_membership_private is_community rules num_online is_member is_follower"
)
LISTED_USER = keys("user_id name photo_url username bio twitter")
FEED_USER = keys(
    "user_id name photo_url is_speaker is_moderator time_joined_as_speaker "
    "is_followed_by_speaker is_invited_as_speaker"
)
FEED_CHANNEL = keys(
    "creator_user_profile_id channel_id channel topic is_private is_social_mode url club "
    "club_name club_id welcome_for_user_profile num_other has_blocked_speakers "
    "is_explore_channel num_speakers num_all users"
)
PROFILE = keys(
    "user_id name displayname photo_url username bio twitter instagram num_followers "
    "num_following time_created follows_me is_blocked_by_network mutual_follows_count "
    "mutual_follows notification_type invited_by_user_profile clubs has_verified_email "
    "can_edit_username can_edit_name can_edit_displayname topics"
)
TOPIC = keys("id title abbreviated_title")
PAGE = keys("count next previous success")


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    async with open_api() as api:
        yield api


def star(api: Api) -> int:
    social = api.emulator.world.social
    return max(api.emulator.world.state.users, key=lambda uid: len(social.followers_of(uid)))


def a_club(api: Api) -> int:
    return min(api.emulator.world.state.clubs)


def a_topic(api: Api) -> int:
    world = api.emulator.world
    return next(t.id for t in world.state.topics.values() if t.parent_id is not None)


# name, method, body (callable of api), top-level keys, [(path to a list or dict, its keys)]
CASES: list[tuple[str, str, Any, set[str], list[tuple[str, set[str]]]]] = [
    (
        "me",
        "POST",
        lambda api: {"return_blocked_ids": True},
        keys(
            "has_unread_notifications actionable_notifications_count num_invites auth_token "
            "refresh_token access_token notifications_enabled user_profile following_ids "
            "blocked_ids is_admin email feature_flags success"
        ),
        [("user_profile", keys("user_id name photo_url username"))],
    ),
    (
        "get_profile",
        "POST",
        lambda api: {"user_id": star(api)},
        keys("user_profile success"),
        [("user_profile", PROFILE)],
    ),
    (
        "get_channels",
        "GET",
        None,
        keys("channels events success"),
        [("channels", FEED_CHANNEL), ("channels.users", FEED_USER)],
    ),
    (
        "get_club",
        "POST",
        lambda api: {"club_id": a_club(api)},
        keys(
            "club is_admin is_member is_follower is_pending_accept is_pending_approval "
            "added_by_user_profile member_user_ids num_invites invite_link topics success"
        ),
        [("club", CLUB), ("topics", TOPIC)],
    ),
    (
        "get_settings",
        "GET",
        None,
        keys(
            "notifications_enable_trending notifications_frequency notifications_is_paused success"
        ),
        [],
    ),
    (
        "get_all_topics",
        "GET",
        None,
        keys("topics"),
        [("topics", TOPIC | {"topics"}), ("topics.topics", TOPIC)],
    ),
    (
        "get_topic",
        "POST",
        lambda api: {"topic_id": a_topic(api)},
        keys("topic success"),
        [("topic", TOPIC)],
    ),
    (
        "get_clubs_for_topic",
        "POST",
        lambda api: {"topic_id": a_topic(api)},
        PAGE | {"clubs"},
        [("clubs", CLUB)],
    ),
    (
        "get_users_for_topic",
        "GET",
        lambda api: {"topic_id": a_topic(api)},
        PAGE | {"users"},
        [("users", LISTED_USER)],
    ),
    (
        "get_following",
        "POST",
        lambda api: {"user_id": star(api)},
        PAGE | {"users", "clubs"},
        [("users", LISTED_USER)],
    ),
    ("get_suggested_follows_all", "GET", None, PAGE | {"users"}, [("users", LISTED_USER)]),
    (
        "get_suggested_follows_friends_only",
        "POST",
        lambda api: {"club_id": None, "upload_contacts": True, "contacts": []},
        keys("users success"),
        [],
    ),
    (
        "get_suggested_follows_similar",
        "POST",
        lambda api: {"user_id": star(api)},
        keys("users success"),
        [("users", LISTED_USER)],
    ),
    (
        "search_users",
        "POST",
        lambda api: {"query": "a"},
        PAGE | {"users"},
        [("users", LISTED_USER)],
    ),
    ("search_clubs", "POST", lambda api: {"query": "a"}, PAGE | {"clubs"}, [("clubs", CLUB)]),
    (
        "get_suggested_invites",
        "POST",
        lambda api: {"contacts": [{"phone_number": "+11234567890"}]},
        keys("num_invites suggested_invites success"),
        [("suggested_invites", keys("phone_number in_app is_invited num_friends"))],
    ),
    (
        "get_suggested_club_invites",
        "POST",
        lambda api: {"contacts": []},
        keys("suggested_invites success"),
        [],
    ),
    ("get_online_friends", "POST", lambda api: {}, keys("clubs users"), []),
    (
        "get_events",
        "GET",
        lambda api: {"is_filtered": "false"},
        PAGE | {"events"},
        [("events", keys("event_id name description time_start club is_member_only hosts"))],
    ),
    ("get_notifications", "GET", None, PAGE | {"notifications", "disabled"}, []),
    ("get_actionable_notifications", "GET", None, PAGE | {"notifications"}, []),
    (
        "get_suggested_speakers",
        "POST",
        lambda api: {"channel": None},
        PAGE | {"users", "clubs"},
        [],
    ),
    ("get_welcome_channel", "GET", None, keys("is_empty success"), []),
    (
        "record_action_trails",
        "POST",
        lambda api: {
            "action_trails": [
                {"blob_data": {}, "trail_type": "app_opened", "client_time_created": 1612971962}
            ]
        },
        keys("success"),
        [],
    ),
    ("check_for_update", "GET", lambda api: {"is_testflight": "1"}, keys("has_update success"), []),
    ("get_release_notes", "POST", None, keys("should_display title action url"), []),
    (
        "update_username",
        "POST",
        lambda api: {"username": "hipsterhouse"},
        keys("success error_message"),
        [],
    ),
    (
        "update_notifications",
        "POST",
        lambda api: {
            "enable_trending": -1,
            "pause_till": -1,
            "is_sandbox": False,
            "apn_token": None,
            "system_enabled": 2,
            "frequency": -1,
        },
        keys("success"),
        [],
    ),
    ("get_create_channel_targets", "POST", lambda api: {}, keys("clubs events success"), []),
]


def _items(answer: Any, path: str) -> list[Any]:
    """Every object found under a dotted path (lists are walked through)."""
    found = [answer]
    for part in path.split("."):
        step = []
        for item in found:
            value = item[part]
            step.extend(value if isinstance(value, list) else [value])
        found = step
    return found


@pytest.mark.parametrize(
    ("name", "method", "body", "top", "nested"), CASES, ids=[c[0] for c in CASES]
)
async def test_answer_shapes(
    api: Api,
    name: str,
    method: str,
    body: Any,
    top: set[str],
    nested: list[tuple[str, set[str]]],
) -> None:
    token = api.emulator.login(name="Shay Shape")["auth_token"]
    arguments = body(api) if body else None
    if method == "GET":
        params = {k: str(v) for k, v in (arguments or {}).items()}
        answer = await api.ok(name, method="GET", params=params, token=token)
    else:
        answer = await api.ok(name, arguments, token=token)
    assert top <= set(answer), top - set(answer)
    for path, expected in nested:
        items = _items(answer, path)
        assert items, f"{name}: nothing under {path}"
        for item in items:
            assert expected <= set(item), (path, expected - set(item))
