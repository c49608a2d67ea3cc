"""The options of rooms and user-event streams: each declared once, with default and check.

:class:`StreamOptions` are what every event stream takes (a room, or the stream of
your user events); :class:`RoomOptions` add what only a room does (keepalive,
resync, role changes, audio).  Both are frozen and checked when made: a bad value
raises :class:`~aioclubhouse.errors.InvalidArgumentError` naming the option, so
``join_room`` refuses it before anything is sent.

``join_room`` and ``user_events`` take an options object, the same options as
keywords, or both (the keywords win).  :class:`RoomOptionFields` and
:class:`StreamOptionFields` spell those keywords out for type checkers, so that a
misspelt option fails the type check as well as the call; they only name the
fields (defaults and checks stay here, in the classes), and a test holds them equal
to the classes.
"""

from __future__ import annotations

import math
from typing import Any, TypedDict

import attrs

from ..errors import InvalidArgumentError
from .keepalive import DEFAULT_PING_INTERVAL, Keepalive
from .realtime import RealtimeOptions, RealtimePool
from .role import RoleChangeHook

__all__ = [
    "DEFAULT_AUDIO_TIMEOUT",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_DRAIN_TIMEOUT",
    "DEFAULT_MAX_QUEUE",
    "DEFAULT_RESYNC_INTERVAL",
    "DEFAULT_TRANSCRIBE_TIMEOUT",
    "RoomOptionFields",
    "RoomOptions",
    "StreamOptionFields",
    "StreamOptions",
    "room_options",
    "stream_options",
]

DEFAULT_MAX_QUEUE = 10_000
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_DRAIN_TIMEOUT = 5.0
DEFAULT_RESYNC_INTERVAL = 120.0
DEFAULT_AUDIO_TIMEOUT = 15.0
"""Bound on the audio backend's connect and disconnect (the Agora adapters' own are lower)."""
DEFAULT_TRANSCRIBE_TIMEOUT = 30.0
"""Bound on finishing a room's transcript when leaving (recognising what was still said)."""


def _positive_seconds(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or math.isnan(value) or value <= 0:
        raise InvalidArgumentError(
            attribute.name, f"must be a positive number of seconds, not {value!r}"
        )


def _whole_at_least_one(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(
            attribute.name, f"must be a whole number of at least 1, not {value!r}"
        )


def _instance_or_none(kind: type[Any]) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and not isinstance(value, kind):
            raise InvalidArgumentError(attribute.name, f"must be a {kind.__name__} or None")

    return check


def _timetoken_or_none(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(
            attribute.name, f"must be a PubNub timetoken (a whole number) or None, not {value!r}"
        )


def _function_or_none(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not callable(value):
        raise InvalidArgumentError(attribute.name, "must be a function or None")


def _keepalive_class(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not (isinstance(value, type) and issubclass(value, Keepalive)):
        raise InvalidArgumentError(attribute.name, "must be Keepalive or a subclass of it")


def _seconds(default: float) -> Any:
    return attrs.field(default=default, validator=_positive_seconds)


@attrs.frozen(kw_only=True)
class StreamOptions:
    """How an event stream (a room, or your user events) delivers and connects."""

    max_queue: int = attrs.field(default=DEFAULT_MAX_QUEUE, validator=_whole_at_least_one)
    """Events kept for a program that falls behind; beyond that the oldest are dropped."""
    connect_timeout: float = _seconds(DEFAULT_CONNECT_TIMEOUT)
    """How long joining waits for the realtime link before returning anyway."""
    drain_timeout: float = _seconds(DEFAULT_DRAIN_TIMEOUT)
    """How long leaving lets ``on()`` handlers finish the events already delivered."""
    realtime_options: RealtimeOptions | None = attrs.field(
        default=None, validator=_instance_or_none(RealtimeOptions)
    )
    """Timeouts and retry pacing of the realtime link (default: the pool's)."""
    pool: RealtimePool | None = attrs.field(default=None, validator=_instance_or_none(RealtimePool))
    """A realtime pool to use, lent by its owner (who closes it); default: the session's."""


@attrs.frozen(kw_only=True)
class RoomOptions(StreamOptions):
    """How a room stays in the room, follows it, and treats your role and audio."""

    ping_interval: float = _seconds(DEFAULT_PING_INTERVAL)
    """Seconds between ``active_ping`` calls."""
    resync_interval: float = _seconds(DEFAULT_RESYNC_INTERVAL)
    """Seconds between ``get_channel`` re-reads of the room (it also re-reads after a
    reconnect)."""
    audio_timeout: float = _seconds(DEFAULT_AUDIO_TIMEOUT)
    """Bound on the audio backend's connect and disconnect."""
    transcribe_timeout: float = _seconds(DEFAULT_TRANSCRIBE_TIMEOUT)
    """With a transcriber: how long leaving may take to recognise what was still being
    said, whose events come before ``Left``; what is not done by then is dropped."""
    on_role_change: RoleChangeHook | None = attrs.field(default=None, validator=_function_or_none)
    """Called (sync or async) with the room and a ``RoleChange`` when your role or RTC
    token changes."""
    keepalive: type[Keepalive] = attrs.field(default=Keepalive, validator=_keepalive_class)
    """The class that pings for the room; a subclass may pace or observe the pings."""
    start_at: int | None = attrs.field(default=None, validator=_timetoken_or_none)
    """Deliver the room's messages published after this timetoken (e.g. the ``room.cursor``
    an earlier listener saved) instead of those from the join request on.  Honoured when
    it is within ``realtime_options.max_rewind`` seconds of the realtime server's clock;
    further back, delivery starts at the join.  None: from the join request."""


class StreamOptionFields(TypedDict, total=False):
    """:class:`StreamOptions` as keyword arguments."""

    max_queue: int
    connect_timeout: float
    drain_timeout: float
    realtime_options: RealtimeOptions | None
    pool: RealtimePool | None


class RoomOptionFields(StreamOptionFields, total=False):
    """:class:`RoomOptions` as keyword arguments."""

    ping_interval: float
    resync_interval: float
    audio_timeout: float
    transcribe_timeout: float
    on_role_change: RoleChangeHook | None
    keepalive: type[Keepalive]
    start_at: int | None


def room_options(options: RoomOptions | None, fields: RoomOptionFields) -> RoomOptions:
    """``options`` (or the defaults) with ``fields`` on top, all checked."""
    if options is not None and not isinstance(options, RoomOptions):
        raise InvalidArgumentError("options", "must be a RoomOptions or None")
    base = options if options is not None else RoomOptions()
    return attrs.evolve(base, **fields) if fields else base


def stream_options(options: StreamOptions | None, fields: StreamOptionFields) -> StreamOptions:
    """``options`` (or the defaults) with ``fields`` on top, all checked."""
    if options is not None and not isinstance(options, StreamOptions):
        raise InvalidArgumentError("options", "must be a StreamOptions or None")
    base = options if options is not None else StreamOptions()
    return attrs.evolve(base, **fields) if fields else base
