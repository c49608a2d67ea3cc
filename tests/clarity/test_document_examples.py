"""Every example body of the Clarity API document, through the client and against the emulator.

The bodies live in ``tests/data/clarity/`` exactly as the document prints them (its
two examples that are not JSON included), listed with their endpoints in
``index.toml``. Each is served byte for byte to the ClaritySession method that sends
its request, and every field of it must come out in the model, with its value. The
emulator must answer the same requests with the same fields, field for field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses

from aioclubhouse.clarity import CallStatus, ClaritySession
from aioclubhouse.clarity.loose_json import loads_loose, quote_bare_keys
from aioclubhouse.emulator.clarity import ClarityEmulator
from aioclubhouse.models.base import Model

from .conftest import EXPERT_ID, SEEKER_ID

DATA = Path(__file__).resolve().parents[1] / "data" / "clarity"
INDEX: list[dict[str, Any]] = tomllib.loads((DATA / "index.toml").read_text("utf-8"))["example"]
BY_METHOD = {example["method"]: example for example in INDEX}
ANY_API_URL = re.compile(r"^https://api\.clarity\.fm/.*$")
NOT_JSON = {"messages.txt", "messages_940.txt"}

Invoke = Callable[[ClaritySession], Awaitable[Any]]

INVOKE: dict[str, Invoke] = {
    "get_member": lambda s: s.get_member("danmartell"),
    "requested_calls": lambda s: s.requested_calls(),
    "callback_calls": lambda s: s.callback_calls(),
    "completed_calls": lambda s: s.completed_calls(),
    "canceled_calls": lambda s: s.canceled_calls(),
    "get_call": lambda s: s.get_call(5802),
    "connect_call": lambda s: s.connect_call(5802),
    "request_call": lambda s: s.request_call(6, dt.timedelta(days=1), "pitching advice"),
    "needs": lambda s: s.needs(),
    "create_need": lambda s: s.create_need("An intro", True),
    "fulfill_need": lambda s: s.fulfill_need(1),
    "organizations": lambda s: s.organizations(),
    "get_organization": lambda s: s.get_organization(17),
    "messages": lambda s: s.messages(),
    "conversation": lambda s: s.conversation(940),
    "send_message": lambda s: s.send_message(940, "Not much"),
}
"""How each example's request is sent; ``search`` and the OAuth body have tests of their own."""

PROFILE_LOOKUPS: dict[str, Invoke] = {
    "GET /v1/members/danmartell": lambda s: s.get_member("danmartell"),
    "GET /v1/members/7": lambda s: s.get_member(7),
    "GET /v1/members?id=danmartell": lambda s: s.find_member(id="danmartell"),
    "GET /v1/members?twitter=danmartell": lambda s: s.find_member(twitter="danmartell"),
    "GET /v1/members?email=...": lambda s: s.find_member(email="dan@example.com"),
    "GET /v1/members (the current member)": lambda s: s.find_member(),
    "GET /v1/me": lambda s: s.me(),
}


def body_of(example: dict[str, Any]) -> bytes:
    return (DATA / example["file"]).read_bytes()


def document_value(example: dict[str, Any]) -> Any:
    return loads_loose(body_of(example))


# -- the data files ------------------------------------------------------------------------
def test_the_index_lists_every_file_once() -> None:
    listed = [example["file"] for example in INDEX]
    on_disk = sorted(path.name for path in DATA.iterdir() if path.name != "index.toml")
    assert sorted(listed) == on_disk and len(set(listed)) == len(listed) == 18
    assert set(INVOKE) | {"search", "authorize_with_code"} == set(BY_METHOD)


@pytest.mark.parametrize("example", INDEX, ids=lambda e: e["file"])
def test_the_examples_are_json_except_the_two_messages_ones(example: dict[str, Any]) -> None:
    text = body_of(example).decode("utf-8")
    if example["file"] == "oauth_token.txt":
        assert text == "oauth_token"
    elif example["file"] in NOT_JSON:
        with pytest.raises(ValueError):
            json.loads(text)
    else:
        json.loads(text)


def test_quoting_keys_alone_does_not_rescue_the_messages_940_example() -> None:
    text = body_of(BY_METHOD["conversation"]).decode("utf-8")
    with pytest.raises(ValueError):
        json.loads(quote_bare_keys(text))
    thread = loads_loose(text.encode())
    assert [m["member_id"] for m in thread["messages"]] == [940, 172]
    assert thread["other_member"]["screen_name"] == "vincentroy"


