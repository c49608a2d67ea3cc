"""The short form of a user that every listing carries, and that clubs and rooms embed.

It needs nothing but the model base, so every other model module can import it.
"""

from __future__ import annotations

import attrs

from .base import IdentifiedModel

__all__ = ["UserShort"]


@attrs.define(kw_only=True, eq=False)
class UserShort(IdentifiedModel):
    """A user as listings show them (followers, search results, suggestions).

    Listings often truncate ``bio`` to about 80 characters.
    """

    entity = "user"
    id_field = "user_id"

    user_id: int
    name: str | None = None
    photo_url: str | None = None
    username: str | None = None
    bio: str | None = None
    twitter: str | None = None
    last_active_minutes: int | None = None
