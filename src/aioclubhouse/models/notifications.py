"""Notifications: the activity feed (the bell) and the ones that ask for an action."""

from __future__ import annotations

import datetime as dt

import attrs

from .base import Model
from .clubs import Club
from .users import UserShort

__all__ = ["ActionableNotification", "Notification"]


@attrs.define(kw_only=True, eq=False)
class Notification(Model):
    """One entry of the activity feed; equal to another when the ids are."""

    notification_id: int
    type: int | None = None
    message: str | None = None
    time_created: dt.datetime | None = None
    is_unread: bool = False
    user_profile: UserShort | None = None
    club: Club | None = None
    channel: str | None = None
    event_id: int | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Notification):
            return NotImplemented
        return self.notification_id == other.notification_id

    def __hash__(self) -> int:
        return hash(("notification", self.notification_id))


@attrs.define(kw_only=True, eq=False)
class ActionableNotification(Model):
    """A notification waiting for an answer (a club invite, a follow request...)."""

    actionable_notification_id: int
    type: int | None = None
    message: str | None = None
    time_created: dt.datetime | None = None
    user_profile: UserShort | None = None
    club: Club | None = None
    channel: str | None = None
    event_id: int | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ActionableNotification):
            return NotImplemented
        return self.actionable_notification_id == other.actionable_notification_id

    def __hash__(self) -> int:
        return hash(("actionable_notification", self.actionable_notification_id))