# -- through the client --------------------------------------------------------------------
def assert_kept(decoded: Any, sent: Any, where: str) -> None:
    """Every field of ``sent`` is an attribute of ``decoded`` holding the same value."""
    if isinstance(sent, dict):
        assert isinstance(decoded, Model), f"{where}: decoded into {type(decoded).__name__}"
        assert decoded.raw == sent, f"{where}: raw payload"
        for key, value in sent.items():
            assert hasattr(decoded, key), f"{where}.{key}: dropped by {type(decoded).__name__}"
            assert_value(getattr(decoded, key), value, f"{where}.{key}")
    elif isinstance(sent, list):
        assert isinstance(decoded, list) and len(decoded) == len(sent), where
        for index, (item, value) in enumerate(zip(decoded, sent, strict=True)):
            assert_kept(item, value, f"{where}[{index}]")
    else:
        raise AssertionError(f"{where}: an example body is an object or an array")


def assert_value(attribute: Any, value: Any, where: str) -> None:
    model = isinstance(value, dict) and isinstance(attribute, Model)
    models = isinstance(value, list) and bool(value) and isinstance(value[0], dict)
    if model or models:
        assert_kept(attribute, value, where)
    elif isinstance(attribute, dt.datetime):
        assert attribute == dt.datetime.fromisoformat(value), where
    elif isinstance(attribute, CallStatus):
        assert attribute.value == value, where
    elif isinstance(attribute, float) and isinstance(value, str):
        assert attribute == float(value), where  # the profile's string hourly_rate
    elif isinstance(value, bool) or value is None:
        assert attribute is value, where
    else:
        assert attribute == value and type(attribute) is type(value), where


async def served(body: bytes, invoke: Invoke, method: str = "GET") -> Any:
    with aioresponses() as mocked:
        mocked.add(ANY_API_URL, method, body=body, content_type="application/json")
        async with ClaritySession("tok-document", rate_limit=None) as session:
            return await invoke(session)


@pytest.mark.parametrize("name", sorted(INVOKE))
async def test_every_example_decodes_through_the_client_keeping_every_field(name: str) -> None:
    example = BY_METHOD[name]
    method = example["endpoint"].split()[0]
    decoded = await served(body_of(example), INVOKE[name], method)
    sent = document_value(example)
    if name == "create_need":
        # The documented answer is an array holding the new need; the method returns it.
        (sent,) = sent
    assert_kept(decoded, sent, example["endpoint"])


@pytest.mark.parametrize("lookup", sorted(PROFILE_LOOKUPS))
async def test_the_profile_example_decodes_from_every_lookup_that_answers_it(lookup: str) -> None:
    example = BY_METHOD["get_member"]
    assert lookup == example["endpoint"] or lookup in example["also"]
    member = await served(body_of(example), PROFILE_LOOKUPS[lookup])
    assert_kept(member, document_value(example), lookup)
    assert member.hourly_rate == 0.0 and member.name == "Dan Martell"


async def test_the_search_example_decodes_and_pages_on_from_its_two_members() -> None:
    example = BY_METHOD["search"]
    sent = document_value(example)
    with aioresponses() as mocked:
        mocked.get(ANY_API_URL, body=body_of(example), repeat=True)
        async with ClaritySession("tok-document", rate_limit=None) as session:
            pages = [page async for page in session.search("moncton").pages()]
    first = pages[0]
    assert first.count == sent["matches"] == 73 and first.raw == sent
    assert_kept(first.items, sent["members"], "GET /v1/search/moncton")
    # 2 members of 73: the next page starts at 2, not 10. (The stub answers the same
    # page again, which the pager notices and stops at.)
    offsets = [c.kwargs["params"]["offset"] for calls in mocked.requests.values() for c in calls]
    assert offsets == ["0", "2"]


async def test_the_oauth_example_body_is_the_token() -> None:
    body = body_of(BY_METHOD["authorize_with_code"])
    with aioresponses() as mocked:
        mocked.post(
            re.compile(r"^https://clarity\.fm/oauth/authorize\?.*$"),
            body=body,
            content_type="text/plain",
        )
        async with ClaritySession(rate_limit=None) as session:
            await session.authorize_with_code("client", "secret", "code")
            assert session.oauth_token == body.decode()


