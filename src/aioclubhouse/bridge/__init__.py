"""Events out of the process: one JSON format for every event, and its schema.

    from aioclubhouse.bridge import to_json, from_json

    async for event in room.events():
        line = to_json(event)            # one line, ready for a file, a webhook or NATS
    assert from_json(line) == event

:mod:`~aioclubhouse.bridge.format` writes and reads the records (``docs/events.md``
describes them); :mod:`~aioclubhouse.bridge.schema` generates their JSON Schema,
published as ``docs/event-schema.json``.
"""

from .format import (
    ENVELOPE,
    SCHEMA_VERSION,
    SDK_EVENT_TYPES,
    EventRecordError,
    event_classes,
    event_id,
    event_type,
    from_json,
    from_record,
    to_json,
    to_record,
)
from .schema import json_schema, schema_text

__all__ = [
    "ENVELOPE",
    "SCHEMA_VERSION",
    "SDK_EVENT_TYPES",
    "EventRecordError",
    "event_classes",
    "event_id",
    "event_type",
    "from_json",
    "from_record",
    "json_schema",
    "schema_text",
    "to_json",
    "to_record",
]
