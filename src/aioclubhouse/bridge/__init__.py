"""Events out of the process: one JSON format for every event, and sinks that deliver it.

    from aioclubhouse.bridge import JsonLinesSink, bridge, to_json

    async for event in room.events():
        line = to_json(event)            # one line, ready for a file, a webhook or NATS

    async with JsonLinesSink("events.jsonl") as sink:
        await bridge(room, sink)         # every event of the room, until it is left

:mod:`~aioclubhouse.bridge.format` writes and reads the records (``docs/events.md``
describes them); :mod:`~aioclubhouse.bridge.schema` generates their JSON Schema,
published as ``docs/event-schema.json``.  The sinks: :class:`JsonLinesSink` (a file,
rotated, resumable), :class:`WebhookSink` (signed POSTs, retries, a dead-letter
file; :func:`verify_signature` for receivers) and :class:`JetStreamSink` (NATS
JetStream, deduplicated by event id; needs ``aioclubhouse[nats]``).
:func:`bridge` feeds one of them from a room; :mod:`.command` holds the commands.
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
from .jetstream import JetStreamSink, StreamSettings, subject_for
from .jsonl import JsonLinesSink
from .nats_link import NatsError
from .pump import BridgeStats, bridge
from .schema import json_schema, schema_text
from .signing import SignatureError, signature_headers, verify_signature
from .sink import Outgoing, Resumable, Sink, SinkError
from .specs import SinkOptions, SinkSpec, build_sink, parse_sink_spec
from .webhook import WebhookSink

__all__ = [
    "ENVELOPE",
    "SCHEMA_VERSION",
    "SDK_EVENT_TYPES",
    "BridgeStats",
    "EventRecordError",
    "JetStreamSink",
    "JsonLinesSink",
    "NatsError",
    "Outgoing",
    "Resumable",
    "SignatureError",
    "Sink",
    "SinkError",
    "SinkOptions",
    "SinkSpec",
    "StreamSettings",
    "WebhookSink",
    "bridge",
    "build_sink",
    "event_classes",
    "event_id",
    "event_type",
    "from_json",
    "from_record",
    "json_schema",
    "parse_sink_spec",
    "schema_text",
    "signature_headers",
    "subject_for",
    "to_json",
    "to_record",
    "verify_signature",
]
