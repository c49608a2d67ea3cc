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
from aioresponses import CallbackResult, aioresponses
from yarl import URL

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
from aioclubhouse.errors import APIError, NotFoundError
from aioclubhouse.pagination import Page
from aioclubhouse.transport import RetryPolicy

BASE = "https://api.clarity.fm/v1/"
ANY_URL = re.compile(r"^https://api\.clarity\.fm/.*$")
NO_RETRY = RetryPolicy(max_retries=0)

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
    "search_by_path": Case(
        invoke=lambda s: s.search("moncton", offset=20, form="path"),
        method="GET",
        path="search/moncton",
        query={"offset": "20"},
        answer={"matches": 73, "members": [MEMBER]},
        decodes_to=Page,
    ),
}

SENT_BY = {"search_by_path": "search"}
"""Rows sent by a method of another name (the second documented form of a call)."""

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
        assert callable(getattr(ClaritySession, SENT_BY.get(name, name))), name
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


async def test_find_member_without_a_key_asks_for_the_current_member(token: str) -> None:
    with aioresponses() as mocked:
        mocked.get(ANY_URL, payload=MEMBER)
        async with ClaritySession(token, rate_limit=None) as session:
            member = await session.find_member()
    ((method, url), calls) = next(iter(mocked.requests.items()))
    assert (method, str(url.with_query(None))) == ("GET", BASE + "members")
    assert calls[0].kwargs["params"] == {"oauth_token": token}
    assert isinstance(member, Member) and member.id == 7


def search_answer(offsets: dict[int, int], matches: int | None) -> Callable[..., CallbackResult]:
    """An aioresponses callback answering ``offsets[offset]`` members (ids from the offset)."""

    def answer(url: URL, **kwargs: Any) -> CallbackResult:
        at = int(kwargs["params"]["offset"])
        members = [{"id": at + n + 1} for n in range(offsets.get(at, 0))]
        body: dict[str, Any] = {"members": members}
        if matches is not None:
            body["matches"] = matches
        return CallbackResult(payload=body)

    return answer


def offsets_sent(mocked: aioresponses) -> list[int]:
    return [int(c.kwargs["params"]["offset"]) for calls in mocked.requests.values() for c in calls]


async def test_search_steps_by_the_members_actually_returned(token: str) -> None:
    # Short pages before the end (as in the document: 2 members of 73 on a page).
    pages = {0: 2, 2: 10, 12: 3, 15: 5}
    with aioresponses() as mocked:
        mocked.get(ANY_URL, callback=search_answer(pages, matches=20), repeat=True)
        async with ClaritySession(token, rate_limit=None) as session:
            found = await session.search("moncton").collect()
    assert offsets_sent(mocked) == [0, 2, 12, 15]
    assert [member.id for member in found] == list(range(1, 21))


async def test_search_stops_at_an_empty_page_when_matches_is_not_sent(token: str) -> None:
    with aioresponses() as mocked:
        mocked.get(ANY_URL, callback=search_answer({0: 4, 4: 1}, matches=None), repeat=True)
        async with ClaritySession(token, rate_limit=None) as session:
            pages = [page async for page in session.search("moncton", offset=0).pages()]
    assert offsets_sent(mocked) == [0, 4, 5]
    assert [len(page) for page in pages] == [4, 1, 0]
    assert {page.count for page in pages} == {None}


async def test_search_stops_at_matches_even_if_pages_are_short(token: str) -> None:
    with aioresponses() as mocked:
        mocked.get(ANY_URL, callback=search_answer({3: 2, 5: 1}, matches=6), repeat=True)
        async with ClaritySession(token, rate_limit=None) as session:
            found = await session.search("moncton", offset=3).collect()
    assert offsets_sent(mocked) == [3, 5]
    assert [member.id for member in found] == [4, 5, 6]


@pytest.mark.parametrize("status", [400, 404, 405, 422])
async def test_search_falls_back_to_the_path_form_and_keeps_it(status: int, token: str) -> None:
    query_form = re.compile(r"^https://api\.clarity\.fm/v1/search\?.*$")
    path_form = re.compile(r"^https://api\.clarity\.fm/v1/search/.*$")
    with aioresponses() as mocked:
        mocked.get(query_form, status=status, payload={"error": "no such route"})
        mocked.get(path_form, payload={"matches": 30, "members": [MEMBER] * 10}, repeat=True)
        async with ClaritySession(token, rate_limit=None, retry=NO_RETRY) as session:
            first = await session.search("rails developer")
            await session.search("moncton", offset=10)
    sent = [
        (str(url.with_query(None)), c.kwargs["params"])
        for (_, url), calls in mocked.requests.items()
        for c in calls
    ]
    assert sent == [
        (BASE + "search", {"q": "rails developer", "offset": "0", "oauth_token": token}),
        (BASE + "search/rails%20developer", {"offset": "0", "oauth_token": token}),
        (BASE + "search/moncton", {"offset": "10", "oauth_token": token}),
    ]
    assert first.count == 30 and len(first) == 10


@pytest.mark.parametrize("status", [401, 403, 429, 500])
async def test_search_does_not_fall_back_when_refused_for_another_reason(
    status: int, token: str
) -> None:
    with aioresponses() as mocked:
        mocked.get(ANY_URL, status=status, payload={"error": "no"}, repeat=True)
        async with ClaritySession(token, rate_limit=None, retry=NO_RETRY) as session:
            with pytest.raises(APIError) as caught:
                await session.search("moncton")
    assert caught.value.status == status
    assert [url.path for (_, url) in mocked.requests] == ["/v1/search"]


async def test_a_search_asked_in_the_query_form_is_never_resent(token: str) -> None:
    with aioresponses() as mocked:
        mocked.get(ANY_URL, status=404, payload={"error": "no such route"}, repeat=True)
        async with ClaritySession(token, rate_limit=None, retry=NO_RETRY) as session:
            with pytest.raises(NotFoundError):
                await session.search("moncton", form="query")
            with pytest.raises(NotFoundError):
                await session.search("..")
    paths = [url.path for (_, url), calls in mocked.requests.items() for _ in calls]
    assert paths == ["/v1/search", "/v1/search"]


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
