"""Bad arguments to the scheduled-event endpoints are refused before anything is sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from aioclubhouse.session import ClubhouseSession

from .argument_checks import assert_rejected

START = dt.datetime(2021, 2, 20, 18, 0, tzinfo=dt.UTC)
NAIVE = dt.datetime(2021, 2, 20, 18, 0)

BAD_CALLS: list[tuple[str, Callable[[ClubhouseSession], Any], str]] = [
    ("get-nothing", lambda s: s.get_event(), "event_id"),
    ("get-two-keys", lambda s: s.get_event(77, event_hashid="xYz"), "event_id"),
    ("get-id-0", lambda s: s.get_event(0), "event_id"),
    ("get-id-str", lambda s: s.get_event("77"), "event_id"),
    ("get-empty-hashid", lambda s: s.get_event(event_hashid=""), "event_hashid"),
    ("get-invite-code-int", lambda s: s.get_event(invite_code=5), "invite_code"),
    ("create-empty-name", lambda s: s.create_event(name="", time_start=START), "name"),
    ("create-naive-time", lambda s: s.create_event(name="x", time_start=NAIVE), "time_start"),
    ("create-time-str", lambda s: s.create_event(name="x", time_start="tomorrow"), "time_start"),
    ("create-time-0", lambda s: s.create_event(name="x", time_start=0), "time_start"),
    (
        "create-description-none",
        lambda s: s.create_event(name="x", time_start=START, description=None),
        "description",
    ),
    (
        "create-cohost-0",
        lambda s: s.create_event(name="x", time_start=START, user_ids=[7, 0]),
        "user_ids[1]",
    ),
    (
        "create-club-negative",
        lambda s: s.create_event(name="x", time_start=START, club_id=-12),
        "club_id",
    ),
    (
        "create-member-only-str",
        lambda s: s.create_event(name="x", time_start=START, is_member_only="yes"),
        "is_member_only",
    ),
    ("edit-id-0", lambda s: s.edit_event(0, name="x", time_start=START), "event_id"),
    ("edit-blank-name", lambda s: s.edit_event(77, name=" ", time_start=START), "name"),
    (
        "edit-hashid-int",
        lambda s: s.edit_event(77, name="x", time_start=START, event_hashid=5),
        "event_hashid",
    ),
    ("delete-id-none", lambda s: s.delete_event(None), "event_id"),
    ("rsvp-id-0", lambda s: s.rsvp_event(0), "event_id"),
    ("rsvp-attending-int", lambda s: s.rsvp_event(77, is_attending=1), "is_attending"),
    ("events-filtered-str", lambda s: s.get_events(is_filtered="true"), "is_filtered"),
    ("events-page-size-0", lambda s: s.get_events(page_size=0), "page_size"),
    ("events-page-size-huge", lambda s: s.get_events(page_size=100_000), "page_size"),
    ("events-page-0", lambda s: s.get_events(page=0), "page"),
    ("events-limit-negative", lambda s: s.get_events(limit=-1), "limit"),
    ("user-events-user-0", lambda s: s.get_events_for_user(0), "user_id"),
    ("user-events-page-size", lambda s: s.get_events_for_user(7, page_size=-5), "page_size"),
    ("club-events-club-str", lambda s: s.get_events_for_club("12"), "club_id"),
]


@pytest.mark.parametrize(
    ("call", "field"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_argument_is_refused_locally(
    call: Callable[[ClubhouseSession], Any], field: str
) -> None:
    await assert_rejected(call, field)
