"""One JSON object per event: the format every way out of a process carries.

Room events, user events and the SDK's lifecycle events all become one flat JSON
object (``docs/events.md`` describes it field by field)::

    {"schema": 1, "id": "channel_all.xyz:17000000000000000", "type": "join_channel",
     "room": "xyz", "pubnub_channel": "channel_all.xyz", "timetoken": 17000000000000000,
     "received_at": "2024-05-01T12:00:00.123Z", "user": {"user_id": 42, ...}}

then the event's own fields, typed: users as their profile's public fields (never the
payload the service sent), enums as their values, times as RFC 3339 text.

* ``type`` is the ``action`` of a service event (the service's own name, so it never
  changes with the SDK's class names); the SDK's own events are named in
  :data:`SDK_EVENT_TYPES`.
* ``id`` is stable: ``<pubnub_channel>:<timetoken>`` for a message PubNub delivered,
  so a replayed message has the id it had the first time.  An event with no PubNub
  message (lifecycle events) is named by where and when it happened:
  ``<room>:<type>:<timetoken>``, plus ``:<attempt>`` for :class:`Reconnecting` and
  ``:<user_id>`` for :class:`SpeechTranscribed`.
* An :class:`UnknownEvent` also carries ``raw``, the message as sent, with every
  credential redacted: it is all there is of it.

Each event class's reader and writer are built once, on first use, from its attrs
fields (:mod:`aioclubhouse.bridge.codecs`), so writing an event is a few attribute
reads and no reflection.  :func:`from_record` is the inverse of :func:`to_record`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
import typing
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from ..errors import DecodeError, InvalidArgumentError
from ..redaction import redact_payload
from ..rooms.realtime_events import (
    ACTIONS,
    Connected,
    Left,
    Reconnected,
    Reconnecting,
    RoomEvent,
    SpeechTranscribed,
    UnknownEvent,
)
from .codecs import Codec, Codecs, InvalidValue, public_fields, timestamp_text

__all__ = [
    "ENVELOPE",
    "SCHEMA_VERSION",
    "SDK_EVENT_TYPES",
    "EventFormat",
    "EventRecordError",
    "compact_json",
    "event_classes",
    "event_id",
    "event_type",
    "from_json",
    "from_record",
    "record_at",
    "to_json",
    "to_record",
]

SCHEMA_VERSION: Final = 1
"""The version of the format, the ``schema`` of every record.

It changes only when a field is removed, renamed or changes meaning; new event types
and new fields are added within a version (readers ignore what they do not know)."""

ENVELOPE: Final = ("schema", "id", "type", "room", "pubnub_channel", "timetoken", "received_at")
"""The fields every record starts with, in order; the event's own fields follow."""

SDK_EVENT_TYPES: Final[Mapping[type[RoomEvent], str]] = MappingProxyType(
    {
        UnknownEvent: "unknown",
        Connected: "connected",
        Reconnecting: "reconnecting",
        Reconnected: "reconnected",
        Left: "left",
        SpeechTranscribed: "speech_transcribed",
    }
)
"""The ``type`` of each event that is not a service action (those are named by it)."""

_ID_EXTRA: Final[Mapping[type[RoomEvent], str]] = MappingProxyType(
    {Reconnecting: "attempt", SpeechTranscribed: "user_id"}
)
"""The field that tells apart lifecycle events of one type at one position."""

_EVENT_TO_RECORD: Final = {"channel": "room"}
"""Envelope fields of :class:`RoomEvent` whose record name differs (the room's name)."""


