"""What a model shows: a short repr (ids and names), and ``to_dict()`` without secrets.

Checked on every example answer of the public API description, so a new model or a new
example is covered without touching this file.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from typing import Any

import pytest

from aioclubhouse.models.base import Model
from aioclubhouse.models.converter import structure
from aioclubhouse.pagination import Pager
from aioclubhouse.redaction import REDACTED, SECRET_KEYS, redact_payload
from aioclubhouse.session import ClubhouseSession

from .test_spec_examples import EXAMPLES, pager_items_key

REPR_LIMIT = 300
"""Characters a repr may take: a log line's worth (a ProfileResult used to take 3,367)."""


def decoded(name: str, payload: dict[str, Any]) -> list[Model]:
    """The models an example answer decodes into (the items, for a listing)."""
    returned = typing.get_type_hints(getattr(ClubhouseSession, name))["return"]
    if typing.get_origin(returned) in (Pager, list):
        (item_type,) = typing.get_args(returned)
        key = pager_items_key(name, payload)
        return list(structure(payload[key], list[item_type]))  # type: ignore[valid-type]
    return [structure(payload, returned)]


def success_examples() -> Iterator[Any]:
    for param in EXAMPLES:
        _name, status, payload = param.values
        if status < 400 and payload.get("success") is not False:
            yield param


def secrets_in(value: Any) -> set[str]:
    """Every non-empty string under a credential key, however deep."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.lower() in SECRET_KEYS and isinstance(item, str):
                if item:
                    found.add(item)
            else:
                found |= secrets_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= secrets_in(item)
    return found


@pytest.mark.parametrize(("name", "status", "payload"), list(success_examples()))
def test_reprs_are_short_and_dicts_carry_no_secret(
    name: str, status: int, payload: dict[str, Any]
) -> None:
    secrets = secrets_in(payload)
    for model in decoded(name, payload):
        shown = repr(model)
        assert len(shown) <= REPR_LIMIT, shown
        assert shown.startswith(type(model).__name__ + "(")
        plain = model.to_dict()
        json.dumps(plain)  # plain JSON values all the way down
        text = json.dumps(plain)
        assert not any(secret in text or secret in shown for secret in secrets)
        assert "raw" not in plain
        assert not any(secret in json.dumps(redact_payload(model.raw)) for secret in secrets)


def test_to_dict_redacts_unless_asked_not_to() -> None:
    from aioclubhouse.models import JoinChannelResult, MeResult

    me = structure(
        {
            "user_profile": {"user_id": 7, "name": "Ada"},
            "auth_token": "tok-123456",
            "num_invites": 2,
        },
        MeResult,
    )
    assert me.to_dict()["auth_token"] == REDACTED
    assert me.to_dict()["user_profile"] == {**me.to_dict()["user_profile"], "user_id": 7}
    assert me.to_dict(redact=False)["auth_token"] == "tok-123456"
    assert me.to_dict()["num_invites"] == 2
    joined = structure(
        {"channel": "abcdefgh", "token": "rtc-123456", "pubnub_token": "pn-123456"},
        JoinChannelResult,
    )
    plain = joined.to_dict()
    assert plain["channel"] == "abcdefgh"
    assert plain["token"] == REDACTED and plain["pubnub_token"] == REDACTED
    assert repr(joined).startswith("JoinChannelResult(channel='abcdefgh'")
    assert "rtc-123456" not in repr(joined)
