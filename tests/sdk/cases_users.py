"""Request-shape cases for the 'users' endpoints."""

from __future__ import annotations

from typing import Any

from aioclubhouse.models.base import SuccessResponse
from aioclubhouse.models.clubs import Club
from aioclubhouse.models.invites import Contact
from aioclubhouse.models.users import OnlineFriends, ProfileResult, UserList, UserShort
from aioclubhouse.pagination import Page

from .endpoint_cases import EndpointCase

ADA = {"user_id": 7, "name": "Ada", "photo_url": None, "username": "ada", "bio": "Engines"}
BOB = {"user_id": "8", "name": "Bob", "username": "bob", "twitter": None}
CLUB = {"club_id": 12, "name": "Engines", "num_members": 3, "is_member": False}


def is_success(result: Any) -> None:
    assert isinstance(result, SuccessResponse) and result.success is True


def user_page(next_page: int | None = None, **extra: Any) -> dict[str, Any]:
    return {"users": [ADA, BOB], "count": 2, "next": next_page, "previous": None, **extra}


def check_user_page(result: Page[UserShort]) -> None:
    assert isinstance(result, Page)
    assert [u.user_id for u in result.items] == [7, 8]
    assert all(isinstance(u, UserShort) for u in result.items)
    assert result.items[0].bio == "Engines" and result.items[1].username == "bob"
    assert result.count == 2 and result.page == 1


def check_third_page(result: Page[UserShort]) -> None:
    assert result.page == 3 and len(result.items) == 2


def check_second_page(result: Page[UserShort]) -> None:
    assert result.page == 2 and len(result.items) == 2


def check_following(result: Page[UserShort]) -> None:
    check_user_page(result)
    assert result.next == 2
    assert result.raw["clubs"][0]["club_id"] == 12


def check_profile(result: ProfileResult) -> None:
    profile = result.user_profile
    assert profile.user_id == 7 and profile.username == "ada"
    assert profile.num_followers == 103 and profile.follows_me is True
    assert profile.time_created is not None and profile.time_created.year == 2021
    assert profile.invited_by_user_profile == UserShort(user_id=1234)
    assert [c.club_id for c in profile.clubs] == [12]
    assert isinstance(profile.clubs[0], Club)
    assert [t.id for t in profile.topics] == [107]
    assert [u.user_id for u in profile.mutual_follows] == [8]


PROFILE = {
    "user_profile": {
        **ADA,
        "displayname": None,
        "twitter": None,
        "instagram": "ada_l",
        "num_followers": 103,
        "num_following": 98,
        "time_created": "2021-01-28T12:30:25.625451+00:00",
        "follows_me": True,
        "is_blocked_by_network": False,
        "mutual_follows_count": 1,
        "mutual_follows": [BOB],
        "notification_type": 2,
        "invited_by_user_profile": {"user_id": 1234, "name": "Inviter", "username": "inv"},
        "clubs": [CLUB],
        "has_verified_email": True,
        "can_edit_username": True,
        "can_edit_name": True,
        "can_edit_displayname": True,
        "topics": [{"title": "Startups", "id": 107, "abbreviated_title": "Startups"}],
    },
    "success": True,
}


def check_user_list(result: UserList) -> None:
    assert isinstance(result, UserList)
    assert [u.user_id for u in result.users] == [7, 8]


def check_online(result: OnlineFriends) -> None:
    assert [u.user_id for u in result.users] == [7]
    assert result.users[0].last_active_minutes == 0
    assert [c.club_id for c in result.clubs] == [12]


def check_club_page(result: Page[Club]) -> None:
    assert [c.club_id for c in result.items] == [12, 13]
    assert all(isinstance(c, Club) for c in result.items)


SEARCH_BODY = {
    "query": "ada",
    "cofollows_only": False,
    "following_only": False,
    "followers_only": False,
}

