"""Events as JSON lines, in the project's one event format.

Each line is one object: ``schema`` (the format's version), ``id`` (stable: the
PubNub channel and timetoken, so a replayed event keeps its id), ``type`` (the event
class), ``room``, ``pubnub_channel``, ``timetoken``, ``received_at`` (ISO 8601, UTC),
then the event's own fields, users as their profile objects (and, for an
``UnknownEvent``, the whole message as ``raw``).  Credentials are redacted.

:func:`to_json` is the command line's only way to turn an event into JSON, with the
signature of ``aioclubhouse.bridge.format.to_json``, so that the two can never drift
apart once that serialiser is what it calls.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs

from ..redaction import redact_payload
from ..rooms import RoomEvent, UnknownEvent
from .output import to_jsonable

__all__ = ["SCHEMA_VERSION", "to_json"]

SCHEMA_VERSION = 1
_ENVELOPE = ("channel", "pubnub_channel", "timetoken", "raw")


def to_json(event: RoomEvent, received_at: dt.datetime | None = None) -> str:
    """``event`` as one line of JSON (no newline); ``received_at`` defaults to now."""
    moment = received_at or dt.datetime.now(dt.UTC)
    kind = type(event).__name__
    if event.pubnub_channel:
        event_id = f"{event.pubnub_channel}:{event.timetoken}"
    else:  # the SDK's own lifecycle events
        event_id = f"{kind.lower()}:{event.channel or ''}:{event.timetoken}"
    record: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "id": event_id,
        "type": kind,
        "room": event.channel,
        "pubnub_channel": event.pubnub_channel,
        "timetoken": event.timetoken,
        "received_at": moment.astimezone(dt.UTC).isoformat(),
    }
    for field in attrs.fields(type(event)):
        if field.name not in _ENVELOPE:
            record[field.name] = to_jsonable(getattr(event, field.name))
    if isinstance(event, UnknownEvent):
        record["raw"] = to_jsonable(event.raw)  # all there is of an action nobody declared
    return json.dumps(redact_payload(record), ensure_ascii=False, default=str)
