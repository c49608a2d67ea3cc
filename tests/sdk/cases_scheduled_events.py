"""Request-shape cases for the scheduled-event endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aioclubhouse.models.base import SuccessResponse
from aioclubhouse.models.scheduled_events import CreateEventResult, Event, EventResult, EventsResult
from aioclubhouse.models.users import UserShort
from aioclubhouse.pagination import Page

from .endpoint_cases import EndpointCase

START = dt.datetime(2021, 2, 20, 18, 0, tzinfo=dt.UTC)
START_EPOCH = 1613844000

EVENT = {
    "event_id": 77,
    "event_hashid": "xYz12",
    "name": "Demo day",
    "description": "Pitches from the spring batch",
    "time_start": "2021-02-20T18:00:00+00:00",
    "is_expired": False,
    "is_member_only": True,
    "hosts": [
        {"user_id": 7, "name": "Ada", "username": "ada", "photo_url": None},
        {"user_id": 8, "name": "Bob", "username": "bob"},
    ],
    "club": {"club_id": 12, "name": "Engines", "num_members": 3},
    "club_is_member": True,
    "club_is_follower": True,
    "channel": None,
    "url": "https://www.joinclubhouse.com/event/xYz12",
    "is_attending": None,
}
STARTED = {**EVENT, "event_id": 78, "channel": "abcdefgh", "hosts": None, "club": None}


def is_success(result: Any) -> None:
    assert isinstance(result, SuccessResponse) and result.success is True


def check_event(result: EventResult) -> None:
    event = result.event
    assert isinstance(event, Event) and event.event_id == 77 and event.event_hashid == "xYz12"
    assert event.time_start == START
    assert event.hosts == [UserShort(user_id=7), UserShort(user_id=8)]
    assert event.club is not None and event.club.club_id == 12
    assert event.is_member_only is True and event.channel is None and event.is_attending is None


def check_created(result: CreateEventResult) -> None:
    assert isinstance(result, CreateEventResult) and result.event_id == 79


def check_event_page(result: Page[Event]) -> None:
    assert isinstance(result, Page) and result.page == 1
    assert [e.event_id for e in result.items] == [77, 78]
    assert result.items[1].channel == "abcdefgh" and result.items[1].hosts == []
    assert result.count == 2 and result.next == 2


def check_event_list(result: EventsResult) -> None:
    assert isinstance(result, EventsResult)
    assert [e.event_id for e in result.events] == [77, 78]


EVENT_PAGE = {"events": [EVENT, STARTED], "count": 2, "next": 2, "previous": None, "success": True}
EVENT_FIELDS = {
    "name": "Demo day",
    "time_start_epoch": START_EPOCH,
    "description": "",
    "user_ids": [],
    "club_id": None,
    "is_member_only": False,
}

CASES: list[EndpointCase] = [
    EndpointCase(
        name="get_event",
        call=lambda s: s.get_event(77),
        body={"event_id": 77},
        response={"event": EVENT, "success": True},
        check=check_event,
    ),
    EndpointCase(
        name="get_event",
        id="get_event-hashid",
        call=lambda s: s.get_event(event_hashid="xYz12"),
        body={"event_hashid": "xYz12"},
        response={"event": EVENT, "success": True},
        check=check_event,
    ),
    EndpointCase(
        name="get_event",
        id="get_event-invite-code",
        call=lambda s: s.get_event(invite_code="INV-1"),
        body={"invite_code": "INV-1"},
        response={"event": EVENT, "success": True},
        check=check_event,
    ),
    EndpointCase(
        name="create_event",
        call=lambda s: s.create_event(name="Demo day", time_start=START),
        body=EVENT_FIELDS,
        response={"event_id": 79, "success": True},
        check=check_created,
    ),
    EndpointCase(
        name="create_event",
        id="create_event-club-cohosts-epoch",
        call=lambda s: s.create_event(
            name="Demo day",
            time_start=START_EPOCH,
            description="Pitches",
            user_ids=[7, 8],
            club_id=12,
            is_member_only=True,
        ),
        body={
            **EVENT_FIELDS,
            "description": "Pitches",
            "user_ids": [7, 8],
            "club_id": 12,
            "is_member_only": True,
        },
        response={"event_id": "79", "success": True},
        check=check_created,
    ),
    EndpointCase(
        name="edit_event",
        call=lambda s: s.edit_event(77, name="Demo day", time_start=START, event_hashid="xYz12"),
        body={"event_id": 77, "event_hashid": "xYz12", **EVENT_FIELDS},
        check=is_success,
    ),
    EndpointCase(
        name="delete_event",
        call=lambda s: s.delete_event(77),
        body={"event_id": 77},
        check=is_success,
    ),
    EndpointCase(
        name="rsvp_event",
        call=lambda s: s.rsvp_event(77),
        body={"event_id": 77, "is_attending": True},
        check=is_success,
    ),
    EndpointCase(
        name="rsvp_event",
        id="rsvp_event-decline",
        call=lambda s: s.rsvp_event(77, is_attending=False),
        body={"event_id": 77, "is_attending": False},
        check=is_success,
    ),
    EndpointCase(
        name="get_events",
        call=lambda s: s.get_events(),
        query={"is_filtered": "true", "page_size": "25", "page": "1"},
        response=EVENT_PAGE,
        check=check_event_page,
    ),
    EndpointCase(
        name="get_events",
        id="get_events-unfiltered-page-size",
        call=lambda s: s.get_events(is_filtered=False, page_size=10),
        query={"is_filtered": "false", "page_size": "10", "page": "1"},
        response=EVENT_PAGE,
        check=check_event_page,
    ),
    EndpointCase(
        name="get_events_for_user",
        call=lambda s: s.get_events_for_user(7),
        query={"user_id": "7", "page_size": "25", "page": "1"},
        response=EVENT_PAGE,
        check=check_event_page,
    ),
    EndpointCase(
        name="get_events_for_club",
        call=lambda s: s.get_events_for_club(12),
        body={"club_id": 12},
        response={"events": [EVENT, STARTED], "success": True},
        check=check_event_list,
    ),
    EndpointCase(
        name="get_events_to_start",
        call=lambda s: s.get_events_to_start(),
        response={"events": [EVENT, STARTED], "success": True},
        check=check_event_list,
    ),
]