# -- the emulator, field for field ---------------------------------------------------------
def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def assert_same_fields(document: Any, answer: Any, where: str) -> None:
    """The emulator's answer has the document's fields, each of the same JSON type.

    ``null`` matches anything (a call not canceled has no ``canceled_by``), and every
    item of an array is held to the document's first item.
    """
    if document is None or answer is None:
        return
    assert kind(answer) == kind(document), f"{where}: {kind(answer)}, documented {kind(document)}"
    if isinstance(document, dict):
        missing = document.keys() - answer.keys()
        extra = answer.keys() - document.keys()
        assert not missing and not extra, f"{where}: missing {missing}, not documented {extra}"
        for key, value in document.items():
            assert_same_fields(value, answer[key], f"{where}.{key}")
    elif isinstance(document, list) and document:
        assert answer, f"{where}: the emulator's list is empty, nothing to compare"
        for index, item in enumerate(answer):
            assert_same_fields(document[0], item, f"{where}[{index}]")


EMULATOR_REQUESTS: dict[str, tuple[int, str, str, dict[str, Any] | None]] = {
    "get_member": (SEEKER_ID, "GET", "members/danmartell", None),
    "requested_calls": (SEEKER_ID, "GET", "calls/requested", None),
    "callback_calls": (EXPERT_ID, "GET", "calls/callback", None),
    "completed_calls": (SEEKER_ID, "GET", "calls/completed", None),
    "canceled_calls": (SEEKER_ID, "GET", "calls/canceled", None),
    "get_call": (SEEKER_ID, "GET", "calls/5802", None),
    "connect_call": (EXPERT_ID, "POST", "calls/5802/connect", None),
    "request_call": (
        SEEKER_ID,
        "POST",
        "calls",
        {"expert_id": EXPERT_ID, "expires_in": 24, "reason": "pitching advice"},
    ),
    "needs": (SEEKER_ID, "GET", "needs", None),
    "create_need": (SEEKER_ID, "POST", "needs", {"description": "An intro", "paid": True}),
    "fulfill_need": (EXPERT_ID, "POST", "needs/300/fulfill", None),
    "organizations": (SEEKER_ID, "GET", "organizations", None),
    "get_organization": (SEEKER_ID, "GET", "organizations/17", None),
    "messages": (SEEKER_ID, "GET", "messages", None),
    "conversation": (SEEKER_ID, "GET", "messages/940", None),
    "send_message": (SEEKER_ID, "POST", "messages/940", {"message": "Not much"}),
    "search": (SEEKER_ID, "GET", "search?q=moncton", None),
}
"""The request the emulator answers for each example, as the member who may send it."""


@pytest.mark.parametrize("extra_ids", [False, True], ids=["documented", "with_ids"])
@pytest.mark.parametrize("name", sorted(EMULATOR_REQUESTS))
async def test_the_emulator_answers_with_the_documented_fields(name: str, extra_ids: bool) -> None:
    member_id, method, path, body = EMULATOR_REQUESTS[name]
    async with ClarityEmulator(extra_ids=extra_ids) as emu, aiohttp.ClientSession() as http:
        token = emu.issue_token(member_id)
        url = emu.base_url + path
        async with http.request(method, url, params={"oauth_token": token}, json=body) as r:
            assert r.status == 200, await r.text()
            answer = await r.json()
    document = document_value(BY_METHOD[name])
    if extra_ids and name in ("needs", "create_need", "organizations", "get_organization"):
        # The declared deviation: an id the document's examples do not show.
        items = answer if isinstance(answer, list) else [answer]
        assert all(isinstance(item.pop("id"), int) for item in items)
    assert_same_fields(document, answer, BY_METHOD[name]["endpoint"])


async def test_the_path_form_of_search_answers_like_the_query_form() -> None:
    async with ClarityEmulator() as emu, aiohttp.ClientSession() as http:
        params = {"oauth_token": emu.issue_token()}
        async with http.get(emu.base_url + "search/moncton", params=params) as r:
            answer = await r.json()
    assert_same_fields(document_value(BY_METHOD["search"]), answer, "GET /v1/search/moncton")
