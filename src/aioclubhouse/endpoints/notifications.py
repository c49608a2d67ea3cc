"""Endpoints of the 'notifications' area: the activity feed and pending requests."""

from __future__ import annotations

from .. import validation
from ..models.base import SuccessResponse
from ..models.converter import structure
from ..models.notifications import ActionableNotification, Notification
from ..pagination import Pager
from .base import EndpointGroup

__all__ = ["NotificationEndpoints"]


class NotificationEndpoints(EndpointGroup):
    """The 'notifications' endpoints."""

    def get_notifications(
        self, *, page_size: int = 20, page: int = 1, limit: int | None = None
    ) -> Pager[Notification]:
        """The activity feed, newest first."""
        return self._pager(
            "get_notifications",
            Notification,
            "notifications",
            page_size=page_size,
            page=page,
            limit=limit,
        )

    async def get_actionable_notifications(self) -> list[ActionableNotification]:
        """Notifications waiting for an answer (invites, requests), all at once.

        A plain GET without parameters, as every client that has it sends it: the
        service answers the whole list.
        """
        name = "get_actionable_notifications"
        payload = await self._send(name)
        return structure(payload.get("notifications"), list[ActionableNotification], endpoint=name)

    async def ignore_actionable_notification(
        self, actionable_notification_id: int
    ) -> SuccessResponse:
        """Dismiss an actionable notification without acting on it."""
        body = {
            "actionable_notification_id": validation.positive_id(
                actionable_notification_id, "actionable_notification_id"
            )
        }
        return await self._call("ignore_actionable_notification", SuccessResponse, body=body)
