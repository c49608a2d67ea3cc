"""Bad arguments fail before anything is sent, naming the argument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aioresponses import aioresponses

from aioclubhouse.clarity import ClaritySession, checks
from aioclubhouse.errors import InvalidArgumentError

Invoke = Callable[[ClaritySession], Awaitable[Any]]
DAY = dt.timedelta(days=1)

BAD_CALLS: list[tuple[str, Invoke]] = [
    ("id_or_screen_name", lambda s: s.get_member("")),
    ("id_or_screen_name", lambda s: s.get_member("../me")),
    ("id_or_screen_name", lambda s: s.get_member(0)),
    ("id_or_screen_name", lambda s: s.get_member(True)),
    ("id", lambda s: s.find_member(id=7, email="a@b.co")),
    ("id", lambda s: s.find_member(id="a b")),
    ("twitter", lambda s: s.find_member(twitter="not a handle")),
    ("email", lambda s: s.find_member(email="nobody")),
    ("call_id", lambda s: s.get_call(-1)),
    ("call_id", lambda s: s.get_call("5802")),
    ("call_id", lambda s: s.connect_call(0)),
    ("expert_id", lambda s: s.request_call(0, DAY, "advice")),
    ("expires_in", lambda s: s.request_call(7, dt.timedelta(0), "advice")),
    ("expires_in", lambda s: s.request_call(7, -DAY, "advice")),
    ("expires_in", lambda s: s.request_call(7, dt.timedelta(minutes=90), "advice")),
    ("expires_in", lambda s: s.request_call(7, dt.timedelta(hours=1, seconds=1), "advice")),
    ("expires_in", lambda s: s.request_call(7, 24, "advice")),
    ("expires_in", lambda s: s.request_call(7, 3600, "advice")),
    ("expires_in", lambda s: s.request_call(7, 1.5, "advice")),
    ("reason", lambda s: s.request_call(7, DAY, "")),
    ("reason", lambda s: s.request_call(7, DAY, "x" * 141)),
    ("description", lambda s: s.create_need("  ", True)),
    ("paid", lambda s: s.create_need("help", "yes")),
    ("need_id", lambda s: s.fulfill_need(None)),
    ("organization_id", lambda s: s.get_organization(-17)),
    ("member_id", lambda s: s.conversation(0)),
    ("member_id", lambda s: s.send_message("940", "hi")),
    ("message", lambda s: s.send_message(940, "")),
]


@pytest.mark.parametrize(("field", "invoke"), BAD_CALLS)
async def test_bad_argument_is_refused_locally(field: str, invoke: Invoke) -> None:
    with aioresponses() as mocked:
        async with ClaritySession("tok-abcdef", rate_limit=None) as session:
            with pytest.raises(InvalidArgumentError) as caught:
                await invoke(session)
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)
    assert mocked.requests == {}


@pytest.mark.parametrize(
    ("field", "make"),
    [
        ("q", lambda s: s.search("")),
        ("offset", lambda s: s.search("x", offset=-10)),
        ("limit", lambda s: s.search("x", limit=-1)),
        ("call_id", lambda s: s.watch_call(0)),
        ("interval", lambda s: s.watch_call(1, interval=0)),
        ("interval", lambda s: s.watch_call(1, interval=float("nan"))),
        ("stop_at", lambda s: s.watch_call(1, stop_at={"canceled"})),
        ("timeout", lambda s: s.watch_call(1, timeout=0)),
        ("timeout", lambda s: s.watch_call(1, timeout=-dt.timedelta(seconds=1))),
        ("timeout", lambda s: s.watch_call(1, timeout=float("inf"))),
        ("timeout", lambda s: s.watch_call(1, timeout="60")),
        ("form", lambda s: s.search("x", form="body")),
        ("q", lambda s: s.search("..", form="path")),
    ],
)
async def test_lazy_listings_check_arguments_when_created(
    field: str, make: Callable[[ClaritySession], Any]
) -> None:
    async with ClaritySession("tok-abcdef", rate_limit=None) as session:
        with pytest.raises(InvalidArgumentError) as caught:
            make(session)
    assert caught.value.field == field


def test_reason_of_exactly_140_characters_is_accepted() -> None:
    assert checks.reason("x" * 140) == "x" * 140


@pytest.mark.parametrize("token", ["", "has space", 42])
def test_bad_token_is_refused_without_echoing_it(token: Any) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        ClaritySession(token)
    assert caught.value.field == "oauth_token"
    if isinstance(token, str) and token:
        assert token not in str(caught.value)
