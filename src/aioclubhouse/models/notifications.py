"""Notifications: the activity feed (the bell) and the ones that ask for an action."""

from __future__ import annotations

import datetime as dt

import attrs

from .base import IdentifiedModel
from .clubs import Club
from .users import UserShort

__all__ = ["ActionableNotification", "Notification"]


@attrs.define(kw_only=True, eq=False)
class Notification(IdentifiedModel):
    """One entry of the activity feed; equal to another when the ids are."""

    entity = "notification"
    id_field = "notification_id"

    notification_id: int
    type: int | None = None
    message: str | None = None
    time_created: dt.datetime | None = None
    is_unread: bool = False
    user_profile: UserShort | None = None
    club: Club | None = None
    channel: str | None = None
    event_id: int | None = None


@attrs.define(kw_only=True, eq=False)
class ActionableNotification(IdentifiedModel):
    """A notification waiting for an answer (a club invite, a follow request...)."""

    entity = "actionable_notification"
    id_field = "actionable_notification_id"

    actionable_notification_id: int
    type: int | None = None
    message: str | None = None
    time_created: dt.datetime | None = None
    user_profile: UserShort | None = None
    club: Club | None = None
    channel: str | None = None
    event_id: int | None = None
