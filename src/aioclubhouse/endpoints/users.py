"""Endpoints of the 'users' area: profiles, the follow graph, suggestions and search."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import validation
from ..errors import InvalidArgumentError
from ..models.base import SuccessResponse
from ..models.clubs import Club
from ..models.invites import Contact
from ..models.users import OnlineFriends, ProfileResult, UserList, UserShort
from ..pagination import Pager
from .base import EndpointGroup
from .invites import contacts_json

__all__ = ["UserEndpoints"]

# The follow ``source`` values the apps send (docs/protocol.md, SourceLocation).
SOURCE_PROFILE = 4
SOURCE_LIST = 7
MAX_SOURCE = 20


def _user_ref(user_id: int | None, username: str | None) -> dict[str, Any]:
    """Exactly one of ``user_id`` and ``username``, as the service takes it."""
    if validation.exactly_one(user_id=user_id, username=username) == "user_id":
        return {"user_id": validation.positive_id(user_id, "user_id")}
    return {"username": validation.non_empty(username, "username")}


def _search_body(
    query: str, *, cofollows_only: bool, following_only: bool, followers_only: bool
) -> dict[str, Any]:
    return {
        "query": validation.non_empty(query, "query"),
        "cofollows_only": validation.boolean(cofollows_only, "cofollows_only"),
        "following_only": validation.boolean(following_only, "following_only"),
        "followers_only": validation.boolean(followers_only, "followers_only"),
    }


class UserEndpoints(EndpointGroup):
    """The 'users' endpoints."""

    # -- profiles ------------------------------------------------------------------------
    async def get_profile(
        self, user_id: int | None = None, *, username: str | None = None
    ) -> ProfileResult:
        """The full profile of a user, by id or by @username."""
        body = {**_user_ref(user_id, username), "query_id": None, "query_result_position": 0}
        return await self._call("get_profile", ProfileResult, body=body)

    # -- the follow graph ------------------------------------------------------------------
    async def follow(
        self,
        user_id: int,
        *,
        source: int = SOURCE_PROFILE,
        source_topic_id: int | None = None,
    ) -> SuccessResponse:
        """Follow a user."""
        body = {
            "user_id": validation.positive_id(user_id, "user_id"),
            "user_ids": None,
            "source": validation.in_range(source, "source", -1, MAX_SOURCE),
            "source_topic_id": validation.optional_id(source_topic_id, "source_topic_id"),
        }
        return await self._call("follow", SuccessResponse, body=body)

    async def follow_multiple(
        self,
        user_ids: Iterable[int],
        *,
        source: int = SOURCE_LIST,
        source_topic_id: int | None = None,
    ) -> SuccessResponse:
        """Follow several users at once."""
        ids = validation.id_list(user_ids, "user_ids")
        if not ids:
            raise InvalidArgumentError("user_ids", "must name at least one user")
        body = {
            "user_ids": ids,
            "user_id": None,
            "source": validation.in_range(source, "source", -1, MAX_SOURCE),
            "source_topic_id": validation.optional_id(source_topic_id, "source_topic_id"),
        }
        return await self._call("follow_multiple", SuccessResponse, body=body)

    async def unfollow(self, user_id: int) -> SuccessResponse:
        """Stop following a user."""
        body = {"user_id": validation.positive_id(user_id, "user_id")}
        return await self._call("unfollow", SuccessResponse, body=body)

    async def block(self, user_id: int) -> SuccessResponse:
        """Block a user."""
        body = {"user_id": validation.positive_id(user_id, "user_id")}
        return await self._call("block", SuccessResponse, body=body)

    async def unblock(self, user_id: int) -> SuccessResponse:
        """Unblock a user."""
        body = {"user_id": validation.positive_id(user_id, "user_id")}
        return await self._call("unblock", SuccessResponse, body=body)

    async def ignore_suggested_follow(self, user_id: int) -> SuccessResponse:
        """Stop suggesting ``user_id`` as someone to follow."""
        body = {"user_id": validation.positive_id(user_id, "user_id")}
        return await self._call("ignore_suggested_follow", SuccessResponse, body=body)

    def get_following(
        self, user_id: int, *, page_size: int = 50, page: int = 1, limit: int | None = None
    ) -> Pager[UserShort]:
        """The users ``user_id`` follows (the page's ``raw["clubs"]`` has the clubs)."""
        params = {"user_id": validation.positive_id(user_id, "user_id")}
        return self._pager(
            "get_following",
            UserShort,
            "users",
            params=params,
            page_size=page_size,
            page=page,
            limit=limit,
        )

    def get_followers(
        self,
        user_id: int | None = None,
        *,
        notification_id: int | None = None,
        page_size: int = 50,
        page: int = 1,
        limit: int | None = None,
    ) -> Pager[UserShort]:
        """The followers of ``user_id`` (or the users behind a follow notification)."""
        if validation.exactly_one(user_id=user_id, notification_id=notification_id) == "user_id":
            params = {"user_id": validation.positive_id(user_id, "user_id")}
        else:
            params = {"notification_id": validation.positive_id(notification_id, "notification_id")}
        return self._pager(
            "get_followers",
            UserShort,
            "users",
            params=params,
            page_size=page_size,
            page=page,
            limit=limit,
        )

    def get_mutual_follows(
        self, user_id: int, *, page_size: int = 50, page: int = 1, limit: int | None = None
    ) -> Pager[UserShort]:
        """The users both we and ``user_id`` follow."""
        params = {"user_id": validation.positive_id(user_id, "user_id")}
        return self._pager(
            "get_mutual_follows",
            UserShort,
            "users",
            params=params,
            page_size=page_size,
            page=page,
            limit=limit,
        )

    # -- suggestions -----------------------------------------------------------------------
    def get_suggested_follows_all(
        self,
        *,
        in_onboarding: bool = True,
        page_size: int = 50,
        page: int = 1,
        limit: int | None = None,
    ) -> Pager[UserShort]:
        """People the service suggests following."""
        params = {"in_onboarding": validation.boolean(in_onboarding, "in_onboarding")}
        return self._pager(
            "get_suggested_follows_all",
            UserShort,
            "users",
            params=params,
            page_size=page_size,
            page=page,
            limit=limit,
        )

    async def get_suggested_follows_friends_only(
        self,
        contacts: Iterable[Contact | str] = (),
        *,
        club_id: int | None = None,
        upload_contacts: bool = True,
    ) -> UserList:
        """People from ``contacts`` (phone numbers) who are already on the app."""
        body = {
            "club_id": validation.optional_id(club_id, "club_id"),
            "upload_contacts": validation.boolean(upload_contacts, "upload_contacts"),
            "contacts": contacts_json(contacts),
        }
        return await self._call("get_suggested_follows_friends_only", UserList, body=body)

    async def get_suggested_follows_similar(
        self, user_id: int | None = None, *, username: str | None = None
    ) -> UserList:
        """Users similar to the given one (by id or by @username)."""
        body = {**_user_ref(user_id, username), "query_id": None, "query_result_position": None}
        return await self._call("get_suggested_follows_similar", UserList, body=body)

    async def get_online_friends(self) -> OnlineFriends:
        """Followed users and clubs that are online now."""
        return await self._call("get_online_friends", OnlineFriends, body={})

    # -- search ------------------------------------------------------------------------------
    def search_users(
        self,
        query: str,
        *,
        cofollows_only: bool = False,
        following_only: bool = False,
        followers_only: bool = False,
        page_size: int = 50,
        page: int = 1,
        limit: int | None = None,
    ) -> Pager[UserShort]:
        """Users whose name or @username matches ``query``."""
        params = _search_body(
            query,
            cofollows_only=cofollows_only,
            following_only=following_only,
            followers_only=followers_only,
        )
        return self._pager(
            "search_users",
            UserShort,
            "users",
            params=params,
            page_size=page_size,
            page=page,
            limit=limit,
        )

    def search_clubs(
        self,
        query: str,
        *,
        cofollows_only: bool = False,
        following_only: bool = False,
        followers_only: bool = False,
        page_size: int = 50,
        page: int = 1,
        limit: int | None = None,
    ) -> Pager[Club]:
        """Clubs whose name matches ``query``."""
        params = _search_body(
            query,
            cofollows_only=cofollows_only,
            following_only=following_only,
            followers_only=followers_only,
        )
        return self._pager(
            "search_clubs",
            Club,
            "clubs",
            params=params,
            page_size=page_size,
            page=page,
            limit=limit,
        )

    def search(
        self,
        query: str,
        *,
        limit_to_object_types: Iterable[str] = (),
        cofollows_only: bool = False,
        following_only: bool = False,
        followers_only: bool = False,
        page_size: int = 50,
        page: int = 1,
        limit: int | None = None,
    ) -> Pager[UserShort]:
        """The combined search of later app versions; yields the matching users.

        Other kinds of results the service returns stay in each page's ``raw``.
        """
        if isinstance(limit_to_object_types, (str, bytes, Mapping)) or not isinstance(
            limit_to_object_types, Iterable
        ):
            raise InvalidArgumentError("limit_to_object_types", "must be a list of type names")
        kinds = [
            validation.non_empty(kind, f"limit_to_object_types[{index}]")
            for index, kind in enumerate(limit_to_object_types)
        ]
        params = {
            "limit_to_object_types": kinds,
            **_search_body(
                query,
                cofollows_only=cofollows_only,
                following_only=following_only,
                followers_only=followers_only,
            ),
        }
        return self._pager(
            "search", UserShort, "users", params=params, page_size=page_size, page=page, limit=limit
        )
