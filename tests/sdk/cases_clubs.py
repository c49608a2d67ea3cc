"""Request-shape cases for the 'clubs' endpoints."""

from __future__ import annotations

import pathlib
import tempfile
from collections.abc import Awaitable, Callable
from typing import Any

from aioclubhouse.models.base import SuccessResponse
from aioclubhouse.models.clubs import (
    CanCreateClubResult,
    Club,
    ClubIdResult,
    ClubMember,
    ClubNominations,
    ClubResult,
    ClubRule,
    ClubsResult,
)
from aioclubhouse.models.topics import Topic
from aioclubhouse.models.users import UserShort
from aioclubhouse.pagination import Page

from .endpoint_cases import EndpointCase

JPEG = b"\xff\xd8\xff\xe0 not really a picture \xff\xd9"

# The SPEC example of get_club, verbatim in shape.
CLUB_PAGE = {
    "club": {
        "club_id": 123,
        "name": "Example Club",
        "description": "Example",
        "photo_url": "https://example.test/club_123_thumbnail_250x250",
        "num_members": 123,
        "num_followers": 456,
        "is_member": False,
        "is_follower": False,
    },
    "is_admin": False,
    "is_member": False,
    "is_follower": False,
    "is_pending_accept": False,
    "is_pending_approval": False,
    "added_by_user_profile": None,
    "member_user_ids": [],
    "num_invites": 0,
    "invite_link": None,
    "topics": [{"title": "Topic Example", "id": 140, "abbreviated_title": "Topic Example"}],
    "success": True,
}
MEMBERS = {
    "users": [
        {"user_id": 7, "name": "Ada", "username": "ada", "is_admin": True, "is_member": True},
        {"user_id": 8, "name": "Bob", "username": "bob", "is_follower": True},
    ],
    "count": 2,
    "next": None,
    "previous": None,
    "success": True,
}


def is_success(result: Any) -> None:
    assert isinstance(result, SuccessResponse) and result.success is True


def check_club_page(result: ClubResult) -> None:
    assert isinstance(result, ClubResult)
    assert result.club == Club(club_id=123) and result.club.num_followers == 456
    assert result.added_by_user_profile is None and result.member_user_ids == []
    assert result.topics == [Topic(id=140)]


def check_club_page_with_adder(result: ClubResult) -> None:
    assert result.club.club_id == 123 and result.is_admin is True
    assert result.added_by_user_profile == UserShort(user_id=7)
    assert result.member_user_ids == [7, 8]


def check_members(result: Page[ClubMember]) -> None:
    assert isinstance(result, Page)
    ada, bob = result.items
    assert isinstance(ada, ClubMember) and ada.username == "ada"
    assert ada.is_admin is True and ada == UserShort(user_id=7) == ada
    assert hash(ada) == hash(UserShort(user_id=7))
    assert bob.is_follower is True and bob.is_member is False


def check_clubs(result: ClubsResult) -> None:
    (club,) = result.clubs
    assert club.club_id == 1234 and club.rules == [ClubRule(title="Rule", desc="Description")]


def check_nominations(result: ClubNominations) -> None:
    (nominee,) = result.from_users
    assert nominee.invite_nomination_id == 31
    assert nominee.user_profile == UserShort(user_id=9)
    assert result.from_contacts[0].phone_number == "+14155550123"
    assert result.num_invites == 2


def check_can_create(result: CanCreateClubResult) -> None:
    assert result.can_create_club is False and result.reason_title == "Not yet"


def check_club_id(result: ClubIdResult) -> None:
    assert isinstance(result, ClubIdResult) and result.club_id == 4321


async def _with_photo_file(upload: Callable[[pathlib.Path], Awaitable[Any]]) -> Any:
    """Run ``upload`` with the path of a JPEG file that exists only for the call."""
    with tempfile.TemporaryDirectory(prefix="aioclubhouse-club-photo-") as folder:
        path = pathlib.Path(folder) / "club.jpg"
        path.write_bytes(JPEG)
        return await upload(path)


def _club_user(name: str) -> EndpointCase:
    return EndpointCase(
        name=name,
        call=lambda s: getattr(s, name)(12, 7),
        body={"club_id": 12, "user_id": 7},
        check=is_success,
    )


def _club_source(name: str) -> EndpointCase:
    return EndpointCase(
        name=name,
        call=lambda s: getattr(s, name)(12),
        body={"club_id": 12, "source_topic_id": None},
        check=is_success,
    )


