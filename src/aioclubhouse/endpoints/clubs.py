"""Endpoints of the 'clubs' area: club pages, membership, nominations and settings.

``source_topic_id`` (sent as ``null`` by default, as the apps do) records which topic
page led the caller to the club.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import validation
from ..errors import InvalidArgumentError
from ..models.base import SuccessResponse
from ..models.clubs import (
    CanCreateClubResult,
    ClubIdResult,
    ClubMember,
    ClubNominations,
    ClubResult,
    ClubRule,
    ClubsResult,
)
from ..pagination import Pager
from ..transport import wire_text
from .base import EndpointGroup
from .uploads import Photo, jpeg_part, multipart_form, read_photo

__all__ = ["MAX_CLUB_RULES", "ClubEndpoints"]

MAX_CLUB_RULES = 3


def _club(club_id: int, source_topic_id: int | None = None) -> dict[str, Any]:
    return {
        "club_id": validation.positive_id(club_id, "club_id"),
        "source_topic_id": validation.optional_id(source_topic_id, "source_topic_id"),
    }


def _club_and_user(club_id: int, user_id: int) -> dict[str, Any]:
    return {
        "club_id": validation.positive_id(club_id, "club_id"),
        "user_id": validation.positive_id(user_id, "user_id"),
    }


def _nomination(club_id: int, invite_nomination_id: int, user_id: int) -> dict[str, Any]:
    return {
        **_club_and_user(club_id, user_id),
        "invite_nomination_id": validation.positive_id(
            invite_nomination_id, "invite_nomination_id"
        ),
    }


def _rules(rules: Iterable[ClubRule | Mapping[str, str]]) -> list[dict[str, str]]:
    """Rules as the wire wants them: up to three ``{"title", "desc"}`` objects."""
    if isinstance(rules, (str, bytes, Mapping)) or not hasattr(rules, "__iter__"):
        raise InvalidArgumentError("rules", "must be a list of rules")
    checked: list[dict[str, str]] = []
    for index, rule in enumerate(rules):
        field = f"rules[{index}]"
        title: Any
        desc: Any
        if isinstance(rule, ClubRule):
            title, desc = rule.title, rule.desc
        elif isinstance(rule, Mapping):
            title, desc = rule.get("title"), rule.get("desc", "")
        else:
            raise InvalidArgumentError(field, "must be a ClubRule or a {'title', 'desc'} mapping")
        checked.append(
            {
                "desc": validation.text(desc, f"{field}.desc"),
                "title": validation.non_empty(title, f"{field}.title"),
            }
        )
    if len(checked) > MAX_CLUB_RULES:
        raise InvalidArgumentError("rules", f"a club has at most {MAX_CLUB_RULES} rules")
    return checked


class ClubEndpoints(EndpointGroup):
    """The 'clubs' endpoints."""

    # -- looking clubs up ----------------------------------------------------------------
    async def get_club(
        self,
        club_id: int | None = None,
        *,
        slug: str | None = None,
        source_topic_id: int | None = None,
        query_id: int | None = None,
        query_result_position: int | None = None,
    ) -> ClubResult:
        """Fetch a club page by id (or by ``slug``), with the caller's standing in it."""
        validation.exactly_one(club_id=club_id, slug=slug)
        body = {
            "club_id": validation.optional_id(club_id, "club_id"),
            "slug": None if slug is None else validation.non_empty(slug, "slug"),
            "source_topic_id": validation.optional_id(source_topic_id, "source_topic_id"),
            "query_id": validation.optional_id(query_id, "query_id"),
            "query_result_position": validation.optional_non_negative(
                query_result_position, "query_result_position"
            ),
        }
        return await self._call("get_club", ClubResult, body=body)

    def get_club_members(
        self,
        club_id: int,
        *,
        return_followers: bool = False,
        return_members: bool = True,
        page_size: int = 50,
        page: int = 1,
        limit: int | None = None,
    ) -> Pager[ClubMember]:
        """Page through a club's members and/or followers."""
        params = {
            "club_id": validation.positive_id(club_id, "club_id"),
            "return_followers": int(validation.boolean(return_followers, "return_followers")),
            "return_members": int(validation.boolean(return_members, "return_members")),
        }
        return self._pager(
            "get_club_members",
            ClubMember,
            "users",
            params=params,
            page_size=page_size,
            page=page,
            limit=limit,
        )

    async def get_clubs(self, *, is_startable_only: bool = False) -> ClubsResult:
        """List the caller's clubs (only those they may start rooms in, if asked)."""
        body = {"is_startable_only": validation.boolean(is_startable_only, "is_startable_only")}
        return await self._call("get_clubs", ClubsResult, body=body)

    async def can_create_club(self) -> CanCreateClubResult:
        """Ask whether the caller may create a club."""
        return await self._call("can_create_club", CanCreateClubResult)

    # -- following and membership --------------------------------------------------------
    async def follow_club(
        self, club_id: int, *, source_topic_id: int | None = None
    ) -> SuccessResponse:
        """Follow a club."""
        body = _club(club_id, source_topic_id)
        return await self._call("follow_club", SuccessResponse, body=body)

    async def unfollow_club(
        self, club_id: int, *, source_topic_id: int | None = None
    ) -> SuccessResponse:
        """Stop following a club."""
        body = _club(club_id, source_topic_id)
        return await self._call("unfollow_club", SuccessResponse, body=body)

    async def join_club(
        self, club_id: int, *, source_topic_id: int | None = None
    ) -> SuccessResponse:
        """Join an open club."""
        body = _club(club_id, source_topic_id)
        return await self._call("join_club", SuccessResponse, body=body)

    async def leave_club(
        self, club_id: int, *, source_topic_id: int | None = None
    ) -> SuccessResponse:
        """Leave a club."""
        body = _club(club_id, source_topic_id)
        return await self._call("leave_club", SuccessResponse, body=body)

    async def accept_club_member_invite(
        self,
        club_id: int,
        *,
        source_topic_id: int | None = None,
        invite_code: str | None = None,
    ) -> SuccessResponse:
        """Accept an invitation to become a member of a club.

        The app's body, ``{club_id, source_topic_id}``; ``invite_code`` (from an invite
        link) is added only when given.
        """
        body = _club(club_id, source_topic_id)
        if invite_code is not None:
            body["invite_code"] = validation.non_empty(invite_code, "invite_code")
        return await self._call("accept_club_member_invite", SuccessResponse, body=body)

    async def add_club_member(
        self,
        club_id: int,
        user_id: int | None = None,
        *,
        name: str | None = None,
        phone_number: str | None = None,
        message: str | None = None,
        reason: str | None = None,
    ) -> SuccessResponse:
        """Add a user to a club, or invite someone by ``phone_number`` (admins only)."""
        if user_id is None and phone_number is None:
            raise InvalidArgumentError("user_id", "give a user_id or a phone_number")
        body = {
            "club_id": validation.positive_id(club_id, "club_id"),
            "user_id": validation.optional_id(user_id, "user_id"),
            "name": validation.optional_text(name, "name"),
            "phone_number": None if phone_number is None else validation.phone_number(phone_number),
            "message": validation.optional_text(message, "message"),
            "reason": validation.optional_text(reason, "reason"),
        }
        return await self._call("add_club_member", SuccessResponse, body=body)

    async def remove_club_member(self, club_id: int, user_id: int) -> SuccessResponse:
        """Remove a member from a club (admins only)."""
        body = _club_and_user(club_id, user_id)
        return await self._call("remove_club_member", SuccessResponse, body=body)

    async def add_club_admin(self, club_id: int, user_id: int) -> SuccessResponse:
        """Make a member an admin of the club."""
        body = _club_and_user(club_id, user_id)
        return await self._call("add_club_admin", SuccessResponse, body=body)

    async def remove_club_admin(self, club_id: int, user_id: int) -> SuccessResponse:
        """Take a member's admin rights away."""
        body = _club_and_user(club_id, user_id)
        return await self._call("remove_club_admin", SuccessResponse, body=body)

    # -- nominations ---------------------------------------------------------------------
    async def get_club_nominations(
        self, club_id: int, *, source_topic_id: int | None = None
    ) -> ClubNominations:
        """List the people members have nominated for the club (admins only)."""
        body = _club(club_id, source_topic_id)
        return await self._call("get_club_nominations", ClubNominations, body=body)

    async def approve_club_nomination(
        self, club_id: int, invite_nomination_id: int, *, user_id: int
    ) -> SuccessResponse:
        """Accept a nomination: the nominee (``user_id``) is invited to the club.

        Sent as the Android app 1.0.8 sends it: ``{club_id, user_id,
        invite_nomination_id}``.
        """
        body = _nomination(club_id, invite_nomination_id, user_id)
        return await self._call("approve_club_nomination", SuccessResponse, body=body)

    async def reject_club_nomination(
        self, club_id: int, invite_nomination_id: int, *, user_id: int
    ) -> SuccessResponse:
        """Turn down the nomination of ``user_id``.

        Its only evidence (``ENDPOINTS["reject_club_nomination"].evidence`` is ``app``)
        is the Android app 1.0.8, a later build than the one the rest of the SDK
        follows, whose body ``{club_id, user_id, invite_nomination_id}`` this is;
        clubhouse-py's function of this name posts to the approve path.
        """
        body = _nomination(club_id, invite_nomination_id, user_id)
        return await self._call("reject_club_nomination", SuccessResponse, body=body)

    # -- settings (admins only) ----------------------------------------------------------
    async def add_club_topic(self, club_id: int, topic_id: int) -> SuccessResponse:
        """Tag a club with one more topic."""
        body = {
            "club_id": validation.positive_id(club_id, "club_id"),
            "topic_id": validation.positive_id(topic_id, "topic_id"),
        }
        return await self._call("add_club_topic", SuccessResponse, body=body)

    async def remove_club_topic(self, club_id: int, topic_id: int) -> SuccessResponse:
        """Remove a topic from a club."""
        body = {
            "club_id": validation.positive_id(club_id, "club_id"),
            "topic_id": validation.positive_id(topic_id, "topic_id"),
        }
        return await self._call("remove_club_topic", SuccessResponse, body=body)

    async def update_club_topics(self, club_id: int, topic_ids: Iterable[int]) -> SuccessResponse:
        """Replace a club's topics."""
        body = {
            "club_id": validation.positive_id(club_id, "club_id"),
            "topic_ids": validation.id_list(topic_ids, "topic_ids"),
        }
        return await self._call("update_club_topics", SuccessResponse, body=body)

    async def update_is_follow_allowed(
        self, club_id: int, *, is_follow_allowed: bool = True
    ) -> SuccessResponse:
        """Allow or forbid following the club."""
        body = {
            "club_id": validation.positive_id(club_id, "club_id"),
            "is_follow_allowed": validation.boolean(is_follow_allowed, "is_follow_allowed"),
        }
        return await self._call("update_is_follow_allowed", SuccessResponse, body=body)

    async def update_is_membership_private(
        self, club_id: int, *, is_membership_private: bool = False
    ) -> SuccessResponse:
        """Show or hide the club's member list."""
        body = {
            "club_id": validation.positive_id(club_id, "club_id"),
            "is_membership_private": validation.boolean(
                is_membership_private, "is_membership_private"
            ),
        }
        return await self._call("update_is_membership_private", SuccessResponse, body=body)

    async def update_is_community(
        self, club_id: int, *, is_community: bool = False
    ) -> SuccessResponse:
        """Make the club a community (anyone may join) or not."""
        body = {
            "club_id": validation.positive_id(club_id, "club_id"),
            "is_community": validation.boolean(is_community, "is_community"),
        }
        return await self._call("update_is_community", SuccessResponse, body=body)

    async def update_club_description(self, club_id: int, description: str) -> SuccessResponse:
        """Change a club's description."""
        body = {
            "club_id": validation.positive_id(club_id, "club_id"),
            "description": validation.text(description, "description"),
        }
        return await self._call("update_club_description", SuccessResponse, body=body)

    async def update_club_rules(
        self, club_id: int, rules: Iterable[ClubRule | Mapping[str, str]]
    ) -> SuccessResponse:
        """Replace a club's rules: up to three, each a title and a description."""
        body = {"club_id": validation.positive_id(club_id, "club_id"), "rules": _rules(rules)}
        return await self._call("update_club_rules", SuccessResponse, body=body)

    # -- uploads -------------------------------------------------------------------------
    async def update_club_photo(self, club_id: int, photo: Photo) -> ClubIdResult:
        """Upload a club's picture (JPEG bytes, or a path to a JPEG file)."""
        checked_id = validation.positive_id(club_id, "club_id")
        content = await read_photo(photo)
        form = multipart_form({"club_id": str(checked_id)}, jpeg_part(content))
        return await self._call("update_club_photo", ClubIdResult, form=form)

    async def create_club(
        self,
        name: str,
        *,
        description: str = "",
        photo: Photo | None = None,
        is_follow_allowed: bool = True,
        is_membership_private: bool = False,
        is_community: bool = False,
    ) -> ClubIdResult:
        """Create a club (optionally with its picture); the answer carries the new id."""
        fields = {
            "name": validation.non_empty(name, "name"),
            "description": validation.optional_text(description, "description") or "",
            "is_follow_allowed": wire_text(
                validation.boolean(is_follow_allowed, "is_follow_allowed")
            ),
            "is_membership_private": wire_text(
                validation.boolean(is_membership_private, "is_membership_private")
            ),
            "is_community": wire_text(validation.boolean(is_community, "is_community")),
        }
        files = [] if photo is None else [jpeg_part(await read_photo(photo))]
        return await self._call("create_club", ClubIdResult, form=multipart_form(fields, *files))