class EventRecordError(DecodeError):
    """A record that is not an event of this format; ``field`` names the culprit."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"event record: {field}: {problem}")
        self.field = field


def event_classes() -> tuple[type[RoomEvent], ...]:
    """Every class the format carries: each action's class, then the SDK's own events.

    Read at each call: a service event class defined later (which registers its
    action) is carried too.
    """
    return (*ACTIONS.values(), *SDK_EVENT_TYPES)


class EventFormat:
    """How the records of one event class are written and read; built once per class."""

    __slots__ = ("_writers", "cls", "fields", "id_extra", "keeps_raw", "type_name")

    def __init__(self, cls: type[RoomEvent], codecs: Codecs) -> None:
        self.cls = cls
        self.type_name = _type_name(cls)
        hints = typing.get_type_hints(cls)
        self.fields: tuple[tuple[str, Codec, bool], ...] = tuple(
            (field.name, codecs.of(hints[field.name]), field.default is not attrs.NOTHING)
            for field in public_fields(cls)
            if field.name not in _ENVELOPE_FIELDS
        )
        for name, _, _ in self.fields:
            if name in ENVELOPE or name == "raw":
                raise TypeError(f"{cls.__qualname__}.{name}: the name of an envelope field")
        self.id_extra = _ID_EXTRA.get(cls)
        self.keeps_raw = cls is UnknownEvent
        self._writers = tuple((name, codec.encode) for name, codec, _ in self.fields)

    def id_of(self, event: RoomEvent) -> str:
        if event.pubnub_channel:
            return f"{event.pubnub_channel}:{event.timetoken}"
        text = f"{event.channel or ''}:{self.type_name}:{event.timetoken}"
        if self.id_extra is not None:
            text = f"{text}:{getattr(event, self.id_extra)}"
        return text

    def record(self, event: RoomEvent, received_at: str) -> dict[str, Any]:
        record: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "id": self.id_of(event),
            "type": self.type_name,
            "room": event.channel,
            "pubnub_channel": event.pubnub_channel,
            "timetoken": event.timetoken,
            "received_at": received_at,
        }
        for name, encode in self._writers:
            value = getattr(event, name)
            record[name] = value if encode is None or value is None else encode(value)
        if self.keeps_raw:
            record["raw"] = redact_payload(event.raw)
        return record

    def event(self, record: Mapping[str, Any]) -> RoomEvent:
        values: dict[str, Any] = {}
        for field, key, codec in _ENVELOPE_READERS:
            if key not in record:
                raise EventRecordError(key, "missing")
            values[field] = _read(codec, record[key], key)
        for name, codec, has_default in self.fields:
            if name in record:
                values[name] = _read(codec, record[name], name)
            elif not has_default:
                raise EventRecordError(name, f"missing (needed by {self.type_name})")
        if self.keeps_raw and "raw" in record:
            values["raw"] = _read(_RAW, record["raw"], "raw")
        try:
            return self.cls(**values)
        except (TypeError, ValueError) as exc:
            raise EventRecordError(self.type_name, str(exc)) from None


def _read(codec: Codec, value: Any, key: str) -> Any:
    try:
        return codec.decode(value)
    except InvalidValue as exc:
        raise EventRecordError(key, str(exc)) from None


def _type_name(cls: type[RoomEvent]) -> str:
    sdk_name = SDK_EVENT_TYPES.get(cls)
    if sdk_name is not None:
        return sdk_name
    action = getattr(cls, "action", None)
    if isinstance(action, str) and ACTIONS.get(action) is cls:
        if action in _SDK_NAMES:
            raise TypeError(f"{cls.__qualname__}: action {action!r} names an SDK event")
        return action
    raise InvalidArgumentError(
        "event", f"{cls.__qualname__} is not an event class the event format carries"
    )


_ENVELOPE_FIELDS: Final = frozenset(field.name for field in public_fields(RoomEvent)) | {"raw"}
_SDK_NAMES: Final = frozenset(SDK_EVENT_TYPES.values())
_CODECS: Final = Codecs()
_RAW: Final = _CODECS.of(dict[str, Any])
_ENVELOPE_READERS: Final = tuple(
    (name, _EVENT_TO_RECORD.get(name, name), _CODECS.of(tp))
    for name, tp in typing.get_type_hints(RoomEvent).items()
    if name in _ENVELOPE_FIELDS and name != "raw"
)
_FORMATS: dict[type[RoomEvent], EventFormat] = {}
_BY_TYPE: dict[str, EventFormat] = {}


def _format_of(cls: type[RoomEvent]) -> EventFormat:
    form = _FORMATS.get(cls)
    if form is None:
        form = EventFormat(cls, _CODECS)
        _FORMATS[cls] = form
        _BY_TYPE[form.type_name] = form
    return form


def _format_named(type_name: Any) -> EventFormat | None:
    form = _BY_TYPE.get(type_name) if isinstance(type_name, str) else None
    if form is None and isinstance(type_name, str):
        for cls in event_classes():  # classes not written yet, or defined since
            _format_of(cls)
        form = _BY_TYPE.get(type_name)
    return form


# -- the public API ------------------------------------------------------------------------


def event_type(event_or_class: RoomEvent | type[RoomEvent]) -> str:
    """The record ``type`` of an event or event class (``"join_channel"``, ``"left"``...).

    Raises :class:`~aioclubhouse.errors.InvalidArgumentError` for a class the format
    does not carry.
    """
    cls = event_or_class if isinstance(event_or_class, type) else type(event_or_class)
    return _format_of(cls).type_name


def event_id(event: RoomEvent) -> str:
    """The record ``id`` of ``event`` (see the module docs), without building the record."""
    form = _FORMATS.get(type(event)) or _format_of(type(event))
    return form.id_of(event)


def to_record(event: RoomEvent, *, received_at: dt.datetime | None = None) -> dict[str, Any]:
    """The event as its JSON object (a fresh dict of JSON values).

    ``received_at`` (timezone-aware) is when the event arrived; now by default.
    """
    form = _FORMATS.get(type(event)) or _format_of(type(event))
    return form.record(event, _received_at_text(received_at))


def record_at(event: RoomEvent, received: float) -> dict[str, Any]:
    """:func:`to_record` for an event received at ``received`` (a ``time.time()``): what
    the bridge calls for every event, without making a datetime for each."""
    form = _FORMATS.get(type(event)) or _format_of(type(event))
    return form.record(event, _received_text(received))


def to_json(event: RoomEvent, *, received_at: dt.datetime | None = None) -> str:
    """The event's record as compact JSON text on one line (no trailing newline)."""
    return _ENCODER.encode(to_record(event, received_at=received_at))


