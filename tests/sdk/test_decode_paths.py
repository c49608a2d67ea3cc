"""The fast decoding paths give exactly what the careful ones give.

* ``jsonparse.loads`` with orjson (the ``speedups`` extra) returns what ``json.loads``
  returns, or raises what it raises, for any text, the awkward ones included; the
  pure path is what runs without orjson or with ``AIOCLUBHOUSE_PURE_JSON=1``.
* The model hooks written out straight (``models/converter.py``) build the same model
  as the hook around cattrs' generated function, or fail where it fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aioclubhouse import jsonparse
from aioclubhouse.models import ChannelsFeed
from aioclubhouse.models.base import Model
from aioclubhouse.models.converter import (
    _careful_model_hook,
    _fills_slots_directly,
    _write_build,
    structure,
)
from aioclubhouse.models.rooms import Channel, ChannelInFeed, JoinChannelResult, RoomUser
from aioclubhouse.models.topics import Topic, TopicsResult
from aioclubhouse.models.users import UserProfile

# -- JSON readers -----------------------------------------------------------------------

AWKWARD = [
    b'{"a": 1}',
    b'{"big": 123456789012345678901234567890}',
    b'{"n": NaN, "i": -Infinity}',
    b'["\\ud800 lone surrogate"]',
    b'{"x": "caf\xe9"}',
    b"\xef\xbb\xbf{}",
    b"[" * 2000 + b"]" * 2000,
    b'{"dup": 1, "dup": 2}',
    b"1e400",
    b"-0",
    b'"\\u00e9\\n"',
    b"",
    b"   ",
    b"{,}",
    b'{"t": {"t": "17000000000000000", "r": 1}, "m": []}',
]


def outcome(loads: Any, text: bytes | str) -> tuple[str, Any]:
    try:
        value = loads(text)
    except Exception as exc:
        return ("raises", type(exc))
    return ("value", json.dumps(value, allow_nan=True, sort_keys=True) if value == value else "nan")


needs_orjson = pytest.mark.skipif(
    jsonparse.fast_loads is None, reason="orjson (the speedups extra) is not installed"
)


@needs_orjson
@pytest.mark.parametrize("text", AWKWARD)
def test_the_fast_reader_reads_awkward_text_as_the_standard_library(text: bytes) -> None:
    assert jsonparse.fast_loads is not None
    for given_text in (text, text.decode("utf-8", errors="replace")):
        assert outcome(jsonparse.fast_loads, given_text) == outcome(json.loads, given_text)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@needs_orjson
@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_the_fast_reader_reads_any_json_as_the_standard_library(value: Any) -> None:
    assert jsonparse.fast_loads is not None
    text = json.dumps(value)
    assert jsonparse.fast_loads(text.encode()) == json.loads(text)


def reader_in_a_fresh_process(environment: dict[str, str], block_orjson: bool = False) -> str:
    code = (
        ("import sys; sys.modules['orjson'] = None\n" if block_orjson else "")
        + "from aioclubhouse import jsonparse, transport\n"
        + "print(jsonparse.PARSER, jsonparse.loads is jsonparse.pure_loads)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "AIOCLUBHOUSE_PURE_JSON"}
    env.update(environment)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_pure_path_runs_when_asked_or_without_orjson() -> None:
    assert reader_in_a_fresh_process({"AIOCLUBHOUSE_PURE_JSON": "1"}) == "json True"
    assert reader_in_a_fresh_process({}, block_orjson=True) == "json True"


@needs_orjson
def test_the_fast_path_runs_by_default_with_the_extra() -> None:
    assert reader_in_a_fresh_process({}) == "orjson False"


# -- model hooks ------------------------------------------------------------------------

MODELS: list[type[Model]] = [
    RoomUser,
    ChannelInFeed,
    Channel,
    JoinChannelResult,
    UserProfile,
    Topic,
    TopicsResult,
    ChannelsFeed,
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "7", "007", "true", "0", "2021-02-14T01:02:03+00:00", "x", "1.5"])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["user_id", "id", "name", "topics", "users"]), inner)
    ),
    max_leaves=6,
)


@st.composite
def payloads(draw: st.DrawFn, cls: type[Model]) -> dict[str, Any]:
    names = [f.name for f in attrs.fields(cls) if f.init]
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    payload = {name: draw(values) for name in chosen}
    if draw(st.booleans()):  # mostly well-formed required fields, so successes happen
        for field in attrs.fields(cls):
            if field.init and field.default is attrs.NOTHING:
                payload[field.name] = draw(st.integers(1, 10**6) | st.text(max_size=3))
    payload.update(draw(st.dictionaries(st.sampled_from(["extra", "raw"]), scalars, max_size=2)))
    return payload


def built(run: Any) -> tuple[str, Any]:
    try:
        model = run()
    except Exception as exc:
        return ("raises", type(exc).__name__)
    return ("model", attrs.asdict(model, recurse=True), model.raw)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_straight_hook_builds_what_the_careful_hook_builds(
    cls: type[Model], data: st.DataObject
) -> None:
    payload = data.draw(payloads(cls))
    attrs.resolve_types(cls)
    fields = [f for f in attrs.fields(cls) if f.init]
    straight = _write_build(cls, fields)
    careful = _careful_model_hook(cls)
    fast, reference = built(lambda: straight(payload)), built(lambda: careful(payload, cls))
    if reference[0] == "raises":
        assert fast[0] == "raises"
    else:
        assert fast == reference


def test_a_wrong_payload_keeps_cattrs_detailed_message() -> None:
    with pytest.raises(Exception) as failed:
        structure({"channels": [{"channel": "a", "users": [{"user_id": "x"}]}]}, ChannelsFeed)
    assert "user_id" in str(failed.value) and "channels" in str(failed.value)


def test_plain_models_fill_their_slots_directly_and_others_call_init() -> None:
    """The property test above covers both ways a straight hook builds a model."""

    @attrs.frozen(kw_only=True)
    class Frozen(Model):
        value: int = 0

    @attrs.define(kw_only=True)
    class Checked(Model):
        value: int = attrs.field(default=0, validator=attrs.validators.ge(0))

    def init_fields(cls: type[Model]) -> list[attrs.Attribute[Any]]:
        attrs.resolve_types(cls)
        return [f for f in attrs.fields(cls) if f.init]

    assert _fills_slots_directly(RoomUser, init_fields(RoomUser))  # with a post-init hook
    assert _fills_slots_directly(ChannelsFeed, init_fields(ChannelsFeed))
    assert not _fills_slots_directly(Frozen, init_fields(Frozen))
    assert not _fills_slots_directly(Checked, init_fields(Checked))
    with pytest.raises(ValueError, match="must be >= 0"):
        _write_build(Checked, init_fields(Checked))({"value": -1})  # the validator still runs
    frozen = _write_build(Frozen, init_fields(Frozen))({"value": 3})
    assert isinstance(frozen, Frozen) and frozen.value == 3
