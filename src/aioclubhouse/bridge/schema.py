"""The JSON Schema of the event format, generated from the event classes.

Nothing here is written by hand but the words: the properties of each event type come
from its attrs fields through the same codecs that write the records
(:mod:`aioclubhouse.bridge.codecs`), so the schema cannot drift from the format.  The
copy published as ``docs/event-schema.json`` is regenerated with
``python -m aioclubhouse.bridge schema > docs/event-schema.json``, and a test fails when it
differs from :func:`json_schema`.

Policy: every property this version writes is listed and required (nullable ones say
so); objects are open (``additionalProperties: true``), because a later release may
add fields within the same ``schema`` version and readers ignore what they do not know.
"""

from __future__ import annotations

import json
import typing
from typing import Any, Final

from ..rooms.realtime_events import RoomEvent
from .codecs import Codecs, first_paragraph, public_fields
from .format import ENVELOPE, SCHEMA_VERSION, EventFormat, event_classes

__all__ = ["json_schema", "schema_text"]

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

_RECEIVED_AT_PATTERN: Final = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"

_ENVELOPE_WORDS: Final = {
    "schema": "The format's version; it changes only when a field is removed, renamed or "
    "changes meaning.",
    "id": "Stable id: `<pubnub_channel>:<timetoken>` for a message PubNub delivered (a "
    "replay has the same id); `<room>:<type>:<timetoken>` (plus `:<attempt>` for "
    "`reconnecting`) for an event made by the SDK.",
    "type": "The event type: the service's action, or the name of an SDK event.",
    "room": "The room (Clubhouse channel) the event is about; null for user-level events.",
    "pubnub_channel": "The PubNub channel that delivered it; null for SDK events.",
    "timetoken": "PubNub timetoken (100 ns units since the Unix epoch) of the message, or "
    "of the stream position an SDK event happened at.",
    "received_at": "When the event arrived: RFC 3339, UTC, milliseconds.",
}

_RAW_WORDS: Final = "The message as sent, every credential redacted (unknown events only)."


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every record validates against: a ``oneOf`` over
    the event types, told apart by ``type`` (a ``const`` in each)."""
    codecs = Codecs()
    definitions: dict[str, dict[str, Any]] = {"Envelope": _envelope(codecs)}
    for cls in event_classes():
        form = EventFormat(cls, codecs)
        if form.type_name in definitions:
            raise TypeError(f"{cls.__qualname__}: {form.type_name!r} is defined twice")
        definitions[form.type_name] = _event_schema(form)
    branches = [{"$ref": f"#/$defs/{name}"} for name in definitions if name != "Envelope"]
    for name, schema in codecs.definitions.items():
        if name in definitions:
            raise TypeError(f"schema definition {name!r} is defined twice")
        definitions[name] = schema
    return {
        "$schema": DIALECT,
        "title": "aioclubhouse event",
        "description": f"One event of the aioclubhouse event format, version {SCHEMA_VERSION} "
        "(docs/events.md).",
        "type": "object",
        "oneOf": branches,
        "$defs": definitions,
    }


def schema_text() -> str:
    """:func:`json_schema` as the text of ``docs/event-schema.json``."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _envelope(codecs: Codecs) -> dict[str, Any]:
    """The fields every record has; the room's envelope fields typed from RoomEvent."""
    hints = typing.get_type_hints(RoomEvent)
    typed = {field.name: codecs.of(hints[field.name]).schema for field in public_fields(RoomEvent)}
    properties: dict[str, dict[str, Any]] = {
        "schema": {"const": SCHEMA_VERSION},
        "id": {"type": "string", "minLength": 1},
        "type": {"type": "string", "minLength": 1},
        "room": typed["channel"],
        "pubnub_channel": typed["pubnub_channel"],
        "timetoken": typed["timetoken"],
        "received_at": {
            "type": "string",
            "format": "date-time",
            "pattern": _RECEIVED_AT_PATTERN,
        },
    }
    return {
        "title": "Envelope",
        "description": "The fields every event has, first in every record.",
        "type": "object",
        "properties": {
            name: {"description": _ENVELOPE_WORDS[name], **schema}
            for name, schema in properties.items()
        },
        "required": list(ENVELOPE),
    }


def _event_schema(form: EventFormat) -> dict[str, Any]:
    properties: dict[str, Any] = {"type": {"const": form.type_name}}
    for name, codec, _ in form.fields:
        properties[name] = codec.schema
    if form.keeps_raw:
        properties["raw"] = {"description": _RAW_WORDS, "type": "object"}
    schema: dict[str, Any] = {"title": form.cls.__name__}
    if form.cls.__doc__:
        schema["description"] = first_paragraph(form.cls.__doc__)
    return schema | {
        "type": "object",
        "allOf": [{"$ref": "#/$defs/Envelope"}],
        "properties": properties,
        "required": list(properties),
        "additionalProperties": True,
    }
