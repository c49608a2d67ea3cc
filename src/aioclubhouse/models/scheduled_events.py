"""Scheduled events: rooms planned ahead, as "Upcoming for you" and club pages list them.

The service calls them events; they have nothing to do with realtime room events.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .base import IdentifiedModel, Model
from .clubs import Club
from .users import UserShort

__all__ = ["CreateEventResult", "Event", "EventResult", "EventsResult"]


@attrs.define(kw_only=True, eq=False)
class Event(IdentifiedModel):
    """A scheduled room. Two events are equal when their ids are.

    ``channel`` is the room's name once the event has started, else ``None``.
    """

    entity = "event"
    id_field = "event_id"

    event_id: int
    event_hashid: str | None = None
    name: str = ""
    description: str | None = None
    time_start: dt.datetime | None = None
    is_expired: bool = False
    is_member_only: bool = False
    is_attending: bool | None = None
    hosts: list[UserShort] = attrs.field(factory=list)
    club: Club | None = None
    club_is_member: bool = False
    club_is_follower: bool = False
    channel: str | None = None
    url: str | None = None


@attrs.define(kw_only=True)
class EventResult(Model):
    """The answer of ``get_event``."""

    event: Event
    success: bool = True


@attrs.define(kw_only=True)
class EventsResult(Model):
    """An unpaginated list of events (``get_events_for_club``, ``get_events_to_start``)."""

    events: list[Event] = attrs.field(factory=list)
    success: bool = True


@attrs.define(kw_only=True)
class CreateEventResult(Model):
    """The answer of ``create_event``: the new event's id."""

    event_id: int
    url: str | None = None
    success: bool = True
