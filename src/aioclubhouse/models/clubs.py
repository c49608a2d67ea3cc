"""Clubs: the club entity, its rules, and the answers of the club endpoints.

The user profile embeds :class:`Club`; the club answers embed users in their short form,
which lives in its own module so the two import in one direction.
"""

from __future__ import annotations

import attrs

from .base import IdentifiedModel, Model
from .topics import Topic
from .user_short import UserShort

__all__ = [
    "CanCreateClubResult",
    "Club",
    "ClubIdResult",
    "ClubMember",
    "ClubNomination",
    "ClubNominations",
    "ClubResult",
    "ClubRule",
    "ClubsResult",
]


@attrs.define(kw_only=True)
class ClubRule(Model):
    """One house rule of a club (a club has at most three)."""

    title: str = ""
    desc: str = ""


@attrs.define(kw_only=True, eq=False)
class Club(IdentifiedModel):
    """A club as it appears in profiles, rooms, feeds and search results."""

    entity = "club"
    id_field = "club_id"

    club_id: int
    name: str = ""
    description: str | None = None
    photo_url: str | None = None
    url: str | None = None
    num_followers: int = 0
    num_members: int = 0
    num_online: int = 0
    enable_private: bool = False
    is_follow_allowed: bool = False
    is_membership_private: bool = False
    is_community: bool = False
    is_member: bool = False
    is_follower: bool = False
    rules: list[ClubRule] = attrs.field(factory=list)


@attrs.define(kw_only=True, eq=False)
class ClubMember(UserShort):
    """A user in a club's member or follower listing, with their standing in the club.

    A :class:`~aioclubhouse.models.UserShort`, so equal (and hashed alike) to any user
    model with the same ``user_id``.
    """

    is_admin: bool = False
    is_member: bool = False
    is_follower: bool = False
    is_pending_accept: bool = False
    is_pending_approval: bool = False


@attrs.define(kw_only=True)
class ClubResult(Model):
    """The answer of ``get_club``: the club and the caller's standing in it."""

    club: Club
    is_admin: bool = False
    is_member: bool = False
    is_follower: bool = False
    is_pending_accept: bool = False
    is_pending_approval: bool = False
    added_by_user_profile: UserShort | None = None
    member_user_ids: list[int] = attrs.field(factory=list)
    num_invites: int = 0
    invite_link: str | None = None
    topics: list[Topic] = attrs.field(factory=list)
    success: bool = True


@attrs.define(kw_only=True)
class ClubsResult(Model):
    """A list of clubs (``get_clubs``: the clubs the caller belongs to)."""

    clubs: list[Club] = attrs.field(factory=list)
    success: bool = True


@attrs.define(kw_only=True)
class ClubNomination(Model):
    """Someone a member proposed for the club, waiting for an admin's decision."""

    invite_nomination_id: int | None = None
    user_profile: UserShort | None = None
    nominated_by_user_profile: UserShort | None = None
    name: str | None = None
    phone_number: str | None = None


@attrs.define(kw_only=True)
class ClubNominations(Model):
    """The answer of ``get_club_nominations``: nominated users and phone contacts."""

    from_users: list[ClubNomination] = attrs.field(factory=list)
    from_contacts: list[ClubNomination] = attrs.field(factory=list)
    num_invites: int = 0
    success: bool = True


@attrs.define(kw_only=True)
class CanCreateClubResult(Model):
    """Whether the caller may create a club, and if not, the reason to show."""

    can_create_club: bool = False
    reason_title: str | None = None
    reason_message: str | None = None
    success: bool = True


@attrs.define(kw_only=True)
class ClubIdResult(Model):
    """The answer of ``create_club`` and ``update_club_photo``: the club concerned."""

    club_id: int | None = None
    photo_url: str | None = None
    success: bool = True