CASES: list[EndpointCase] = [
    EndpointCase(
        name="get_club",
        call=lambda s: s.get_club(123),
        body={
            "club_id": 123,
            "slug": None,
            "source_topic_id": None,
            "query_id": None,
            "query_result_position": None,
        },
        response=CLUB_PAGE,
        check=check_club_page,
    ),
    EndpointCase(
        name="get_club",
        id="get_club-slug-from-topic",
        call=lambda s: s.get_club(slug="example-club", source_topic_id=140),
        body={
            "club_id": None,
            "slug": "example-club",
            "source_topic_id": 140,
            "query_id": None,
            "query_result_position": None,
        },
        response={
            **CLUB_PAGE,
            "is_admin": True,
            "added_by_user_profile": {"user_id": 7, "name": "Ada"},
            "member_user_ids": [7, "8"],
        },
        check=check_club_page_with_adder,
    ),
    EndpointCase(
        name="get_club_members",
        call=lambda s: s.get_club_members(12),
        query={
            "club_id": "12",
            "return_followers": "0",
            "return_members": "1",
            "page_size": "50",
            "page": "1",
        },
        response=MEMBERS,
        check=check_members,
    ),
    EndpointCase(
        name="get_club_members",
        id="get_club_members-followers-page-2",
        call=lambda s: s.get_club_members(
            12, return_followers=True, return_members=False, page_size=20, page=2
        ),
        query={
            "club_id": "12",
            "return_followers": "1",
            "return_members": "0",
            "page_size": "20",
            "page": "2",
        },
        response=MEMBERS,
        check=lambda r: _assert(r.page == 2 and len(r.items) == 2),
    ),
    EndpointCase(
        name="get_clubs",
        call=lambda s: s.get_clubs(),
        body={"is_startable_only": False},
        response={
            "clubs": [
                {
                    "club_id": "1234",
                    "name": "Example club",
                    "rules": [{"desc": "Description", "title": "Rule"}],
                }
            ],
            "success": True,
        },
        check=check_clubs,
    ),
    EndpointCase(
        name="get_clubs",
        id="get_clubs-startable",
        call=lambda s: s.get_clubs(is_startable_only=True),
        body={"is_startable_only": True},
        response={"clubs": None, "success": True},
        check=lambda r: _assert(r.clubs == []),
    ),
    _club_source("follow_club"),
    EndpointCase(
        name="follow_club",
        id="follow_club-from-topic",
        call=lambda s: s.follow_club(12, source_topic_id=140),
        body={"club_id": 12, "source_topic_id": 140},
        check=is_success,
    ),
    _club_source("unfollow_club"),
    _club_source("join_club"),
    _club_source("leave_club"),
    _club_user("add_club_admin"),
    _club_user("remove_club_admin"),
    _club_user("remove_club_member"),
    EndpointCase(
        name="add_club_member",
        call=lambda s: s.add_club_member(12, 7),
        body={
            "club_id": 12,
            "user_id": 7,
            "name": None,
            "phone_number": None,
            "message": None,
            "reason": None,
        },
        check=is_success,
    ),
    EndpointCase(
        name="add_club_member",
        id="add_club_member-by-phone",
        call=lambda s: s.add_club_member(
            12, name="Cy", phone_number="+14155550123", message="Join us", reason="friend"
        ),
        body={
            "club_id": 12,
            "user_id": None,
            "name": "Cy",
            "phone_number": "+14155550123",
            "message": "Join us",
            "reason": "friend",
        },
        check=is_success,
    ),
    EndpointCase(
        name="accept_club_member_invite",
        call=lambda s: s.accept_club_member_invite(12),
        body={"club_id": 12, "source_topic_id": None},
        check=is_success,
    ),
    EndpointCase(
        name="accept_club_member_invite",
        id="accept_club_member_invite-code",
        call=lambda s: s.accept_club_member_invite(12, invite_code="abc123"),
        body={"club_id": 12, "source_topic_id": None, "invite_code": "abc123"},
        check=is_success,
    ),
    EndpointCase(
        name="accept_club_member_invite",
        id="accept_club_member_invite-topic",
        call=lambda s: s.accept_club_member_invite(12, source_topic_id=140),
        body={"club_id": 12, "source_topic_id": 140},
        check=is_success,
    ),
    EndpointCase(
        name="get_club_nominations",
        call=lambda s: s.get_club_nominations(12),
        body={"club_id": 12, "source_topic_id": None},
        response={
            "from_users": [
                {"invite_nomination_id": 31, "user_profile": {"user_id": 9, "name": "Di"}}
            ],
            "from_contacts": [{"name": "Ed", "phone_number": "+14155550123"}],
            "num_invites": 2,
            "success": True,
        },
        check=check_nominations,
    ),
    EndpointCase(
        name="approve_club_nomination",
        call=lambda s: s.approve_club_nomination(12, 31, user_id=9),
        body={"club_id": 12, "user_id": 9, "invite_nomination_id": 31},
        check=is_success,
    ),
    EndpointCase(
        name="reject_club_nomination",
        call=lambda s: s.reject_club_nomination(12, 31, user_id=9),
        body={"club_id": 12, "user_id": 9, "invite_nomination_id": 31},
        check=is_success,
    ),
    EndpointCase(
        name="add_club_topic",
        call=lambda s: s.add_club_topic(12, 140),
        body={"club_id": 12, "topic_id": 140},
        check=is_success,
    ),
    EndpointCase(
        name="remove_club_topic",
        call=lambda s: s.remove_club_topic(12, 140),
        body={"club_id": 12, "topic_id": 140},
        check=is_success,
    ),
    EndpointCase(
        name="update_club_topics",
        call=lambda s: s.update_club_topics(12, [140, 141]),
        body={"club_id": 12, "topic_ids": [140, 141]},
        check=is_success,
    ),
    EndpointCase(
        name="update_club_topics",
        id="update_club_topics-clear",
        call=lambda s: s.update_club_topics(12, []),
        body={"club_id": 12, "topic_ids": []},
        check=is_success,
    ),
    EndpointCase(
        name="update_is_follow_allowed",
        call=lambda s: s.update_is_follow_allowed(12),
        body={"club_id": 12, "is_follow_allowed": True},
        check=is_success,
    ),
    EndpointCase(
        name="update_is_follow_allowed",
        id="update_is_follow_allowed-off",
        call=lambda s: s.update_is_follow_allowed(12, is_follow_allowed=False),
        body={"club_id": 12, "is_follow_allowed": False},
        check=is_success,
    ),
    EndpointCase(
        name="update_is_membership_private",
        call=lambda s: s.update_is_membership_private(12),
        body={"club_id": 12, "is_membership_private": False},
        check=is_success,
    ),
    EndpointCase(
        name="update_is_community",
        call=lambda s: s.update_is_community(12, is_community=True),
        body={"club_id": 12, "is_community": True},
        check=is_success,
    ),
    EndpointCase(
        name="update_club_description",
        call=lambda s: s.update_club_description(12, "All about engines"),
        body={"club_id": 12, "description": "All about engines"},
        check=is_success,
    ),
    EndpointCase(
        name="update_club_rules",
        call=lambda s: s.update_club_rules(
            12,
            [
                ClubRule(title="Kindness", desc="Be kind"),
                {"title": "On topic", "desc": "Engines only"},
                {"title": "No spam"},
            ],
        ),
        body={
            "club_id": 12,
            "rules": [
                {"desc": "Be kind", "title": "Kindness"},
                {"desc": "Engines only", "title": "On topic"},
                {"desc": "", "title": "No spam"},
            ],
        },
        check=is_success,
    ),
    EndpointCase(
        name="can_create_club",
        call=lambda s: s.can_create_club(),
        response={
            "can_create_club": False,
            "reason_title": "Not yet",
            "reason_message": "Host a few rooms first",
            "success": True,
        },
        check=check_can_create,
    ),
    EndpointCase(
        name="create_club",
        call=lambda s: s.create_club("Engines"),
        multipart=True,
        response={"club_id": 4321, "success": True},
        check=check_club_id,
    ),
    EndpointCase(
        name="create_club",
        id="create_club-photo-bytes",
        call=lambda s: s.create_club("Engines", description="Steam", photo=JPEG),
        multipart=True,
        response={"club_id": 4321, "success": True},
        check=check_club_id,
    ),
    EndpointCase(
        name="create_club",
        id="create_club-photo-path",
        call=lambda s: _with_photo_file(
            lambda path: s.create_club("Engines", photo=str(path), is_community=True)
        ),
        multipart=True,
        response={"club_id": "4321", "success": True},
        check=check_club_id,
    ),
    EndpointCase(
        name="update_club_photo",
        call=lambda s: s.update_club_photo(4321, JPEG),
        multipart=True,
        response={"club_id": 4321, "photo_url": "https://example.test/club_4321", "success": True},
        check=check_club_id,
    ),
    EndpointCase(
        name="update_club_photo",
        id="update_club_photo-path",
        call=lambda s: _with_photo_file(lambda path: s.update_club_photo(4321, path)),
        multipart=True,
        response={"club_id": 4321, "success": True},
        check=check_club_id,
    ),
]


def _assert(condition: bool) -> None:
    assert condition
