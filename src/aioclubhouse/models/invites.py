"""Invites: address-book contacts going out, invite suggestions coming back."""

from __future__ import annotations

from typing import Any

import attrs

from .. import validation
from .base import Model

__all__ = ["Contact", "SuggestedInvite", "SuggestedInvites"]


def _is_phone_number(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    validation.phone_number(value, attribute.name)


@attrs.frozen(kw_only=True)
class Contact:
    """An address-book entry sent to the suggestion endpoints (not a response model)."""

    phone_number: str = attrs.field(validator=_is_phone_number)
    name: str | None = None

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"phone_number": self.phone_number}
        if self.name is not None:
            entry["name"] = self.name
        return entry


@attrs.define(kw_only=True)
class SuggestedInvite(Model):
    """A contact the service suggests inviting, and whether they are already in."""

    phone_number: str
    name: str | None = None
    in_app: bool = False
    is_invited: bool = False
    num_friends: int = 0


@attrs.define(kw_only=True)
class SuggestedInvites(Model):
    """The answer of ``get_suggested_invites`` and ``get_suggested_club_invites``."""

    suggested_invites: list[SuggestedInvite] = attrs.field(factory=list)
    num_invites: int | None = None
    success: bool = True
