"""Request-shape cases for the 'invites' endpoints."""

from __future__ import annotations

from typing import Any

from aioclubhouse.models.base import SuccessResponse
from aioclubhouse.models.invites import Contact, SuggestedInvites

from .endpoint_cases import EndpointCase

PHONE = "+11234567890"
SUGGESTIONS = {
    "num_invites": 2,
    "suggested_invites": [
        {"phone_number": PHONE, "in_app": False, "is_invited": False, "num_friends": 4}
    ],
    "success": True,
}


def is_success(result: Any) -> None:
    assert isinstance(result, SuccessResponse) and result.success is True


def check_suggestions(result: SuggestedInvites) -> None:
    assert isinstance(result, SuggestedInvites)
    assert result.num_invites == 2
    (invite,) = result.suggested_invites
    assert invite.phone_number == PHONE and invite.num_friends == 4 and invite.in_app is False


def check_no_suggestions(result: SuggestedInvites) -> None:
    assert result.suggested_invites == [] and result.num_invites is None


CASES: list[EndpointCase] = [
    EndpointCase(
        name="get_suggested_invites",
        call=lambda s: s.get_suggested_invites([PHONE]),
        body={"club_id": None, "upload_contacts": True, "contacts": [{"phone_number": PHONE}]},
        response=SUGGESTIONS,
        check=check_suggestions,
    ),
    EndpointCase(
        name="get_suggested_invites",
        id="get_suggested_invites-club",
        call=lambda s: s.get_suggested_invites(
            [Contact(phone_number=PHONE, name="Ann")], club_id=12, upload_contacts=False
        ),
        body={
            "club_id": 12,
            "upload_contacts": False,
            "contacts": [{"phone_number": PHONE, "name": "Ann"}],
        },
        response=SUGGESTIONS,
        check=check_suggestions,
    ),
    EndpointCase(
        name="get_suggested_club_invites",
        call=lambda s: s.get_suggested_club_invites([Contact(phone_number=PHONE, name="aaa")]),
        body={"upload_contacts": True, "contacts": [{"phone_number": PHONE, "name": "aaa"}]},
        response={"suggested_invites": [], "success": True},
        check=check_no_suggestions,
    ),
    EndpointCase(
        name="invite_to_app",
        call=lambda s: s.invite_to_app("John Smith", PHONE),
        body={"name": "John Smith", "phone_number": PHONE, "message": None},
        check=is_success,
    ),
    EndpointCase(
        name="invite_to_app",
        id="invite_to_app-message",
        call=lambda s: s.invite_to_app("John Smith", PHONE, message="Come in"),
        body={"name": "John Smith", "phone_number": PHONE, "message": "Come in"},
        check=is_success,
    ),
    EndpointCase(
        name="invite_from_waitlist",
        call=lambda s: s.invite_from_waitlist(1234),
        body={"user_id": 1234},
        check=is_success,
    ),
]
