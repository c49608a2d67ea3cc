"""Bad arguments to the 'invites' endpoints are refused before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.models.invites import Contact
from aioclubhouse.session import ClubhouseSession

from .argument_checks import assert_rejected

PHONE = "+11234567890"

BAD_CALLS: list[tuple[str, Callable[[ClubhouseSession], Any], str]] = [
    ("suggested-bad-number", lambda s: s.get_suggested_invites(["123"]), "contacts[0]"),
    ("suggested-not-a-list", lambda s: s.get_suggested_invites(5), "contacts"),
    ("suggested-club-0", lambda s: s.get_suggested_invites(club_id=-5), "club_id"),
    (
        "suggested-upload-str",
        lambda s: s.get_suggested_invites(upload_contacts="yes"),
        "upload_contacts",
    ),
    ("club-invites-int-contact", lambda s: s.get_suggested_club_invites([5]), "contacts[0]"),
    ("invite-empty-name", lambda s: s.invite_to_app("", PHONE), "name"),
    ("invite-bad-number", lambda s: s.invite_to_app("Ann", "555-0100"), "phone_number"),
    ("invite-message-int", lambda s: s.invite_to_app("Ann", PHONE, message=5), "message"),
    ("waitlist-user-0", lambda s: s.invite_from_waitlist(0), "user_id"),
]


@pytest.mark.parametrize(
    ("call", "field"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_argument_is_refused_locally(
    call: Callable[[ClubhouseSession], Any], field: str
) -> None:
    await assert_rejected(call, field)


def test_contact_checks_its_phone_number() -> None:
    with pytest.raises(InvalidArgumentError) as info:
        Contact(phone_number="0123", name="Ann")
    assert info.value.field == "phone_number"
    assert Contact(phone_number=PHONE).to_json() == {"phone_number": PHONE}
