"""Shared check for the validation tests: a bad argument fails locally, sending nothing."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from aioresponses import aioresponses

from aioclubhouse.auth import Credentials
from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.identity import AppIdentity
from aioclubhouse.session import ClubhouseSession

BASE = "https://api.example.test/api/"


async def assert_rejected(
    call: Callable[[ClubhouseSession], Any], field: str, identity: AppIdentity | None = None
) -> None:
    """``call`` must raise InvalidArgumentError for ``field`` before any request goes out."""
    creds = Credentials(user_id=42, auth_token="tok-validation", device_id="DEVICE-1")
    with aioresponses() as mocked:
        async with ClubhouseSession(
            creds, base_url=BASE, rate_limit=None, identity=identity
        ) as session:
            with pytest.raises(InvalidArgumentError) as info:
                outcome = call(session)
                if inspect.isawaitable(outcome):
                    await outcome
        assert not mocked.requests, f"a request was sent: {list(mocked.requests)}"
    assert info.value.field == field
    assert isinstance(info.value, ValueError)
    assert field in str(info.value)