def compact_json(record: Mapping[str, Any]) -> bytes:
    """A record as :func:`to_json` writes it, in UTF-8."""
    return _ENCODER.encode(record).encode()


_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""One encoder for every record (``json.dumps`` with options makes one per call)."""


def from_record(record: Mapping[str, Any]) -> RoomEvent:
    """The event a record describes: ``from_record(to_record(e)) == e``.

    ``id`` and ``received_at`` are not part of the event and are not read; fields
    this release does not know are ignored.  Raises :class:`EventRecordError` naming
    the field that is missing or wrong.
    """
    if not isinstance(record, Mapping):
        raise EventRecordError("record", f"expected a JSON object, got {type(record).__name__}")
    version = record.get("schema")
    if type(version) is not int or version != SCHEMA_VERSION:
        raise EventRecordError(
            "schema", f"{version!r} is not a version this release reads ({SCHEMA_VERSION})"
        )
    type_name = record.get("type")
    form = _format_named(type_name)
    if form is None:
        raise EventRecordError("type", f"{type_name!r} is not an event type")
    return form.event(record)


def from_json(text: str | bytes) -> RoomEvent:
    """The event a line of :func:`to_json` output describes (see :func:`from_record`)."""
    try:
        record = json.loads(text)
    except ValueError as exc:
        raise EventRecordError("record", f"not JSON ({exc})") from None
    return from_record(record)


_second_text: tuple[int, str] = (0, "1970-01-01T00:00:00")


def _received_text(received: float) -> str:
    """``received`` (seconds since the epoch) as ``timestamp_text`` writes it with
    milliseconds; the text of the current second is kept, as events come many a second."""
    global _second_text
    fraction, whole = math.modf(received)  # rounded as datetime.fromtimestamp rounds
    second, micros = int(whole), round(fraction * 1_000_000)
    if micros >= 1_000_000:
        second, micros = second + 1, micros - 1_000_000
    elif micros < 0:
        second, micros = second - 1, micros + 1_000_000
    known, text = _second_text
    if second != known:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        _second_text = (second, text)
    return f"{text}.{micros // 1000:03d}Z"


def _received_at_text(received_at: dt.datetime | None) -> str:
    if received_at is None:
        received_at = dt.datetime.now(dt.UTC)
    elif received_at.tzinfo is None:
        raise InvalidArgumentError("received_at", "must be timezone-aware (a UTC time)")
    return timestamp_text(received_at, milliseconds=True)
