"""Events to serialise: every event class, and values for their fields drawn from types.

The classes are found, not listed: each action's class (``ACTIONS``) and every other
concrete ``RoomEvent`` subclass of the SDK, so a new event class is covered by every
test here the day it is added.  Field values are drawn by hypothesis from the fields'
annotations; every profile and every message carries a credential under each of
:data:`~aioclubhouse.redaction.SECRET_KEYS` in its raw payload, so the tests can
check that none of them is ever written.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from typing import Any

import attrs
from hypothesis import strategies as st

from aioclubhouse.models.base import Model
from aioclubhouse.models.converter import structure
from aioclubhouse.redaction import SECRET_KEYS
from aioclubhouse.rooms.realtime_events import ACTIONS, RoomEvent, ServiceEvent

SECRET_MARK = "S3CR3T"
"""Every credential drawn here contains this; no record text may."""


def secrets() -> dict[str, str]:
    """A credential under every secret key, as a service payload might carry them."""
    return {key: f"{SECRET_MARK}-{key}-value" for key in sorted(SECRET_KEYS)}


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


def sdk_event_classes() -> list[type[RoomEvent]]:
    """Every concrete event class the SDK defines: bases sharing fields left out."""
    classes = []
    for cls in _all_subclasses(RoomEvent):
        if not cls.__module__.startswith("aioclubhouse."):
            continue
        if cls is ServiceEvent or (issubclass(cls, ServiceEvent) and "action" not in vars(cls)):
            continue
        classes.append(cls)
    return classes


def all_event_classes() -> list[type[RoomEvent]]:
    """Each action's class, then the SDK's own events (lifecycle, unknown)."""
    service = list(ACTIONS.values())
    return service + [cls for cls in sdk_event_classes() if cls not in service]


_text = st.text(max_size=24).filter(lambda text: SECRET_MARK not in text)


def values(tp: Any) -> st.SearchStrategy[Any]:
    """Values of a (resolved) field annotation."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        members = typing.get_args(tp)
        enums = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
        taken = {member.value for e in enums for member in e}
        choices = [
            # A plain int beside an int enum: only values the enum does not name (the
            # parser turns those into members).
            values(m).filter(lambda v: v not in taken) if m is int and taken else values(m)
            for m in members
        ]
        return st.one_of(*choices)
    if origin is list:
        (item,) = typing.get_args(tp)
        return st.lists(values(item), max_size=3)
    if tp is type(None):
        return st.none()
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(min_value=-(2**63), max_value=2**63)
    if tp is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if tp is str:
        return _text
    if tp is dt.datetime:
        return st.datetimes(timezones=st.just(dt.UTC))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if isinstance(tp, type) and issubclass(tp, Model):
        return models(tp)
    raise TypeError(f"no strategy for {tp!r}")


def models(cls: type[Model]) -> st.SearchStrategy[Any]:
    """Models decoded from payloads that also hold every credential key."""
    hints = typing.get_type_hints(cls)
    fields = {
        field.name: values(hints[field.name])
        for field in attrs.fields(cls)
        if field.init and field.name != "skin_tone"  # an alias of skintone
    }
    return st.fixed_dictionaries(fields).map(lambda data: structure({**data, **secrets()}, cls))


def raw_messages() -> st.SearchStrategy[dict[str, Any]]:
    extra = st.dictionaries(_text, st.one_of(st.none(), st.integers(), _text), max_size=3)
    return extra.map(lambda data: {**data, **secrets(), "nested": [{"token": "S3CR3T-deep"}]})


def events(cls: type[RoomEvent]) -> st.SearchStrategy[RoomEvent]:
    """Events of ``cls`` with every field drawn from its type."""
    hints = typing.get_type_hints(cls)
    envelope = {"channel", "pubnub_channel", "timetoken", "raw"}
    fields: dict[str, st.SearchStrategy[Any]] = {
        field.name: values(hints[field.name])
        for field in attrs.fields(cls)
        if field.init and field.name not in envelope
    }
    fields["timetoken"] = st.integers(min_value=0, max_value=2**63)
    fields["channel"] = st.one_of(st.none(), st.from_regex(r"\A[a-zA-Z0-9]{1,10}\Z"))
    fields["pubnub_channel"] = st.one_of(
        st.none(), st.from_regex(r"\A(channel_all|channel_speakers|users)\.[a-z0-9]{1,10}\Z")
    )
    fields["raw"] = raw_messages()
    return st.builds(cls, **fields)


def deep(value: Any) -> Any:
    """Everything a value holds, typed, ``raw`` left out: what a round trip must keep.

    Events compare without ``raw`` and users by id alone; this compares every field.
    """
    if attrs.has(type(value)):
        return (
            type(value),
            {
                f.name: deep(getattr(value, f.name))
                for f in attrs.fields(type(value))
                if f.name != "raw"
            },
        )
    if isinstance(value, list):
        return [deep(item) for item in value]
    return (type(value), value)
