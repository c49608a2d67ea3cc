"""Bad arguments to the 'notifications' endpoints are refused before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aioclubhouse.session import ClubhouseSession

from .argument_checks import assert_rejected

BAD_CALLS: list[tuple[str, Callable[[ClubhouseSession], Any], str]] = [
    ("page-size-0", lambda s: s.get_notifications(page_size=0), "page_size"),
    ("page-negative", lambda s: s.get_notifications(page=-1), "page"),
    ("limit-negative", lambda s: s.get_notifications(limit=-3), "limit"),
    (
        "ignore-id-0",
        lambda s: s.ignore_actionable_notification(0),
        "actionable_notification_id",
    ),
    (
        "ignore-id-str",
        lambda s: s.ignore_actionable_notification("77"),
        "actionable_notification_id",
    ),
]


@pytest.mark.parametrize(
    ("call", "field"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_argument_is_refused_locally(
    call: Callable[[ClubhouseSession], Any], field: str
) -> None:
    await assert_rejected(call, field)
