"""Endpoints of the scheduled-events area ('events' in the table): rooms planned ahead.

Start times go on the wire as ``time_start_epoch`` (whole seconds since 1970); the
methods take an aware ``datetime`` or those seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from .. import validation
from ..errors import InvalidArgumentError
from ..models.base import SuccessResponse
from ..models.scheduled_events import CreateEventResult, Event, EventResult, EventsResult
from ..pagination import Pager
from .base import EndpointGroup

__all__ = ["ScheduledEventEndpoints"]


def _epoch(value: Any, field: str = "time_start") -> int:
    """Seconds since the epoch for a start time given as an aware datetime or seconds."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise InvalidArgumentError(field, "must be timezone-aware (naive times are ambiguous)")
        return int(value.timestamp())
    return validation.positive_id(value, field)


def _event_fields(
    *,
    name: str,
    time_start: dt.datetime | int,
    description: str,
    user_ids: Iterable[int],
    club_id: int | None,
    is_member_only: bool,
) -> dict[str, Any]:
    """The fields ``create_event`` and ``edit_event`` share, checked."""
    return {
        "name": validation.non_empty(name, "name"),
        "time_start_epoch": _epoch(time_start),
        "description": validation.text(description, "description"),
        "user_ids": validation.id_list(user_ids, "user_ids"),
        "club_id": validation.optional_id(club_id, "club_id"),
        "is_member_only": validation.boolean(is_member_only, "is_member_only"),
    }


class ScheduledEventEndpoints(EndpointGroup):
    """The scheduled-event endpoints (``get_event``, ``create_event``, ...)."""

    async def get_event(
        self,
        event_id: int | None = None,
        *,
        event_hashid: str | None = None,
        invite_code: str | None = None,
    ) -> EventResult:
        """Fetch one event by its id, its hash id (from a link) or an invite code."""
        key = validation.exactly_one(
            event_id=event_id, event_hashid=event_hashid, invite_code=invite_code
        )
        value: int | str
        if key == "event_id":
            value = validation.positive_id(event_id, key)
        else:
            value = validation.non_empty(
                event_hashid if key == "event_hashid" else invite_code, key
            )
        return await self._call("get_event", EventResult, body={key: value})

    async def create_event(
        self,
        *,
        name: str,
        time_start: dt.datetime | int,
        description: str = "",
        user_ids: Iterable[int] = (),
        club_id: int | None = None,
        is_member_only: bool = False,
    ) -> CreateEventResult:
        """Schedule a room; ``user_ids`` are the co-hosts."""
        body = _event_fields(
            name=name,
            time_start=time_start,
            description=description,
            user_ids=user_ids,
            club_id=club_id,
            is_member_only=is_member_only,
        )
        return await self._call("create_event", CreateEventResult, body=body)

    async def edit_event(
        self,
        event_id: int,
        *,
        name: str,
        time_start: dt.datetime | int,
        description: str = "",
        user_ids: Iterable[int] = (),
        club_id: int | None = None,
        is_member_only: bool = False,
        event_hashid: str | None = None,
    ) -> SuccessResponse:
        """Replace an event's details (every field is sent, as the apps do)."""
        body = {
            "event_id": validation.positive_id(event_id, "event_id"),
            "event_hashid": validation.optional_text(event_hashid, "event_hashid"),
            **_event_fields(
                name=name,
                time_start=time_start,
                description=description,
                user_ids=user_ids,
                club_id=club_id,
                is_member_only=is_member_only,
            ),
        }
        return await self._call("edit_event", SuccessResponse, body=body)

    async def delete_event(self, event_id: int) -> SuccessResponse:
        """Cancel an event."""
        body = {"event_id": validation.positive_id(event_id, "event_id")}
        return await self._call("delete_event", SuccessResponse, body=body)

    async def rsvp_event(self, event_id: int, *, is_attending: bool = True) -> SuccessResponse:
        """Say whether the caller will attend an event."""
        body = {
            "event_id": validation.positive_id(event_id, "event_id"),
            "is_attending": validation.boolean(is_attending, "is_attending"),
        }
        return await self._call("rsvp_event", SuccessResponse, body=body)

    def get_events(
        self,
        *,
        is_filtered: bool = True,
        page_size: int = 25,
        page: int = 1,
        limit: int | None = None,
    ) -> Pager[Event]:
        """Page through upcoming events ("Upcoming for you" when ``is_filtered``)."""
        params = {"is_filtered": validation.boolean(is_filtered, "is_filtered")}
        return self._pager(
            "get_events",
            Event,
            "events",
            params=params,
            page_size=page_size,
            page=page,
            limit=limit,
        )

    def get_events_for_user(
        self,
        user_id: int,
        *,
        page_size: int = 25,
        page: int = 1,
        limit: int | None = None,
    ) -> Pager[Event]:
        """Page through the events a user hosts."""
        params = {"user_id": validation.positive_id(user_id, "user_id")}
        return self._pager(
            "get_events_for_user",
            Event,
            "events",
            params=params,
            page_size=page_size,
            page=page,
            limit=limit,
        )

    async def get_events_for_club(self, club_id: int) -> EventsResult:
        """List a club's upcoming events."""
        body = {"club_id": validation.positive_id(club_id, "club_id")}
        return await self._call("get_events_for_club", EventsResult, body=body)

    async def get_events_to_start(self) -> EventsResult:
        """List the caller's events that are due to start."""
        return await self._call("get_events_to_start", EventsResult)