CASES: list[EndpointCase] = [
    EndpointCase(
        name="get_profile",
        call=lambda s: s.get_profile(7),
        body={"user_id": 7, "query_id": None, "query_result_position": 0},
        response=PROFILE,
        check=check_profile,
    ),
    EndpointCase(
        name="get_profile",
        id="get_profile-username",
        call=lambda s: s.get_profile(username="ada"),
        body={"username": "ada", "query_id": None, "query_result_position": 0},
        response=PROFILE,
        check=check_profile,
    ),
    EndpointCase(
        name="follow",
        call=lambda s: s.follow(7),
        body={"user_id": 7, "user_ids": None, "source": 4, "source_topic_id": None},
        check=is_success,
    ),
    EndpointCase(
        name="follow",
        id="follow-from-topic",
        call=lambda s: s.follow(7, source=9, source_topic_id=140),
        body={"user_id": 7, "user_ids": None, "source": 9, "source_topic_id": 140},
        check=is_success,
    ),
    EndpointCase(
        name="follow_multiple",
        call=lambda s: s.follow_multiple([7, 8]),
        body={"user_ids": [7, 8], "user_id": None, "source": 7, "source_topic_id": None},
        check=is_success,
    ),
    EndpointCase(
        name="unfollow", call=lambda s: s.unfollow(7), body={"user_id": 7}, check=is_success
    ),
    EndpointCase(name="block", call=lambda s: s.block(7), body={"user_id": 7}, check=is_success),
    EndpointCase(
        name="unblock", call=lambda s: s.unblock(7), body={"user_id": 7}, check=is_success
    ),
    EndpointCase(
        name="ignore_suggested_follow",
        call=lambda s: s.ignore_suggested_follow(7),
        body={"user_id": 7},
        check=is_success,
    ),
    EndpointCase(
        name="get_following",
        call=lambda s: s.get_following(42),
        query={"user_id": "42", "page_size": "50", "page": "1"},
        response=user_page(2, clubs=[CLUB]),
        check=check_following,
    ),
    EndpointCase(
        name="get_followers",
        call=lambda s: s.get_followers(42),
        query={"user_id": "42", "page_size": "50", "page": "1"},
        response=user_page(),
        check=check_user_page,
    ),
    EndpointCase(
        name="get_followers",
        id="get_followers-notification-page-3",
        call=lambda s: s.get_followers(notification_id=555, page_size=10, page=3),
        query={"notification_id": "555", "page_size": "10", "page": "3"},
        response=user_page(),
        check=check_third_page,
    ),
    EndpointCase(
        name="get_mutual_follows",
        call=lambda s: s.get_mutual_follows(42),
        query={"user_id": "42", "page_size": "50", "page": "1"},
        response=user_page(),
        check=check_user_page,
    ),
    EndpointCase(
        name="get_suggested_follows_all",
        call=lambda s: s.get_suggested_follows_all(),
        query={"in_onboarding": "true", "page_size": "50", "page": "1"},
        response=user_page(),
        check=check_user_page,
    ),
    EndpointCase(
        name="get_suggested_follows_all",
        id="get_suggested_follows_all-after-onboarding",
        call=lambda s: s.get_suggested_follows_all(in_onboarding=False, page_size=25),
        query={"in_onboarding": "false", "page_size": "25", "page": "1"},
        response=user_page(),
        check=check_user_page,
    ),
    EndpointCase(
        name="get_suggested_follows_friends_only",
        call=lambda s: s.get_suggested_follows_friends_only(),
        body={"club_id": None, "upload_contacts": True, "contacts": []},
        response={"users": [ADA, BOB], "success": True},
        check=check_user_list,
    ),
    EndpointCase(
        name="get_suggested_follows_friends_only",
        id="get_suggested_follows_friends_only-contacts",
        call=lambda s: s.get_suggested_follows_friends_only(
            ["+14155550100", Contact(phone_number="+14155550101", name="Bob")]
        ),
        body={
            "club_id": None,
            "upload_contacts": True,
            "contacts": [
                {"phone_number": "+14155550100"},
                {"phone_number": "+14155550101", "name": "Bob"},
            ],
        },
        response={"users": [ADA, BOB], "success": True},
        check=check_user_list,
    ),
    EndpointCase(
        name="get_suggested_follows_similar",
        call=lambda s: s.get_suggested_follows_similar(4),
        body={"user_id": 4, "query_id": None, "query_result_position": None},
        response={"users": [ADA, BOB], "success": True},
        check=check_user_list,
    ),
    EndpointCase(
        name="get_suggested_follows_similar",
        id="get_suggested_follows_similar-username",
        call=lambda s: s.get_suggested_follows_similar(username="ada"),
        body={"username": "ada", "query_id": None, "query_result_position": None},
        response={"users": [ADA, BOB], "success": True},
        check=check_user_list,
    ),
    EndpointCase(
        name="get_online_friends",
        call=lambda s: s.get_online_friends(),
        body={},
        response={"users": [{**ADA, "last_active_minutes": 0}], "clubs": [CLUB]},
        check=check_online,
    ),
    EndpointCase(
        name="search_users",
        call=lambda s: s.search_users("ada"),
        query={"page_size": "50", "page": "1"},
        body=SEARCH_BODY,
        response=user_page(),
        check=check_user_page,
    ),
    EndpointCase(
        name="search_users",
        id="search_users-following-only",
        call=lambda s: s.search_users("ada", following_only=True, page_size=20, page=2),
        query={"page_size": "20", "page": "2"},
        body={**SEARCH_BODY, "following_only": True},
        response=user_page(),
        check=check_second_page,
    ),
    EndpointCase(
        name="search_clubs",
        call=lambda s: s.search_clubs("ada"),
        query={"page_size": "50", "page": "1"},
        body=SEARCH_BODY,
        response={"clubs": [CLUB, {"club_id": "13", "name": "Looms"}], "count": 2, "next": None},
        check=check_club_page,
    ),
    EndpointCase(
        name="search",
        call=lambda s: s.search("ada"),
        query={"page_size": "50", "page": "1"},
        body={"limit_to_object_types": [], **SEARCH_BODY},
        response=user_page(clubs=[CLUB]),
        check=check_user_page,
    ),
    EndpointCase(
        name="search",
        id="search-users-only",
        call=lambda s: s.search("ada", limit_to_object_types=["user"], cofollows_only=True),
        query={"page_size": "50", "page": "1"},
        body={"limit_to_object_types": ["user"], **SEARCH_BODY, "cofollows_only": True},
        response=user_page(),
        check=check_user_page,
    ),
]
