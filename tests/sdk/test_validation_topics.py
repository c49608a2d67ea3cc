"""Bad arguments to the 'topics' endpoints are refused before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aioclubhouse.session import ClubhouseSession

from .argument_checks import assert_rejected

BAD_CALLS: list[tuple[str, Callable[[ClubhouseSession], Any], str]] = [
    ("topic-0", lambda s: s.get_topic(0), "topic_id"),
    ("topic-str", lambda s: s.get_topic("140"), "topic_id"),
    ("users-topic-0", lambda s: s.get_users_for_topic(0), "topic_id"),
    ("users-page-size-500", lambda s: s.get_users_for_topic(1, page_size=500), "page_size"),
    ("users-page-0", lambda s: s.get_users_for_topic(1, page=0), "page"),
    ("clubs-topic-bool", lambda s: s.get_clubs_for_topic(True), "topic_id"),
    ("clubs-limit-str", lambda s: s.get_clubs_for_topic(1, limit="10"), "limit"),
]


@pytest.mark.parametrize(
    ("call", "field"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_argument_is_refused_locally(
    call: Callable[[ClubhouseSession], Any], field: str
) -> None:
    await assert_rejected(call, field)
