"""Every event class, with field values drawn from its types: written, validated, read back.

The classes come from ``ACTIONS`` and the SDK's other event classes (tests/bridge/
support.py), so a class added tomorrow is drawn here too.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aioclubhouse.bridge import (
    ENVELOPE,
    SCHEMA_VERSION,
    event_id,
    event_type,
    from_json,
    from_record,
    to_json,
)
from aioclubhouse.rooms.realtime_events import RoomEvent

from .support import SECRET_MARK, all_event_classes, deep, events
from .test_schema import SCHEMA, VALIDATOR

AT = dt.datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)


def _undeclared_keys(record: dict[str, Any]) -> list[str]:
    """Every key written that the schema does not list (objects are open, so the
    validator alone would not see one)."""
    definitions = SCHEMA["$defs"]
    branch = definitions[record["type"]]["properties"]
    declared = set(definitions["Envelope"]["properties"]) | set(branch)
    missing = sorted(set(record) - declared)
    for name, value in record.items():
        reference = branch.get(name, {}).get("$ref", "")
        listed = definitions.get(reference.removeprefix("#/$defs/"), {}).get("properties")
        if isinstance(value, dict) and listed is not None:
            missing += [f"{name}.{key}" for key in value if key not in listed]
    return missing


@pytest.mark.parametrize("cls", all_event_classes(), ids=lambda cls: cls.__name__)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_event_round_trips_and_validates(cls: type[RoomEvent], data: st.DataObject) -> None:
    event = data.draw(events(cls))
    text = to_json(event, received_at=AT)
    assert "\n" not in text
    assert SECRET_MARK not in text, "a credential was written"

    record = json.loads(text)
    VALIDATOR.validate(record)
    assert _undeclared_keys(record) == []
    assert list(record)[: len(ENVELOPE)] == list(ENVELOPE)
    assert record["schema"] == SCHEMA_VERSION
    assert record["type"] == event_type(cls)
    assert record["id"] == event_id(event)
    assert record["received_at"] == "2024-05-01T12:00:00.123Z"

    back = from_record(record)
    assert type(back) is cls
    assert back == event
    assert deep(back) == deep(event)
    assert from_json(text) == event
    assert to_json(back, received_at=AT) == text
