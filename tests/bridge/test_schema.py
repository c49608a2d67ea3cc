"""The published JSON Schema: generated from the event classes, current, and true.

Records are checked against it both ways: every record of every class validates, and
the schema is not vacuous (wrong records fail, and it lists every field written).
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from aioclubhouse.bridge import (
    ENVELOPE,
    SCHEMA_VERSION,
    event_type,
    json_schema,
    schema_text,
    to_record,
)
from aioclubhouse.bridge.codecs import public_fields
from aioclubhouse.models.rooms import RoomUser
from aioclubhouse.rooms.realtime_events import (
    LeaveReason,
    Left,
    RoomEvent,
    UnknownEvent,
    parse_message,
)

from .support import all_event_classes

PUBLISHED = Path(__file__).resolve().parents[2] / "docs" / "event-schema.json"
REGENERATE = "python -m aioclubhouse.bridge schema > docs/event-schema.json"
CLASSES = all_event_classes()
SCHEMA = json_schema()
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def test_the_published_schema_is_the_generated_one() -> None:
    assert PUBLISHED.read_text(encoding="utf-8") == schema_text(), (
        f"docs/event-schema.json is stale: regenerate it with `{REGENERATE}`"
    )


def test_the_command_prints_the_schema() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aioclubhouse.bridge", "schema"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout == schema_text()
    assert done.stderr == ""


def test_the_command_without_a_subcommand_names_them() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aioclubhouse.bridge"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "schema" in done.stderr and "run" in done.stderr and "replay" in done.stderr


def test_it_is_a_draft_2020_12_schema_with_one_branch_per_event_type() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    definitions = SCHEMA["$defs"]
    branches = [definitions[ref["$ref"].removeprefix("#/$defs/")] for ref in SCHEMA["oneOf"]]
    assert [b["properties"]["type"] for b in branches] == [
        {"const": event_type(cls)} for cls in CLASSES
    ]
    assert definitions["Envelope"]["required"] == list(ENVELOPE)
    assert definitions["Envelope"]["properties"]["schema"]["const"] == SCHEMA_VERSION
    for cls, branch in zip(CLASSES, branches, strict=True):
        assert branch["title"] == cls.__name__
        assert branch["additionalProperties"] is True
        envelope = {field.name for field in public_fields(RoomEvent)}
        fields = [f.name for f in public_fields(cls) if f.name not in envelope]
        kept = ["raw"] if cls is UnknownEvent else []
        assert branch["required"] == ["type", *fields, *kept]


def test_enums_and_profiles_are_described_once() -> None:
    definitions = SCHEMA["$defs"]
    assert definitions["left"]["properties"]["reason"] == {"$ref": "#/$defs/LeaveReason"}
    assert definitions["LeaveReason"]["enum"] == [reason.value for reason in LeaveReason]
    assert definitions["join_channel"]["properties"]["user"] == {"$ref": "#/$defs/RoomUser"}
    user = definitions["RoomUser"]
    assert user["required"] == [field.name for field in public_fields(RoomUser)]
    assert "skin_tone" not in user["properties"]  # an alias, out of the repr
    assert user["properties"]["time_joined_as_speaker"]["anyOf"][1] == {"type": "null"}


def _validate(record: dict[str, Any]) -> None:
    VALIDATOR.validate(record)
    errors = list(VALIDATOR.iter_errors(record))
    assert errors == []


def _declared(record: dict[str, Any]) -> set[str]:
    definitions = SCHEMA["$defs"]
    return set(definitions["Envelope"]["properties"]) | set(
        definitions[record["type"]]["properties"]
    )


def _undeclared_keys(record: dict[str, Any]) -> list[str]:
    """Every key written that the schema does not list (objects are open, so the
    validator alone would not see it)."""
    missing = sorted(set(record) - _declared(record))
    definitions = SCHEMA["$defs"]
    for name, value in record.items():
        schema = definitions[record["type"]]["properties"].get(name, {})
        ref = schema.get("$ref", "")
        if isinstance(value, dict) and ref and "properties" in definitions[ref.split("/")[-1]]:
            listed = definitions[ref.split("/")[-1]]["properties"]
            missing += [f"{name}.{key}" for key in value if key not in listed]
    return missing


JOIN = {"action": "join_channel", "channel": "xyz", "user_profile": {"user_id": 42}}


@pytest.mark.parametrize(
    "spoil",
    [
        lambda r: r.update(type="no_such_event"),
        lambda r: r.update(schema=2),
        lambda r: r.pop("id"),
        lambda r: r.update(id=""),
        lambda r: r.pop("user"),
        lambda r: r.update(timetoken="17"),
        lambda r: r.update(room=5),
        lambda r: r.update(received_at="2024-05-01T12:00:00Z"),
        lambda r: r.update(received_at="2024-05-01 12:00:00.123+02:00"),
        lambda r: r["user"].update(user_id="42"),
        lambda r: r["user"].update(is_speaker=None),
        lambda r: r["user"].update(time_joined_as_speaker="yesterday"),
    ],
    ids=lambda spoil: str(spoil.__code__.co_firstlineno),
)
def test_wrong_records_do_not_validate(spoil: Any) -> None:
    record = to_record(parse_message(JOIN, pubnub_channel="channel_all.xyz", timetoken=17))
    _validate(copy.deepcopy(record))
    spoil(record)
    assert not VALIDATOR.is_valid(record)


def test_an_enum_value_outside_the_enum_does_not_validate() -> None:
    record = to_record(Left(timetoken=1, reason=LeaveReason.ENDED))
    _validate(record)
    assert not VALIDATOR.is_valid({**record, "reason": "bored"})
    assert not VALIDATOR.is_valid({**record, "type": "connected", "reason": "bored"}) or (
        "reason" not in SCHEMA["$defs"]["connected"]["properties"]
    )
