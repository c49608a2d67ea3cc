"""Users: the short form every listing carries, and the full profile.

Both compare by ``user_id``, so a user found in a follower list equals the same user
fetched with ``get_profile``.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .base import Model
from .clubs import Club
from .topics import Topic
from .user_short import UserShort

__all__ = ["OnlineFriends", "ProfileResult", "UserList", "UserProfile", "UserShort"]


@attrs.define(kw_only=True, eq=False)
class UserProfile(UserShort):
    """The full profile ``get_profile`` returns, with clubs, topics and mutual follows."""

    displayname: str | None = None
    instagram: str | None = None
    url: str | None = None
    num_followers: int = 0
    num_following: int = 0
    time_created: dt.datetime | None = None
    follows_me: bool = False
    is_blocked_by_network: bool = False
    mutual_follows_count: int = 0
    mutual_follows: list[UserShort] = attrs.field(factory=list)
    notification_type: int | None = None
    invited_by_user_profile: UserShort | None = None
    clubs: list[Club] = attrs.field(factory=list)
    topics: list[Topic] = attrs.field(factory=list)
    has_verified_email: bool = False
    can_edit_username: bool = False
    can_edit_name: bool = False
    can_edit_displayname: bool = False


@attrs.define(kw_only=True)
class ProfileResult(Model):
    """The answer of ``get_profile``."""

    user_profile: UserProfile
    success: bool = True


@attrs.define(kw_only=True)
class UserList(Model):
    """An unpaginated list of users (suggestions, for instance)."""

    users: list[UserShort] = attrs.field(factory=list)
    success: bool = True


@attrs.define(kw_only=True)
class OnlineFriends(Model):
    """Who is online right now: users and clubs, as the home screen shows them."""

    users: list[UserShort] = attrs.field(factory=list)
    clubs: list[Club] = attrs.field(factory=list)
    success: bool = True
