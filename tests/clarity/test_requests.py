"""The request each ClaritySession method sends, checked against a mocked aiohttp.

Every row of CLARITY_ENDPOINTS has a case here: method, path, query string (with the
``oauth_token``), JSON body and headers, plus the type the answer decodes into.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import pytest
from aioresponses import aioresponses

from aioclubhouse import __version__
from aioclubhouse.clarity import (
    CLARITY_ENDPOINTS,
    Call,
    ClaritySession,
    Conversation,
    Member,
    Message,
    MessageThread,
    Need,
    Organization,
)
from aioclubhouse.pagination import Page

BASE = "https://api.clarity.fm/v1/"
ANY_URL = re.compile(r"^https://api\.clarity\.fm/.*$")

MEMBER = {"id": 7, "screen_name": "danmartell", "hourly_rate": "0.0"}
CALL = {"id": 5802, "seeker_id": 6, "expert_id": 7, "status": "pending", "hourly_rate": 0.0}
NEED = {"id": 3, "requester_id": 771, "description": "Intro to a VC", "paid": True}
ORGANIZATION = {"id": 17, "name": "Startup Festival", "member_ids": [172, 5840]}
MESSAGE = {"member_id": 940, "message": "Not much", "read": False}


@attrs.frozen(kw_only=True)
class Case:
    invoke: Callable[[ClaritySession], Awaitable[Any]]
    method: str
    path: str
    answer: Any
    decodes_to: type
    query: dict[str, str] = attrs.field(factory=dict)
    body: dict[str, Any] | None = None


CASES: dict[str, Case] = {
    "me": Case(invoke=lambda s: s.me(), method="GET", path="me", answer=MEMBER, decodes_to=Member),
    "get_member": Case(
        invoke=lambda s: s.get_member("danmartell"),
        method="GET",
        path="members/danmartell",
        answer=MEMBER,
        decodes_to=Member,
    ),
    "find_member": Case(
        invoke=lambda s: s.find_member(twitter="@danmartell"),
        method="GET",
        path="members",
        query={"twitter": "danmartell"},
        answer=MEMBER,
        decodes_to=Member,
    ),
    "requested_calls": Case(
        invoke=lambda s: s.requested_calls(),
        method="GET",
        path="calls/requested",
        answer=[CALL],
        decodes_to=list,
    ),
    "callback_calls": Case(
        invoke=lambda s: s.callback_calls(),
        method="GET",
        path="calls/callback",
        answer=[CALL],
        decodes_to=list,
    ),
    "completed_calls": Case(
        invoke=lambda s: s.completed_calls(),
        method="GET",
        path="calls/completed",
        answer=[{**CALL, "status": "completed"}],
        decodes_to=list,
    ),
    "canceled_calls": Case(
        invoke=lambda s: s.canceled_calls(),
        method="GET",
        path="calls/canceled",
        answer=[{**CALL, "status": "canceled"}],
        decodes_to=list,
    ),
    "get_call": Case(
        invoke=lambda s: s.get_call(5802),
        method="GET",
        path="calls/5802",
        answer=CALL,
        decodes_to=Call,
    ),
    "connect_call": Case(
        invoke=lambda s: s.connect_call(5802),
        method="POST",
        path="calls/5802/connect",
        answer={**CALL, "status": "dialing_expert"},
        decodes_to=Call,
    ),
    "request_call": Case(
        invoke=lambda s: s.request_call(7, dt.timedelta(hours=72), "pitching advice"),
        method="POST",
        path="calls",
        body={"expert_id": 7, "expires_in": 72, "reason": "pitching advice"},
        answer={k: v for k, v in CALL.items() if k != "status"},
        decodes_to=Call,
    ),
    "needs": Case(
        invoke=lambda s: s.needs(), method="GET", path="needs", answer=[NEED], decodes_to=list
    ),
    "create_need": Case(
        invoke=lambda s: s.create_need("Intro to a VC", True),
        method="POST",
        path="needs",
        body={"description": "Intro to a VC", "paid": True},
        answer=[NEED],
        decodes_to=Need,
    ),
    "fulfill_need": Case(
        invoke=lambda s: s.fulfill_need(3),
        method="POST",
        path="needs/3/fulfill",
        answer=CALL,
        decodes_to=Call,
    ),
    "organizations": Case(
        invoke=lambda s: s.organizations(),
        method="GET",
        path="organizations",
        answer=[ORGANIZATION],
        decodes_to=list,
    ),
    "get_organization": Case(
        invoke=lambda s: s.get_organization(17),
        method="GET",
        path="organizations/17",
        answer={**ORGANIZATION, "members": [MEMBER]},
        decodes_to=Organization,
    ),
    "messages": Case(
        invoke=lambda s: s.messages(),
        method="GET",
        path="messages",
        answer=[{"unread_message_count": 1, "last_message": MESSAGE, "other_member": MEMBER}],
        decodes_to=list,
    ),
    "conversation": Case(
        invoke=lambda s: s.conversation(940),
        method="GET",
        path="messages/940",
        answer={"other_member": MEMBER, "messages": [MESSAGE]},
        decodes_to=MessageThread,
    ),
    "send_message": Case(
        invoke=lambda s: s.send_message(940, "Not much"),
        method="POST",
        path="messages/940",
        body={"message": "Not much"},
        answer=MESSAGE,
        decodes_to=Message,
    ),
    "search": Case(
        invoke=lambda s: s.search("moncton", offset=20),
        method="GET",
        path="search",
        query={"q": "moncton", "offset": "20"},
        answer={"matches": 73, "members": [MEMBER]},
        decodes_to=Page,
    ),
}

LIST_ITEM_TYPES = {
    "requested_calls": Call,
    "callback_calls": Call,
    "completed_calls": Call,
    "canceled_calls": Call,
    "needs": Need,
    "organizations": Organization,
    "messages": Conversation,
}


def test_every_endpoint_has_a_case_and_a_method() -> None:
    assert set(CASES) == set(CLARITY_ENDPOINTS)
    for name, endpoint in CLARITY_ENDPOINTS.items():
        assert callable(getattr(ClaritySession, name)), name
        assert endpoint.method == CASES[name].method, name


@pytest.mark.parametrize("name", sorted(CASES))
async def test_request_shape(name: str, token: str) -> None:
    case = CASES[name]
    with aioresponses() as mocked:
        mocked.add(ANY_URL, case.method, payload=case.answer)
        async with ClaritySession(token, rate_limit=None) as session:
            result = await case.invoke(session)

    ((method, url), calls) = next(iter(mocked.requests.items()))
    assert len(mocked.requests) == 1 and len(calls) == 1
    sent = calls[0].kwargs
    assert method == case.method
    assert str(url.with_query(None)) == BASE + case.path
    assert sent["params"] == {**case.query, "oauth_token": token}
    headers = sent["headers"]
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == f"aioclubhouse/{__version__}"
    assert not any(key.lower().startswith("ch-") for key in headers)
    assert "Authorization" not in headers
    if case.body is None:
        assert sent.get("data") is None
    else:
        assert headers["Content-Type"].startswith("application/json")
        assert json.loads(sent["data"]) == case.body

    assert isinstance(result, case.decodes_to)
    if name in LIST_ITEM_TYPES:
        assert len(result) == 1 and isinstance(result[0], LIST_ITEM_TYPES[name])


async def test_search_page_is_decoded_from_the_offset(token: str) -> None:
    with aioresponses() as mocked:
        mocked.get(ANY_URL, payload={"matches": 73, "members": [MEMBER] * 10})
        async with ClaritySession(token, rate_limit=None) as session:
            page = await session.search("moncton", offset=60)
    assert page.count == 73 and len(page) == 10 and page.next == 2
    assert all(isinstance(member, Member) for member in page)


async def test_find_member_by_id_and_by_email(token: str) -> None:
    with aioresponses() as mocked:
        mocked.get(ANY_URL, payload=MEMBER, repeat=True)
        async with ClaritySession(token, rate_limit=None) as session:
            await session.find_member(id=7)
            await session.find_member(email="dan@example.com")
    sent = [call.kwargs["params"] for calls in mocked.requests.values() for call in calls]
    assert {"id": "7", "oauth_token": token} in sent
    assert {"email": "dan@example.com", "oauth_token": token} in sent


async def test_no_token_means_no_oauth_token_parameter() -> None:
    with aioresponses() as mocked:
        mocked.get(ANY_URL, payload=MEMBER)
        async with ClaritySession(rate_limit=None) as session:
            await session.me()
    ((_, calls),) = mocked.requests.items()
    assert "oauth_token" not in (calls[0].kwargs.get("params") or {})


async def test_screen_names_are_one_path_segment(token: str) -> None:
    with aioresponses() as mocked:
        mocked.get(ANY_URL, payload=MEMBER)
        async with ClaritySession(token, rate_limit=None) as session:
            await session.get_member("dan.martell-2")
    ((_, url),) = mocked.requests
    assert url.path == "/v1/members/dan.martell-2"


@pytest.mark.parametrize(
    ("expires_in", "hours"),
    [
        (dt.timedelta(hours=1), 1),
        (dt.timedelta(days=3), 72),
        (dt.timedelta(weeks=1, hours=2), 170),
        (dt.timedelta(minutes=120), 2),
    ],
)
async def test_the_expiry_is_sent_in_whole_hours(
    expires_in: dt.timedelta, hours: int, token: str
) -> None:
    with aioresponses() as mocked:
        mocked.post(ANY_URL, payload=CALL)
        async with ClaritySession(token, rate_limit=None) as session:
            await session.request_call(7, expires_in, "pitching advice")
    ((_, calls),) = mocked.requests.items()
    assert json.loads(calls[0].kwargs["data"])["expires_in"] == hours
