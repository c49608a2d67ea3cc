"""Bad arguments to the 'users' endpoints are refused before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aioclubhouse.session import ClubhouseSession

from .argument_checks import assert_rejected

BAD_CALLS: list[tuple[str, Callable[[ClubhouseSession], Any], str]] = [
    ("profile-no-user", lambda s: s.get_profile(), "user_id"),
    ("profile-both-refs", lambda s: s.get_profile(7, username="ada"), "user_id"),
    ("profile-empty-username", lambda s: s.get_profile(username=""), "username"),
    ("profile-user-0", lambda s: s.get_profile(0), "user_id"),
    ("follow-user-0", lambda s: s.follow(0), "user_id"),
    ("follow-unknown-source", lambda s: s.follow(7, source=99), "source"),
    ("follow-topic-0", lambda s: s.follow(7, source_topic_id=0), "source_topic_id"),
    ("follow-multiple-empty", lambda s: s.follow_multiple([]), "user_ids"),
    ("follow-multiple-negative", lambda s: s.follow_multiple([7, -1]), "user_ids[1]"),
    ("follow-multiple-str", lambda s: s.follow_multiple("7"), "user_ids"),
    ("unfollow-str", lambda s: s.unfollow("7"), "user_id"),
    ("block-bool", lambda s: s.block(True), "user_id"),
    ("unblock-none", lambda s: s.unblock(None), "user_id"),
    ("ignore-suggested-0", lambda s: s.ignore_suggested_follow(0), "user_id"),
    ("following-user-0", lambda s: s.get_following(0), "user_id"),
    ("following-page-size-0", lambda s: s.get_following(1, page_size=0), "page_size"),
    ("following-page-size-201", lambda s: s.get_following(1, page_size=201), "page_size"),
    ("following-page-0", lambda s: s.get_following(1, page=0), "page"),
    ("following-negative-limit", lambda s: s.get_following(1, limit=-1), "limit"),
    ("followers-no-ref", lambda s: s.get_followers(), "user_id"),
    ("followers-both-refs", lambda s: s.get_followers(1, notification_id=2), "user_id"),
    ("followers-notification-0", lambda s: s.get_followers(notification_id=0), "notification_id"),
    ("mutual-none", lambda s: s.get_mutual_follows(None), "user_id"),
    (
        "suggested-all-str-flag",
        lambda s: s.get_suggested_follows_all(in_onboarding="true"),
        "in_onboarding",
    ),
    (
        "friends-only-bad-contact",
        lambda s: s.get_suggested_follows_friends_only(["4155550123"]),
        "contacts[0]",
    ),
    (
        "friends-only-contacts-str",
        lambda s: s.get_suggested_follows_friends_only("+14155550123"),
        "contacts",
    ),
    ("friends-only-club-0", lambda s: s.get_suggested_follows_friends_only(club_id=0), "club_id"),
    ("similar-no-ref", lambda s: s.get_suggested_follows_similar(), "user_id"),
    ("search-users-empty", lambda s: s.search_users(""), "query"),
    ("search-users-int-flag", lambda s: s.search_users("a", following_only=1), "following_only"),
    ("search-clubs-blank", lambda s: s.search_clubs("  "), "query"),
    ("search-clubs-page-size", lambda s: s.search_clubs("a", page_size=1000), "page_size"),
    (
        "search-types-str",
        lambda s: s.search("a", limit_to_object_types="user"),
        "limit_to_object_types",
    ),
    (
        "search-types-empty-name",
        lambda s: s.search("a", limit_to_object_types=[""]),
        "limit_to_object_types[0]",
    ),
    ("search-cofollows-none", lambda s: s.search("a", cofollows_only=None), "cofollows_only"),
]


@pytest.mark.parametrize(
    ("call", "field"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_argument_is_refused_locally(
    call: Callable[[ClubhouseSession], Any], field: str
) -> None:
    await assert_rejected(call, field)
