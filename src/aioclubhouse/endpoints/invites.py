"""Endpoints of the 'invites' area: bringing people from the address book into the app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import validation
from ..errors import InvalidArgumentError
from ..models.base import SuccessResponse
from ..models.invites import Contact, SuggestedInvites
from .base import EndpointGroup

__all__ = ["InviteEndpoints", "contacts_json"]


def contacts_json(
    contacts: Iterable[Contact | str], field: str = "contacts"
) -> list[dict[str, Any]]:
    """Contacts as the service wants them; a bare string is a phone number."""
    if isinstance(contacts, (str, bytes)) or not isinstance(contacts, Iterable):
        raise InvalidArgumentError(field, "must be a list of Contact objects or phone numbers")
    entries = []
    for index, contact in enumerate(contacts):
        if isinstance(contact, Contact):
            entries.append(contact.to_json())
        else:
            number = validation.phone_number(contact, f"{field}[{index}]")
            entries.append({"phone_number": number})
    return entries


class InviteEndpoints(EndpointGroup):
    """The 'invites' endpoints."""

    async def get_suggested_invites(
        self,
        contacts: Iterable[Contact | str] = (),
        *,
        club_id: int | None = None,
        upload_contacts: bool = True,
    ) -> SuggestedInvites:
        """Which of ``contacts`` are worth inviting (to the app, or to ``club_id``)."""
        body = {
            "club_id": validation.optional_id(club_id, "club_id"),
            "upload_contacts": validation.boolean(upload_contacts, "upload_contacts"),
            "contacts": contacts_json(contacts),
        }
        return await self._call("get_suggested_invites", SuggestedInvites, body=body)

    async def get_suggested_club_invites(
        self, contacts: Iterable[Contact | str] = (), *, upload_contacts: bool = True
    ) -> SuggestedInvites:
        """Which of ``contacts`` are worth inviting to a club."""
        body = {
            "upload_contacts": validation.boolean(upload_contacts, "upload_contacts"),
            "contacts": contacts_json(contacts),
        }
        return await self._call("get_suggested_club_invites", SuggestedInvites, body=body)

    async def invite_to_app(
        self, name: str, phone_number: str, *, message: str | None = None
    ) -> SuccessResponse:
        """Spend one of the account's invites on ``phone_number``."""
        body = {
            "name": validation.non_empty(name, "name"),
            "phone_number": validation.phone_number(phone_number),
            "message": validation.optional_text(message, "message"),
        }
        return await self._call("invite_to_app", SuccessResponse, body=body)

    async def invite_from_waitlist(self, user_id: int) -> SuccessResponse:
        """Let a waitlisted user in (the "wave" from the waitlist screen)."""
        body = {"user_id": validation.positive_id(user_id, "user_id")}
        return await self._call("invite_from_waitlist", SuccessResponse, body=body)
