"""Bad arguments to the 'clubs' endpoints are refused before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aioclubhouse.models.clubs import ClubRule
from aioclubhouse.session import ClubhouseSession

from .argument_checks import assert_rejected

RULE = {"title": "Kindness", "desc": "Be kind"}

BAD_CALLS: list[tuple[str, Callable[[ClubhouseSession], Any], str]] = [
    ("get-nothing", lambda s: s.get_club(), "club_id"),
    ("get-id-and-slug", lambda s: s.get_club(12, slug="engines"), "club_id"),
    ("get-id-0", lambda s: s.get_club(0), "club_id"),
    ("get-empty-slug", lambda s: s.get_club(slug=""), "slug"),
    ("get-topic-str", lambda s: s.get_club(12, source_topic_id="140"), "source_topic_id"),
    (
        "get-position-negative",
        lambda s: s.get_club(12, query_result_position=-1),
        "query_result_position",
    ),
    ("members-club-0", lambda s: s.get_club_members(0), "club_id"),
    (
        "members-followers-int",
        lambda s: s.get_club_members(12, return_followers=1),
        "return_followers",
    ),
    (
        "members-members-str",
        lambda s: s.get_club_members(12, return_members="1"),
        "return_members",
    ),
    ("members-page-size-0", lambda s: s.get_club_members(12, page_size=0), "page_size"),
    ("members-page-negative", lambda s: s.get_club_members(12, page=-1), "page"),
    ("clubs-startable-int", lambda s: s.get_clubs(is_startable_only=1), "is_startable_only"),
    ("follow-club-none", lambda s: s.follow_club(None), "club_id"),
    ("follow-topic-0", lambda s: s.follow_club(12, source_topic_id=0), "source_topic_id"),
    ("unfollow-club-str", lambda s: s.unfollow_club("12"), "club_id"),
    ("join-club-0", lambda s: s.join_club(0), "club_id"),
    ("leave-club-negative", lambda s: s.leave_club(-12), "club_id"),
    ("add-admin-user-0", lambda s: s.add_club_admin(12, 0), "user_id"),
    ("remove-admin-club-0", lambda s: s.remove_club_admin(0, 7), "club_id"),
    ("remove-member-user-str", lambda s: s.remove_club_member(12, "7"), "user_id"),
    ("add-member-nobody", lambda s: s.add_club_member(12), "user_id"),
    ("add-member-bad-phone", lambda s: s.add_club_member(12, phone_number="555"), "phone_number"),
    ("add-member-user-0", lambda s: s.add_club_member(12, 0), "user_id"),
    ("add-member-name-int", lambda s: s.add_club_member(12, 7, name=5), "name"),
    (
        "accept-invite-code-int",
        lambda s: s.accept_club_member_invite(12, invite_code=5),
        "invite_code",
    ),
    ("nominations-club-0", lambda s: s.get_club_nominations(0), "club_id"),
    (
        "approve-nomination-0",
        lambda s: s.approve_club_nomination(12, 0, user_id=9),
        "invite_nomination_id",
    ),
    (
        "approve-nomination-user-0",
        lambda s: s.approve_club_nomination(12, 31, user_id=0),
        "user_id",
    ),
    (
        "reject-nomination-str",
        lambda s: s.reject_club_nomination(12, "31", user_id=9),
        "invite_nomination_id",
    ),
    (
        "reject-nomination-user-str",
        lambda s: s.reject_club_nomination(12, 31, user_id="9"),
        "user_id",
    ),
    (
        "accept-invite-code-empty",
        lambda s: s.accept_club_member_invite(12, invite_code=""),
        "invite_code",
    ),
    ("add-topic-0", lambda s: s.add_club_topic(12, 0), "topic_id"),
    ("remove-topic-club-0", lambda s: s.remove_club_topic(0, 140), "club_id"),
    ("topics-not-list", lambda s: s.update_club_topics(12, "140"), "topic_ids"),
    ("topics-bad-item", lambda s: s.update_club_topics(12, [140, -1]), "topic_ids[1]"),
    (
        "follow-allowed-str",
        lambda s: s.update_is_follow_allowed(12, is_follow_allowed="no"),
        "is_follow_allowed",
    ),
    (
        "membership-private-int",
        lambda s: s.update_is_membership_private(12, is_membership_private=0),
        "is_membership_private",
    ),
    ("community-none", lambda s: s.update_is_community(12, is_community=None), "is_community"),
    ("description-none", lambda s: s.update_club_description(12, None), "description"),
    ("rules-four", lambda s: s.update_club_rules(12, [RULE] * 4), "rules"),
    ("rules-not-list", lambda s: s.update_club_rules(12, RULE), "rules"),
    ("rules-str", lambda s: s.update_club_rules(12, "be kind"), "rules"),
    ("rules-item-str", lambda s: s.update_club_rules(12, ["be kind"]), "rules[0]"),
    (
        "rules-empty-title",
        lambda s: s.update_club_rules(12, [RULE, {"title": "", "desc": "x"}]),
        "rules[1].title",
    ),
    (
        "rules-missing-title",
        lambda s: s.update_club_rules(12, [{"desc": "x"}]),
        "rules[0].title",
    ),
    (
        "rules-desc-int",
        lambda s: s.update_club_rules(12, [ClubRule(title="t", desc=5)]),
        "rules[0].desc",
    ),
    ("rules-club-0", lambda s: s.update_club_rules(0, [RULE]), "club_id"),
    ("photo-club-0", lambda s: s.update_club_photo(0, b"\xff\xd8"), "club_id"),
    ("photo-empty", lambda s: s.update_club_photo(12, b""), "photo"),
    ("photo-missing-file", lambda s: s.update_club_photo(12, "/nonexistent/club.jpg"), "photo"),
    ("photo-wrong-type", lambda s: s.update_club_photo(12, 1234), "photo"),
    ("create-empty-name", lambda s: s.create_club(""), "name"),
    ("create-description-int", lambda s: s.create_club("x", description=5), "description"),
    ("create-community-str", lambda s: s.create_club("x", is_community="yes"), "is_community"),
    ("create-photo-empty", lambda s: s.create_club("x", photo=b""), "photo"),
]


@pytest.mark.parametrize(
    ("call", "field"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_argument_is_refused_locally(
    call: Callable[[ClubhouseSession], Any], field: str
) -> None:
    await assert_rejected(call, field)
