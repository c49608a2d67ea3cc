"""``--to`` specs: ``jsonl:PATH``, ``webhook:URL`` or ``nats:URL``, and the sinks they make.

Parsing checks everything it can without touching the network or the disk, so a
command refuses a spec that cannot work before it starts anything:

    parse_sink_spec("jsonl:events.jsonl")
    parse_sink_spec("webhook:https://example.com/hook")
    parse_sink_spec("nats:nats://127.0.0.1:4222,nats://127.0.0.1:4223")

:class:`SinkOptions` carries what each kind of sink may be told besides its target
(the webhook secret, the stream's limits...); :func:`build_sink` makes the sink.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final, Literal

import attrs

from ..errors import InvalidArgumentError
from .jetstream import JetStreamSink, StreamSettings
from .jsonl import JsonLinesSink
from .nats_link import server_list
from .sink import Sink
from .webhook import WebhookSink, _checked_url

__all__ = ["SECRET_ENV", "SinkKind", "SinkOptions", "SinkSpec", "build_sink", "parse_sink_spec"]

SinkKind = Literal["jsonl", "webhook", "nats"]
KINDS: Final[tuple[SinkKind, ...]] = ("jsonl", "webhook", "nats")
SECRET_ENV: Final = "AIOCLUBHOUSE_WEBHOOK_SECRET"
"""Where the webhook secret is read from when none is given (never a command argument:
arguments show in process lists)."""
USAGE: Final = "use jsonl:PATH, webhook:URL or nats:URL"


@attrs.frozen(kw_only=True)
class SinkSpec:
    """A parsed ``--to``: the kind of sink and its target (a path, a URL, NATS URLs)."""

    kind: SinkKind
    target: str


def parse_sink_spec(text: str) -> SinkSpec:
    """Read ``kind:target``; :class:`~aioclubhouse.errors.InvalidArgumentError` names the
    problem (field ``to``)."""
    if not isinstance(text, str) or ":" not in text:
        raise InvalidArgumentError("to", f"{text!r} is not a sink: {USAGE}")
    kind, target = text.split(":", 1)
    if kind not in KINDS:
        raise InvalidArgumentError("to", f"{kind!r} is not a kind of sink: {USAGE}")
    target = target.strip()
    if not target:
        raise InvalidArgumentError("to", f"{kind}: needs a {'path' if kind == 'jsonl' else 'URL'}")
    try:
        if kind == "webhook":
            _checked_url(target)
        elif kind == "nats":
            server_list(target)
        elif Path(target).is_dir():
            raise InvalidArgumentError("to", f"jsonl:{target} is a directory, not a file")
    except InvalidArgumentError as exc:
        raise InvalidArgumentError("to", exc.message.split(": ", 1)[-1]) from None
    return SinkSpec(kind=kind, target=target)


@attrs.frozen(kw_only=True)
class SinkOptions:
    """What a sink may be told besides its target; each kind reads its own fields."""

    # jsonl
    flush_every: int = 100
    flush_interval: float = 1.0
    fsync: bool = False
    max_bytes: int | None = None
    backups: int = 5
    # webhook
    secret: str | None = attrs.field(default=None, repr=False)
    """Default: ``$AIOCLUBHOUSE_WEBHOOK_SECRET``."""
    dead_letter: Path | None = None
    """Default: ``aioclubhouse-dead-letter.jsonl`` in the working directory."""
    max_attempts: int = 6
    max_in_flight: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    # nats
    stream: StreamSettings = attrs.field(factory=StreamSettings)
    connect_timeout: float = 5.0


DEFAULT_DEAD_LETTER: Final = Path("aioclubhouse-dead-letter.jsonl")


def build_sink(spec: SinkSpec | str, options: SinkOptions | None = None) -> Sink:
    """The (unopened) sink a spec names."""
    if isinstance(spec, str):
        spec = parse_sink_spec(spec)
    options = options or SinkOptions()
    if spec.kind == "jsonl":
        return JsonLinesSink(
            spec.target,
            flush_every=options.flush_every,
            flush_interval=options.flush_interval,
            fsync=options.fsync,
            max_bytes=options.max_bytes,
            backups=options.backups,
        )
    if spec.kind == "webhook":
        return WebhookSink(
            spec.target,
            secret=options.secret or os.environ.get(SECRET_ENV) or None,
            dead_letter=options.dead_letter or DEFAULT_DEAD_LETTER,
            max_attempts=options.max_attempts,
            max_in_flight=options.max_in_flight,
            base_delay=options.base_delay,
            max_delay=options.max_delay,
        )
    return JetStreamSink(
        spec.target, stream=options.stream, connect_timeout=options.connect_timeout
    )
