"""Clarity's own dialect: its failures and errors, not Clubhouse's, and its lenient JSON."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aioresponses import aioresponses

from aioclubhouse.clarity import ClaritySession, Conversation, Member
from aioclubhouse.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    DecodeError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
)
from aioclubhouse.transport import RetryPolicy

ANY_URL = re.compile(r"^https://api\.clarity\.fm/.*$")
NO_RETRY = RetryPolicy(max_retries=0)


async def answer(status: int, body: Any, token: str) -> Any:
    with aioresponses() as mocked:
        mocked.get(ANY_URL, status=status, payload=body)
        async with ClaritySession(token, rate_limit=None, retry=NO_RETRY) as session:
            return await session.me()


async def test_success_false_at_200_is_an_answer_not_an_error(token: str) -> None:
    member = await answer(200, {"id": 7, "success": False}, token)
    assert isinstance(member, Member) and member.id == 7


@pytest.mark.parametrize(
    ("status", "body", "expected", "message"),
    [
        # Clubhouse's own words mean nothing special to Clarity.
        (
            403,
            {"error": "You do not have permission to perform this action."},
            ForbiddenError,
            "You do not have permission to perform this action.",
        ),
        (400, {"error": "You are on the waitlist"}, BadRequestError, "You are on the waitlist"),
        (
            400,
            {"error": "That call is no longer available"},
            BadRequestError,
            "That call is no longer available",
        ),
        (401, {"error": "token_not_valid"}, AuthenticationError, "token_not_valid"),
        # Rails-style bodies, in the order the API's examples use them.
        (
            422,
            {"errors": ["Reason is too long", "Expert is busy"]},
            BadRequestError,
            "Reason is too long; Expert is busy",
        ),
        (
            404,
            {"error": "not_found", "error_description": "No such member"},
            NotFoundError,
            "No such member",
        ),
        (429, {}, RateLimitedError, "rate limited by the service"),
        (502, {"message": "upstream down"}, ServerError, "upstream down"),
    ],
)
async def test_error_answers_follow_http_and_rails_conventions(
    status: int, body: dict[str, Any], expected: type[APIError], message: str, token: str
) -> None:
    with pytest.raises(APIError) as caught:
        await answer(status, body, token)
    assert type(caught.value) is expected
    assert caught.value.message == message
    assert caught.value.status == status and caught.value.endpoint == "me"
    assert caught.value.body == body  # kept exactly as the service sent it


async def test_a_body_with_bare_keys_is_read_leniently(token: str) -> None:
    body = (
        '[{unread_message_count: 1, last_message: {"member_id": 940, "message": "Hi"},'
        ' other_member: {"id": 940, "screen_name": "ann"}}]'
    )
    with aioresponses() as mocked:
        mocked.get(ANY_URL, body=body, content_type="application/json")
        async with ClaritySession(token, rate_limit=None) as session:
            conversations = await session.messages()
    assert len(conversations) == 1 and isinstance(conversations[0], Conversation)
    assert conversations[0].other_member is not None
    assert conversations[0].other_member.screen_name == "ann"


async def test_a_body_past_repair_is_a_decode_error(token: str) -> None:
    with aioresponses() as mocked:
        mocked.get(ANY_URL, body='{"messages": [1, 2]}}', content_type="application/json")
        async with ClaritySession(token, rate_limit=None) as session:
            with pytest.raises(DecodeError) as caught:
                await session.conversation(940)
    assert caught.value.endpoint == "conversation"
