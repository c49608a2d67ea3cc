"""No answer, however broken, gets anything but a decoded result or a ClubhouseError out.

Every Clubhouse endpoint is called through its session method (the request-shape
cases of ``tests/sdk``) against answers spoilt by :mod:`.hostile`, so the whole path is
exercised: reading, JSON decoding, error mapping, the endpoint's own handling and the
model it decodes into.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aioresponses import aioresponses
from hypothesis import given, settings
from hypothesis import strategies as st

from aioclubhouse.auth import Credentials
from aioclubhouse.endpoints.registry import ENDPOINTS
from aioclubhouse.errors import ClubhouseError
from aioclubhouse.session import ClubhouseSession
from aioclubhouse.transport import RetryPolicy

from ..sdk.cases_account import PHONE
from ..sdk.endpoint_cases import EndpointCase, all_cases
from .hostile import RAW_BODIES, answers

# Every answer here is read with each JSON reader the SDK may use (conftest.py).
pytestmark = pytest.mark.usefixtures("json_reader")

BASE = "https://api.example.test/api/"
TOKEN = "tok-0123456789abcdef"
CASES = all_cases()
PLAIN_CALLS: dict[str, Callable[[ClubhouseSession], Awaitable[Any]]] = {
    "complete_phone_number_auth": lambda s: s.complete_phone_number_auth(PHONE, "1234"),
    "refresh_token": lambda s: s.refresh_token("old-refresh"),
    "logout": lambda s: s.logout(),
}
"""Cases whose call also asserts what a valid answer does to the login: here the bare call."""


async def outcome(case: EndpointCase, status: int, body: bytes) -> object:
    """What the case's call gives for this answer: its result, or the error it raised."""
    endpoint = ENDPOINTS[case.name]
    call = PLAIN_CALLS.get(case.name, case.call)
    creds = Credentials(user_id=42, auth_token=TOKEN, device_id="DEVICE-1")
    with aioresponses() as mocked:
        mocked.add(
            re.compile(rf"^{re.escape(BASE + endpoint.path)}(\?.*)?$"),
            method=endpoint.method,
            status=status,
            body=body,
            content_type="application/json",
            repeat=True,
        )
        async with ClubhouseSession(
            creds, base_url=BASE, rate_limit=None, retry=RetryPolicy(max_retries=0)
        ) as session:
            try:
                return await call(session)
            except ClubhouseError as error:
                return error


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
async def test_every_endpoint_survives_answers_past_the_recursion_limit(case: EndpointCase) -> None:
    for body in RAW_BODIES:
        await outcome(case, 200, body)  # raises anything but a ClubhouseError: the test fails


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
async def test_every_endpoint_decodes_or_raises_a_typed_error(
    case: EndpointCase, data: st.DataObject
) -> None:
    status, body = data.draw(answers(case.response, echoes=(TOKEN,)), label="answer")
    result = await outcome(case, status, body)
    if status >= 300:
        assert isinstance(result, ClubhouseError), result
    if isinstance(result, ClubhouseError):
        assert TOKEN not in repr(result.body) + str(result)
