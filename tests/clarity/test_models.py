"""Decoding the payloads of the API's README, quirks included, into models."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aioclubhouse.clarity import (
    Call,
    CallStatus,
    Conversation,
    Member,
    Message,
    MessageThread,
    Need,
    Organization,
    SearchResults,
)
from aioclubhouse.clarity.loose_json import loads_loose, match_closers, quote_bare_keys
from aioclubhouse.errors import DecodeError
from aioclubhouse.models.converter import structure

README_MEMBER: dict[str, Any] = {
    "amount_generated_for_charity": 1137.15,
    "average_call_duration": 750,
    "bio": "Canadian Entrepreneur.",
    "created_at": "2011-10-20T15:18:51Z",
    "first_name": "Dan",
    "hourly_rate": "0.0",
    "id": 7,
    "last_name": "Martell",
    "public_social_connections": {"facebook": True, "linkedin": True, "twitter": True},
    "screen_name": "danmartell",
    "timezone_offset": -3.0,
    "total_calls": 450,
    "verified_phone_number": True,
}

README_CALL: dict[str, Any] = {
    "created_at": "2012-08-05T11:16:23Z",
    "canceled_by": 7,
    "duration": None,
    "expert_id": 6,
    "expires_at": "2012-08-06T11:16:23Z",
    "hourly_rate": 100.0,
    "id": 5802,
    "reason": "pitching advice",
    "seeker_id": 7,
    "status": "expert_answered",
    "updated_at": "2012-08-09T10:12:16Z",
}


def test_full_profile_with_the_rate_as_a_string() -> None:
    member = structure(README_MEMBER, Member)
    assert member.hourly_rate == 0.0 and isinstance(member.hourly_rate, float)
    assert member.amount_generated_for_charity == pytest.approx(1137.15)
    assert member.name == "Dan Martell"
    assert member.public_social_connections == {"facebook": True, "linkedin": True, "twitter": True}
    assert member.created_at == dt.datetime(2011, 10, 20, 15, 18, 51, tzinfo=dt.UTC)
    assert member.raw is README_MEMBER


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("0.0", 0.0), ("20", 20.0), (20, 20.0), (99.5, 99.5), ("$1,200.50", 1200.5)],
)
def test_hourly_rate_in_any_documented_form_is_a_float(rate: Any, expected: float) -> None:
    member = structure({"id": 1, "hourly_rate": rate}, Member)
    assert member.hourly_rate == expected and type(member.hourly_rate) is float


def test_a_rate_that_is_not_a_number_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="Member"):
        structure({"id": 1, "hourly_rate": "ask me"}, Member)


def test_the_old_nickname_field_fills_screen_name() -> None:
    member = structure({"id": 7, "nickname": "danmartell"}, Member)
    assert member.screen_name == "danmartell"
    both = structure({"id": 7, "nickname": "old", "screen_name": "new"}, Member)
    assert both.screen_name == "new"


def test_short_member_keeps_the_sent_name() -> None:
    member = structure({"id": 940, "name": "Vincent Roy", "first_name": "V"}, Member)
    assert member.name == "Vincent Roy"


def test_call_from_the_readme() -> None:
    call = structure(README_CALL, Call)
    assert call.status is CallStatus.EXPERT_ANSWERED
    assert call.raw_status == "expert_answered"
    assert call.duration is None and call.canceled_by == 7
    assert call.hourly_rate == 100.0
    assert call.expires_at == dt.datetime(2012, 8, 6, 11, 16, 23, tzinfo=dt.UTC)
    assert not call.is_terminal


def test_an_unknown_state_is_kept_not_fatal() -> None:
    call = structure({**README_CALL, "status": "voicemail_left"}, Call)
    assert call.status is CallStatus.UNKNOWN
    assert call.raw_status == "voicemail_left"
    assert not call.is_terminal


def test_a_call_without_status_as_post_calls_answers() -> None:
    payload = {k: v for k, v in README_CALL.items() if k != "status"}
    call = structure(payload, Call)
    assert call.status is None and call.raw_status is None


@pytest.mark.parametrize("state", ["call_completed", "completed", "canceled", "CANCELED"])
def test_terminal_states(state: str) -> None:
    assert structure({"id": 1, "status": state}, Call).is_terminal


@pytest.mark.parametrize("state", [s.value for s in CallStatus])
def test_every_known_state_round_trips(state: str) -> None:
    assert CallStatus.parse(state).value == state


def test_need_without_id_as_documented() -> None:
    need = structure(
        {
            "created_at": "2012-08-04T00:28:03Z",
            "description": "x",
            "paid": True,
            "requester_id": 771,
        },
        Need,
    )
    assert need.id is None and need.paid and need.requester_id == 771


def test_organization_list_and_detail_forms() -> None:
    listed = structure({"name": "Startup Festival", "member_ids": [172, 5840, 10204]}, Organization)
    assert listed.member_ids == [172, 5840, 10204] and listed.members == []
    detail = structure(
        {"name": "Startup Festival", "members": [{"id": 66, "hourly_rate": 0.0}]}, Organization
    )
    assert [m.id for m in detail.members] == [66] and detail.member_ids == []


def test_conversation_thread_and_search() -> None:
    member = {"id": 940, "screen_name": "vincentroy", "hourly_rate": 20.0}
    message = {
        "created_at": "2012-08-05T11:16:23Z",
        "read": False,
        "message": "Hi",
        "member_id": 940,
    }
    entry = structure(
        {"unread_message_count": 1, "last_message": message, "other_member": member}, Conversation
    )
    assert entry.unread_message_count == 1 and entry.last_message is not None
    assert entry.other_member is not None and entry.other_member.screen_name == "vincentroy"
    thread = structure({"other_member": member, "messages": [message, message]}, MessageThread)
    assert len(thread.messages) == 2 and thread.messages[0].member_id == 940
    results = structure({"matches": 73, "members": [member]}, SearchResults)
    assert results.matches == 73 and results.members[0].hourly_rate == 20.0


def test_bare_keys_of_the_messages_examples_are_quoted() -> None:
    readme_style = b"""[
      {
        "unread_message_count": 1,
        last_message: {"created_at": "2012-08-05T11:16:23Z", "read": false,
                       "message": "Not much, really: nothing", "member_id": 940},
        other_member: {"id": 940, "name": "Vincent Roy", "hourly_rate": 20.0}
      }
    ]"""
    decoded = loads_loose(readme_style)
    assert decoded[0]["last_message"]["message"] == "Not much, really: nothing"
    assert decoded[0]["other_member"]["id"] == 940


def test_quoting_leaves_strings_and_literals_alone() -> None:
    text = '{a: "x, b: \\"y\\"", c: [true, null, false], d: {e: 1}}'
    assert (
        quote_bare_keys(text) == '{"a": "x, b: \\"y\\"", "c": [true, null, false], "d": {"e": 1}}'
    )
    assert quote_bare_keys('{"a": 1}') == '{"a": 1}'


def test_text_that_is_not_json_even_loosely_still_fails() -> None:
    with pytest.raises(ValueError):
        loads_loose(b"<html>oops</html>")


def test_a_closer_of_the_wrong_kind_closes_the_innermost_open_bracket() -> None:
    # The shape of the document's GET /v1/messages/940 example: "}" then "]".
    broken = '{"other_member": {"id": 940}, "messages": [{"id": 1}, {"id": 2}\n}\n]'
    assert match_closers(broken) == (
        '{"other_member": {"id": 940}, "messages": [{"id": 1}, {"id": 2}\n]\n}'
    )
    assert loads_loose(broken.encode()) == {
        "other_member": {"id": 940},
        "messages": [{"id": 1}, {"id": 2}],
    }


def test_closer_repair_leaves_strings_and_well_formed_text_alone() -> None:
    text = '{"a": "} ] { [", "b": [{"c": "\\"]"}]}'
    assert match_closers(text) == text
    assert match_closers("[1, 2}") == "[1, 2]"


@pytest.mark.parametrize(
    "body",
    [b'{"messages": [1, 2}', b'{"messages": [1, 2]}}', b'{"a": 1]]', b"]"],
)
def test_closer_repair_never_adds_or_removes_a_bracket(body: bytes) -> None:
    with pytest.raises(ValueError):
        loads_loose(body)


@pytest.mark.parametrize(
    ("model", "field", "sent"),
    [
        (Need, "paid", False),
        (Organization, "featured", False),
        (Organization, "free_calls", False),
        (Message, "read", False),
        (Conversation, "unread_message_count", 0),
        (SearchResults, "matches", 0),
    ],
)
def test_a_flag_or_count_not_sent_is_none_not_false(model: type, field: str, sent: Any) -> None:
    assert getattr(structure({}, model), field) is None
    assert getattr(structure({field: None}, model), field) is None
    decoded = getattr(structure({field: sent}, model), field)
    assert decoded == sent and decoded is not None and type(decoded) is type(sent)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"id": 18, "image_url": "https://s3.amazonaws.com/x/networks/logos/17/a.png"}, 18),
        (
            {
                "image_url": "https://s3.amazonaws.com/clarityfm-production/networks/logos/"
                "17/list_square/logo.png?1340721323"
            },
            17,
        ),
        ({"image_url": "https://clarity.fm/logos/list_square/missing.png"}, None),
        ({"image_url": "https://s3.amazonaws.com/x/networks/logos/١٧/a.png"}, None),
        ({}, None),
    ],
)
def test_an_organization_id_comes_from_the_payload_or_its_logo(
    payload: dict[str, Any], expected: int | None
) -> None:
    assert structure(payload, Organization).resolved_id == expected
