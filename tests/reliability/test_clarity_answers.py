"""The Clarity dialect under the same hostile answers as the Clubhouse one.

Every Clarity endpoint (the request-shape cases of ``tests/clarity``) either decodes
what it is given or raises a ``ClubhouseError``: never a raw exception, never the
``oauth_token`` in an error.
"""

from __future__ import annotations

import re

import pytest
from aioresponses import aioresponses
from hypothesis import given, settings
from hypothesis import strategies as st

from aioclubhouse.clarity import ClaritySession
from aioclubhouse.errors import ClubhouseError
from aioclubhouse.transport import RetryPolicy

from ..clarity.test_requests import CASES, Case
from .hostile import RAW_BODIES, answers

ANY_URL = re.compile(r"^https://api\.clarity\.fm/.*$")
TOKEN = "tok-5f1e2d3c4b5a69788796a5b4"
NAMES = sorted(CASES)


async def outcome(case: Case, status: int, body: bytes) -> object:
    """What the case's call gives for this answer: its result, or the error it raised."""
    with aioresponses() as mocked:
        mocked.add(
            ANY_URL,
            case.method,
            status=status,
            body=body,
            content_type="application/json",
            repeat=True,
        )
        async with ClaritySession(
            TOKEN, rate_limit=None, retry=RetryPolicy(max_retries=0)
        ) as session:
            try:
                return await case.invoke(session)
            except ClubhouseError as error:
                return error


@pytest.mark.parametrize("name", NAMES)
async def test_every_endpoint_survives_answers_past_the_recursion_limit(name: str) -> None:
    for body in RAW_BODIES:
        await outcome(CASES[name], 200, body)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
async def test_every_endpoint_decodes_or_raises_a_typed_error(
    name: str, data: st.DataObject
) -> None:
    case = CASES[name]
    status, body = data.draw(answers(case.answer, echoes=(TOKEN,)), label="answer")
    result = await outcome(case, status, body)
    if status >= 400:
        assert isinstance(result, ClubhouseError), result
    if isinstance(result, ClubhouseError):
        assert TOKEN not in repr(result.body) + str(result)
