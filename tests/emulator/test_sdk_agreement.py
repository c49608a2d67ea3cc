"""The emulator's declarations against the SDK's: two independent tables that must agree.

The emulator never reads the SDK's tables (it stands for the service), so each fact is
written twice, once per side, and these tests are what keeps the two in step: how every
endpoint is called, and that every realtime message the emulator sends is one the SDK
understands.
"""

from __future__ import annotations

from typing import Any

import pytest

from aioclubhouse import ENDPOINTS
from aioclubhouse.emulator.actions import ACTIONS
from aioclubhouse.emulator.api import ROUTES
from aioclubhouse.emulator.api.account import REPORT_REASONS
from aioclubhouse.models.account import ReportReason
from aioclubhouse.rooms import RoomEvent, UnknownEvent, parse_message

from .world_support import publish_every_action


def test_the_emulator_serves_exactly_the_sdk_endpoints() -> None:
    only_in_the_sdk = sorted(set(ENDPOINTS) - set(ROUTES))
    only_in_the_emulator = sorted(set(ROUTES) - set(ENDPOINTS))
    assert (only_in_the_sdk, only_in_the_emulator) == ([], [])


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_each_endpoint_is_called_the_same_way_on_both_sides(name: str) -> None:
    sdk, emulator = ENDPOINTS[name], ROUTES[name]
    assert {
        "method": emulator.method,
        "auth": emulator.auth,
        "multipart": emulator.multipart,
        "paged": emulator.paged,
    } == {
        "method": sdk.method,
        "auth": sdk.auth,
        "multipart": sdk.multipart,
        "paged": sdk.paginated,
    }


def test_the_report_reasons_are_the_same_on_both_sides() -> None:
    """The emulator takes every reason the SDK names, except the app's blank placeholder."""
    assert {str(reason) for reason in ReportReason} - {""} == REPORT_REASONS


def test_paged_routes_read_page_and_page_size_and_others_do_not() -> None:
    for route in ROUTES.values():
        reads = {field.name for field in route.fields}
        assert ({"page", "page_size"} <= reads) is route.paged, route.name


PUBLISHED = publish_every_action()


def _parsed() -> list[tuple[str, dict[str, Any], RoomEvent]]:
    return [
        (channel, message, parse_message(message, pubnub_channel=channel, timetoken=number))
        for number, (channel, message) in enumerate(PUBLISHED, start=1)
    ]


def test_every_action_the_emulator_publishes_is_a_typed_sdk_event() -> None:
    assert {message["action"] for _, message in PUBLISHED} == set(ACTIONS)
    unknown = [
        (message["action"], event.problem)
        for _, message, event in _parsed()
        if isinstance(event, UnknownEvent)
    ]
    assert unknown == []


def test_each_action_has_one_event_class_of_its_own() -> None:
    classes: dict[str, set[type[RoomEvent]]] = {}
    for _, message, event in _parsed():
        classes.setdefault(message["action"], set()).add(type(event))
    assert all(len(found) == 1 for found in classes.values()), classes
    one_each = {action: next(iter(found)) for action, found in classes.items()}
    shared = {cls for cls in one_each.values() if list(one_each.values()).count(cls) > 1}
    assert shared == set(), "two actions parse into the same event class"


def test_events_carry_what_the_emulator_sent() -> None:
    """Every field the emulator sends that the event also has comes through unchanged."""
    for channel, message, event in _parsed():
        action = message["action"]
        if "channel" in message:
            assert event.channel == message["channel"], action
        assert event.pubnub_channel == channel
        for key, sent in message.items():
            if key == "user_profile":
                assert event.user.user_id == sent["user_id"], action  # type: ignore[attr-defined]
            elif key not in ("action", "channel") and hasattr(event, key):
                assert getattr(event, key) == sent, (action, key)
