"""The NATS JetStream sink: one message per event, deduplicated by id, acknowledged.

Subjects::

    clubhouse.rooms.<room>.<event_type>        an event about a room
    clubhouse.users.<user_id>.<event_type>     an event naming no room (invitations...)

The message is the event's JSON record; its ``Nats-Msg-Id`` header is the record's
``id``, so JetStream drops a message it already stored within the stream's duplicate
window: a bridge that replays events after a restart or a takeover adds nothing.
Subject tokens are the room name and type as they are when they hold only letters,
digits, ``-`` and ``_`` (as every room name and event type does); any other
character becomes ``_``.

The stream (``CLUBHOUSE_EVENTS`` by default) is created on first use when it does not
exist, with the retention, limits, replicas and duplicate window of
:class:`StreamSettings`; an existing stream is used as it is, once checked to take
these subjects.  :meth:`JetStreamSink.send` publishes a whole batch at once and
returns when JetStream has acknowledged every message of it, while the batches of
other rooms are in flight too (up to ``max_in_flight`` messages, the sink's
backpressure; :mod:`.publisher` tells how).  A message not acknowledged in
``publish_timeout`` seconds (a server failing over, a lost connection) is sent again
after a jittered backoff, up to ``max_attempts`` times, then
:class:`~aioclubhouse.bridge.SinkError` is raised.  Messages retried may land out of
order; consumers order by ``timetoken``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from ..errors import InvalidArgumentError
from ..redaction import get_logger
from .nats_link import NatsError, close_quietly, connect, nats_module, server_list, shown
from .publisher import MSG_ID_HEADER, Publisher, PublishFailed
from .sink import Outgoing, SinkContext, SinkError

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.js.client import JetStreamContext

__all__ = [
    "DEFAULT_STREAM",
    "MSG_ID_HEADER",
    "JetStreamSink",
    "StreamSettings",
    "subject_for",
    "subject_token",
]

log = get_logger("aioclubhouse.bridge")

DEFAULT_STREAM: Final = "CLUBHOUSE_EVENTS"
DEFAULT_PREFIX: Final = "clubhouse"
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9_-]")
_RETENTIONS: Final = ("limits", "interest", "workqueue")
_STORAGES: Final = ("file", "memory")


def subject_token(text: str | int | None) -> str:
    """``text`` as one subject token (see the module docs); ``_`` when empty."""
    token = _UNSAFE.sub("_", str(text)) if text is not None else ""
    return token or "_"


def subject_for(item: Outgoing, prefix: str = DEFAULT_PREFIX) -> str:
    """The subject an event is published on."""
    if item.room is not None:
        return f"{prefix}.rooms.{subject_token(item.room)}.{subject_token(item.type)}"
    user: int | str | None = item.user_id
    channel = item.pubnub_channel or ""
    if channel.startswith("users."):
        user = channel.removeprefix("users.")
    return f"{prefix}.users.{subject_token(user)}.{subject_token(item.type)}"


def _positive(field: str, value: Any, *, whole: bool = False, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    kinds = int if whole else int | float
    if isinstance(value, bool) or not isinstance(value, kinds) or not value > 0:
        raise InvalidArgumentError(field, "must be a positive number" + (" or None" * allow_none))


@attrs.frozen(kw_only=True)
class StreamSettings:
    """The stream events go to, and how it is created when it does not exist yet."""

    name: str = DEFAULT_STREAM
    prefix: str = DEFAULT_PREFIX
    """The first subject token (``clubhouse``)."""
    retention: str = "limits"
    """``limits`` (keep up to the limits), ``interest`` or ``workqueue``."""
    max_age: float | None = 7 * 24 * 3600.0
    """Seconds a message is kept; None: no limit."""
    max_bytes: int | None = None
    max_msgs: int | None = None
    replicas: int = 1
    """Copies kept by a cluster (3 for a three-node cluster)."""
    storage: str = "file"
    duplicate_window: float = 600.0
    """Seconds during which a message id already stored is dropped."""

    def __attrs_post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", self.name):
            raise InvalidArgumentError("stream", f"{self.name!r}: letters, digits, - and _ only")
        if not re.fullmatch(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*", self.prefix):
            raise InvalidArgumentError("prefix", f"{self.prefix!r} is not a subject prefix")
        if self.retention not in _RETENTIONS:
            raise InvalidArgumentError("retention", f"must be one of {', '.join(_RETENTIONS)}")
        if self.storage not in _STORAGES:
            raise InvalidArgumentError("storage", "must be file or memory")
        _positive("max_age", self.max_age, allow_none=True)
        _positive("max_bytes", self.max_bytes, whole=True, allow_none=True)
        _positive("max_msgs", self.max_msgs, whole=True, allow_none=True)
        _positive("replicas", self.replicas, whole=True)
        _positive("duplicate_window", self.duplicate_window)

    @property
    def subjects(self) -> list[str]:
        return [f"{self.prefix}.rooms.>", f"{self.prefix}.users.>"]

    def config(self) -> Any:
        """The ``nats.js.api.StreamConfig`` to create the stream with."""
        api = nats_module().js.api
        return api.StreamConfig(
            name=self.name,
            subjects=self.subjects,
            retention=api.RetentionPolicy(self.retention),
            max_age=self.max_age,
            max_bytes=self.max_bytes,
            max_msgs=self.max_msgs,
            num_replicas=self.replicas,
            storage=api.StorageType(self.storage),
            duplicate_window=self.duplicate_window,
        )


async def ensure_stream(js: JetStreamContext, settings: StreamSettings, *, label: str) -> None:
    """Create the stream if it does not exist; check an existing one takes its subjects."""
    errors = nats_module().js.errors
    try:
        info = await js.stream_info(settings.name)
    except errors.NotFoundError:
        try:
            await js.add_stream(settings.config())
        except errors.APIError as exc:
            raise NatsError(f"{label}: cannot create stream {settings.name} ({exc})") from None
        log.info("%s: created stream %s", label, settings.name)
        return
    except (TimeoutError, errors.Error) as exc:
        raise NatsError(f"{label}: JetStream does not answer ({exc!r})") from None
    taken = info.config.subjects or []
    for subject in settings.subjects:
        if not any(_covers(pattern, subject) for pattern in taken):
            raise NatsError(
                f"{label}: stream {settings.name} exists but does not take {subject} "
                f"(its subjects: {', '.join(taken) or 'none'})"
            )


def _covers(pattern: str, subject: str) -> bool:
    wanted = pattern.split(".")
    tokens = subject.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return True
        if index >= len(tokens) or (token != "*" and token != tokens[index]):
            return False
    return len(wanted) == len(tokens)


class JetStreamSink(SinkContext):
    """Publishes each event to JetStream; see the module docs."""

    def __init__(
        self,
        servers: str | Sequence[str] = "nats://127.0.0.1:4222",
        *,
        stream: StreamSettings | None = None,
        publish_timeout: float = 5.0,
        max_attempts: int = 8,
        base_delay: float = 0.2,
        max_delay: float = 5.0,
        max_in_flight: int = 2000,
        connect_timeout: float = 5.0,
        connection: Client | None = None,
    ) -> None:
        self.servers = server_list(servers) if connection is None else []
        self.settings = stream or StreamSettings()
        _positive("publish_timeout", publish_timeout)
        _positive("max_attempts", max_attempts, whole=True)
        _positive("base_delay", base_delay)
        _positive("max_delay", max_delay)
        _positive("max_in_flight", max_in_flight, whole=True)
        _positive("connect_timeout", connect_timeout)
        self.publish_timeout = float(publish_timeout)
        self.max_attempts = max_attempts
        self.base_delay = float(base_delay)
        self.max_delay = float(max_delay)
        self.max_in_flight = max_in_flight
        self.connect_timeout = float(connect_timeout)
        self._lent = connection
        self._client: Client | None = None
        self._publisher: Publisher | None = None
        self._counts = (0, 0, 0)
        """published, duplicates, retries of publishers closed before."""
        self._subjects: dict[tuple[str | None, str, int | None, str | None], str] = {}

    @property
    def name(self) -> str:
        where = shown(self.servers) if self.servers else "a lent connection"
        return f"nats:{where} stream {self.settings.name}"

    def __repr__(self) -> str:
        return f"<JetStreamSink {self.name} published={self.published}>"

    @property
    def published(self) -> int:
        """Messages JetStream acknowledged (duplicates included)."""
        now = self._publisher.acknowledged if self._publisher is not None else 0
        return self._counts[0] + now

    @property
    def duplicates(self) -> int:
        """Messages JetStream already had (dropped by their id)."""
        now = self._publisher.duplicates if self._publisher is not None else 0
        return self._counts[1] + now

    @property
    def retries(self) -> int:
        """Messages sent again (not acknowledged in time, or refused)."""
        now = self._publisher.retries if self._publisher is not None else 0
        return self._counts[2] + now

    @property
    def connection(self) -> Client:
        if self._client is None:
            raise SinkError(self.name, "not open")
        return self._client

    # -- lifecycle -------------------------------------------------------------------------
    async def open(self) -> None:
        if self._client is not None:
            return
        try:
            client = self._lent or await connect(
                self.servers, name="aioclubhouse bridge", connect_timeout=self.connect_timeout
            )
        except NatsError as exc:
            raise SinkError(self.name, exc.message) from None
        try:
            js = client.jetstream(timeout=self.publish_timeout)
            await ensure_stream(js, self.settings, label=self.name)
            publisher = Publisher(
                client,
                timeout=self.publish_timeout,
                max_attempts=self.max_attempts,
                base_delay=self.base_delay,
                max_delay=self.max_delay,
                max_in_flight=self.max_in_flight,
                label=self.name,
            )
            await publisher.start()
        except BaseException as exc:
            if client is not self._lent:
                await close_quietly(client)
            if isinstance(exc, NatsError):
                raise SinkError(self.name, exc.message.split(": ", 1)[-1]) from None
            raise
        self._client, self._publisher = client, publisher

    async def close(self) -> None:
        client, self._client = self._client, None
        publisher, self._publisher = self._publisher, None
        if publisher is not None:
            await publisher.stop()
            published, duplicates, retries = self._counts
            self._counts = (
                published + publisher.acknowledged,
                duplicates + publisher.duplicates,
                retries + publisher.retries,
            )
        if client is not None and client is not self._lent:
            await close_quietly(client)

    # -- sending ---------------------------------------------------------------------------
    async def send(self, batch: Sequence[Outgoing]) -> None:
        publisher = self._publisher
        if publisher is None:
            raise SinkError(self.name, "not open")
        try:
            await publisher.publish([(self._subject(item), item.line, item.id) for item in batch])
        except PublishFailed as exc:
            raise SinkError(self.name, f"{len(batch)} events not all acknowledged: {exc}") from None

    def _subject(self, item: Outgoing) -> str:
        """:func:`subject_for`, remembered per room (or user) and type."""
        key = (item.room, item.type, item.user_id, None if item.room else item.pubnub_channel)
        subject = self._subjects.get(key)
        if subject is None:
            if len(self._subjects) >= _SUBJECTS_KEPT:
                self._subjects.clear()
            subject = self._subjects[key] = subject_for(item, self.settings.prefix)
        return subject


_SUBJECTS_KEPT: Final = 10_000
