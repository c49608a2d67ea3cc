"""Request-shape cases for the 'notifications' endpoints."""

from __future__ import annotations

from aioclubhouse.models.base import SuccessResponse
from aioclubhouse.models.notifications import ActionableNotification, Notification
from aioclubhouse.pagination import Page

from .endpoint_cases import EndpointCase

NOTIFICATIONS = {
    "notifications": [
        {
            "notification_id": 501,
            "time_created": "2021-02-10T18:00:00+00:00",
            "is_unread": True,
            "type": 1,
            "message": "Ada followed you",
            "user_profile": {"user_id": 7, "name": "Ada", "username": "ada"},
        },
        {"notification_id": 502, "type": 9, "channel": "abcdefgh", "user_profile": None},
    ],
    "disabled": False,
    "count": 2,
    "next": None,
    "previous": None,
    "success": True,
}

ACTIONABLE = {
    "notifications": [
        {
            "actionable_notification_id": 77,
            "type": 2,
            "message": "Ada invited you to join Engines",
            "user_profile": {"user_id": 7, "name": "Ada"},
            "club": {"club_id": 12, "name": "Engines"},
            "time_created": 1612971962,
        }
    ],
    "count": 1,
    "next": None,
    "previous": None,
    "success": True,
}


def check_notifications(result: Page[Notification]) -> None:
    first, second = result.items
    assert isinstance(first, Notification)
    assert first.notification_id == 501 and first.is_unread is True
    assert first.user_profile is not None and first.user_profile.username == "ada"
    assert first.time_created is not None and first.time_created.month == 2
    assert second.channel == "abcdefgh" and second.user_profile is None
    assert result.raw["disabled"] is False


def check_actionable(result: list[ActionableNotification]) -> None:
    assert isinstance(result, list)
    (item,) = result
    assert isinstance(item, ActionableNotification)
    assert item.actionable_notification_id == 77
    assert item.club is not None and item.club.club_id == 12
    assert item.time_created is not None and item.time_created.year == 2021


def assert_empty(result: list[ActionableNotification]) -> None:
    assert result == []


def is_success(result: SuccessResponse) -> None:
    assert isinstance(result, SuccessResponse) and result.success is True


CASES: list[EndpointCase] = [
    EndpointCase(
        name="get_notifications",
        call=lambda s: s.get_notifications(),
        query={"page_size": "20", "page": "1"},
        response=NOTIFICATIONS,
        check=check_notifications,
    ),
    EndpointCase(
        name="get_notifications",
        id="get_notifications-page-2",
        call=lambda s: s.get_notifications(page_size=5, page=2),
        query={"page_size": "5", "page": "2"},
        response=NOTIFICATIONS,
        check=check_notifications,
    ),
    EndpointCase(
        name="get_actionable_notifications",
        call=lambda s: s.get_actionable_notifications(),
        response=ACTIONABLE,
        check=check_actionable,
    ),
    EndpointCase(
        name="get_actionable_notifications",
        id="get_actionable_notifications-empty",
        call=lambda s: s.get_actionable_notifications(),
        response={"notifications": [], "count": 0, "next": None, "previous": None},
        check=lambda result: assert_empty(result),
    ),
    EndpointCase(
        name="ignore_actionable_notification",
        call=lambda s: s.ignore_actionable_notification(77),
        body={"actionable_notification_id": 77},
        check=is_success,
    ),
]
