"""docs/events.md stays true: its table lists every event type with its fields, and its
examples are records that validate and read back."""

from __future__ import annotations

import json
import re
from pathlib import Path

from aioclubhouse.bridge import from_record, json_schema, to_record

from .test_schema import VALIDATOR

DOC = (Path(__file__).resolve().parents[2] / "docs" / "events.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `(?P<type>[a-z_]+)` \| (?P<cls>[A-Z]\w+) \| (?P<fields>[^|]*)\|$", re.M)


def test_the_table_lists_every_event_type_and_its_fields() -> None:
    schema = json_schema()
    expected = {}
    for reference in schema["oneOf"]:
        branch = schema["$defs"][reference["$ref"].removeprefix("#/$defs/")]
        fields = [name for name in branch["properties"] if name != "type"]
        expected[branch["properties"]["type"]["const"]] = (branch["title"], fields)
    listed = {
        row["type"]: (row["cls"], re.findall(r"`(\w+)`", row["fields"]))
        for row in ROW.finditer(DOC)
    }
    assert listed == expected


def test_the_examples_are_records() -> None:
    examples = re.findall(r"```json\n(.*?)```", DOC, re.S)
    assert len(examples) >= 3
    types = set()
    for text in examples:
        record = json.loads(text)
        VALIDATOR.validate(record)
        event = from_record(record)
        assert to_record(event, received_at=None) | {"received_at": record["received_at"]} == (
            record
        )
        types.add(record["type"])
    assert {"join_channel", "invite_to_new_channel", "left"} <= types
