"""Argument checks found missing in review: each raises InvalidArgumentError and sends nothing."""

from __future__ import annotations

from typing import Any

import pytest
from aioresponses import aioresponses

from aioclubhouse import ClubhouseSession, Credentials, InvalidArgumentError, validation

BASE = "https://api.example.test/api/"


@pytest.mark.parametrize(
    ("method", "kwargs", "field"),
    [
        ("record_action_trails", {"blob_data": "x"}, "blob_data"),
        ("record_action_trails", {"blob_data": 5}, "blob_data"),
        ("search", {"query": "a", "limit_to_object_types": None}, "limit_to_object_types"),
        ("search", {"query": "a", "limit_to_object_types": {"users": 1}}, "limit_to_object_types"),
        ("get_profile", {"user_id": 10**40}, "user_id"),
    ],
)
async def test_bad_arguments_fail_locally(method: str, kwargs: dict[str, Any], field: str) -> None:
    creds = Credentials(user_id=1, auth_token="t-123456")
    with aioresponses() as mocked:
        async with ClubhouseSession(creds, base_url=BASE, rate_limit=None) as session:
            with pytest.raises(InvalidArgumentError) as info:
                result = getattr(session, method)(**kwargs)
                await result
        assert not mocked.requests
    assert info.value.field == field


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({}, "give exactly one of event_id, event_hashid and invite_code"),
        (
            {"event_id": 1, "invite_code": "x"},
            "give exactly one of event_id, event_hashid and invite_code",
        ),
    ],
)
def test_exactly_one_names_every_alternative(given: dict[str, object], problem: str) -> None:
    candidates = {"event_id": None, "event_hashid": None, "invite_code": None, **given}
    with pytest.raises(InvalidArgumentError) as caught:
        validation.exactly_one(**candidates)
    assert caught.value.field == "event_id" and str(caught.value) == f"event_id: {problem}"


def test_exactly_one_returns_the_given_name() -> None:
    assert validation.exactly_one(user_id=None, username="ada") == "username"
