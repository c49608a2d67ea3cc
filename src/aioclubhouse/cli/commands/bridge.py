"""``bridge``: room events into a JSON lines file, a webhook or NATS JetStream.

    aioclubhouse bridge ROOM... --to jsonl:PATH|webhook:URL|nats:URL
    aioclubhouse bridge replay DEAD-LETTER-FILE --to webhook:URL
    aioclubhouse bridge schema

``bridge ROOM...`` is ``bridge run ROOM...``: the group runs ``run`` when the first
word after it is not one of its commands.  The work is done by
:mod:`aioclubhouse.bridge.command`; this module reads the command line, picks the
accounts and says what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ...bridge.command import DEFAULT_MAX_REWIND, RoomReport, replay, run_bridge
from ...bridge.jetstream import StreamSettings
from ...bridge.schema import schema_text
from ...bridge.specs import SinkOptions
from ...session import ClubhouseSession
from ..accounts import load_accounts_for
from ..failures import EXIT_SERVICE, EXIT_USAGE, CliError
from ..groups import SuggestingGroup
from ..runtime import Runtime
from ..settings import Settings, global_options, settings_of
from ..stopping import stop_event
from ..terminal import err_console, write_line
from .listen import busiest_room

__all__ = ["COMMANDS"]

F = TypeVar("F", bound=Callable[..., Any])

SINKS = "jsonl:PATH, webhook:URL or nats:URL[,URL...]"


class BridgeGroup(SuggestingGroup):
    """``bridge`` runs ``run`` unless the first word names another of its commands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        words = [arg for arg in args if not arg.startswith("-")]
        asks_help = any(arg in ("-h", "--help") for arg in args) and not words
        if not asks_help and (not words or words[0] not in self.commands):
            args = ["run", *args]
        return super().parse_args(ctx, args)


def sink_options(function: F) -> F:
    """The ``--to`` spec and what each kind of sink may be told."""
    options = [
        click.option("--to", "to", required=True, metavar="SINK", help=f"where to: {SINKS}"),
        click.option(
            "--max-bytes", type=click.IntRange(min=1024), help="jsonl: rotate past this size"
        ),
        click.option("--fsync", is_flag=True, help="jsonl: force each flush to the disk"),
        click.option(
            "--dead-letter",
            type=click.Path(dir_okay=False, path_type=Path),
            help="webhook: where batches go after the last attempt "
            "(default aioclubhouse-dead-letter.jsonl)",
        ),
        click.option(
            "--max-attempts",
            type=click.IntRange(min=1),
            default=6,
            show_default=True,
            help="webhook: attempts per batch",
        ),
        click.option(
            "--stream",
            default=StreamSettings().name,
            show_default=True,
            help="nats: the stream (created if missing)",
        ),
        click.option(
            "--replicas",
            type=click.IntRange(min=1),
            default=1,
            show_default=True,
            help="nats: copies of a stream created here (3 on a three-node cluster)",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _sink_settings(given: dict[str, Any]) -> SinkOptions:
    return SinkOptions(
        max_bytes=given["max_bytes"],
        fsync=given["fsync"],
        dead_letter=given["dead_letter"],
        max_attempts=given["max_attempts"],
        stream=StreamSettings(name=given["stream"], replicas=given["replicas"]),
    )


@click.group("bridge", cls=BridgeGroup)
@global_options()
def bridge() -> None:
    """Send room events to a JSON lines file, a webhook or NATS JetStream.

    `aioclubhouse bridge ROOM... --to SINK` (the `run` command) bridges rooms;
    `replay` sends a dead-letter file again; `schema` prints the JSON Schema of the
    event records.
    """


@bridge.command("run")
@click.argument("rooms", nargs=-1, metavar="[ROOM]...")
@sink_options
@click.option(
    "--accounts",
    type=click.Path(file_okay=False, path_type=Path),
    help="a directory of credentials files: one account per room (default: your login)",
)
@click.option("--user-events", is_flag=True, help="bridge your user events instead of rooms")
@click.option("--seconds", type=click.FloatRange(min=0), help="stop after this many seconds")
@click.option(
    "--max-rewind",
    type=click.FloatRange(min=0),
    default=DEFAULT_MAX_REWIND,
    show_default=True,
    help="seconds back a restarted bridge resumes a room (jsonl)",
)
@global_options()
@click.pass_context
def run(
    ctx: click.Context,
    /,
    rooms: tuple[str, ...],
    accounts: Path | None,
    user_events: bool,
    seconds: float | None,
    max_rewind: float,
    **given: Any,
) -> None:
    """Bridge ROOMs (default: the fullest live room) into SINK until they end.

    Each room needs an account of its own (a service lets an account be in one
    room at a time): your login covers one room, --accounts DIR one per file.
    A webhook's secret is read from $AIOCLUBHOUSE_WEBHOOK_SECRET.  Ctrl-C, SIGTERM
    or --seconds leaves the rooms, and everything read is delivered first.
    """
    if user_events and rooms:
        raise CliError("--user-events bridges your user events: name no room", EXIT_USAGE)
    settings = settings_of(ctx)
    options = _sink_settings(given)
    with Runtime(settings) as runtime:
        work = _run(
            runtime,
            list(rooms),
            given["to"],
            accounts=accounts,
            user_events=user_events,
            options=options,
            seconds=seconds,
            max_rewind=max_rewind,
        )
        reports = runtime.run(work)
    for report in reports:
        where = report.room or f"user events of {report.user_id}"
        reason = (report.left_reason or "stopped").replace("_", " ")
        write_line(
            f"{where}: {report.stats.sent} events sent to {given['to']}, "
            f"{report.stats.dropped} dropped; left ({reason})"
        )
    failed = [report.room for report in reports if report.left_reason == "realtime_error"]
    if failed:
        raise CliError(f"the realtime connection to {', '.join(map(str, failed))} failed")


async def _run(
    runtime: Runtime,
    rooms: list[str],
    to: str,
    *,
    accounts: Path | None,
    user_events: bool,
    options: SinkOptions,
    seconds: float | None,
    max_rewind: float,
) -> list[RoomReport]:
    settings = runtime.settings
    if accounts is not None:
        people, url = load_accounts_for(accounts, settings)
        credentials = None
        first = ClubhouseSession(people[0].credentials, base_url=url)
    else:
        profile = runtime.profile()
        url = runtime.base_url_for(profile)
        first = runtime.session()
        credentials = profile.path
    settings.service = url
    if not rooms and not user_events:
        async with first:
            rooms = [await busiest_room(first)]
    else:
        await first.close()
    what = "your user events" if user_events else ", ".join(rooms)
    err_console().print(f"Bridging {what} to {to} (Ctrl-C stops)", markup=False, highlight=False)
    async with stop_event(seconds) as stop:
        return await run_bridge(
            rooms,
            to,
            credentials=credentials,
            accounts=accounts,
            api_url=url,
            sink_options=options,
            max_rewind=max_rewind,
            stop=stop,
        )


@bridge.command("replay")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@sink_options
@global_options()
@click.pass_context
def replay_command(ctx: click.Context, /, file: Path, **given: Any) -> None:
    """Send the events of FILE (a dead-letter file) to SINK again.

    Events that fail again go to a fresh dead-letter file (FILE itself, for a
    webhook with no other --dead-letter); receivers recognise an event sent twice
    by its id.  Exits with 1 when some went to the dead-letter file again.
    """
    settings = settings_of(ctx)
    options = _sink_settings(given)
    with Runtime(_without_emulator(settings)) as runtime:
        report = runtime.run(replay(file, given["to"], sink_options=options))
    write_line(
        f"Replayed {report.read} events to {given['to']}: {report.delivered} delivered, "
        f"{report.dead_lettered} to the dead-letter file again, "
        f"{report.unreadable} unreadable lines set aside"
    )
    if report.dead_lettered:
        raise CliError(
            f"{report.dead_lettered} events were not delivered: they are in the dead-letter "
            "file again",
            EXIT_SERVICE,
        )


def _without_emulator(settings: Settings) -> Settings:
    """``replay`` talks to no Clubhouse service: ``--emulator`` starts nothing for it."""
    settings.emulator = False
    return settings


@bridge.command("schema")
@global_options()
def schema() -> None:
    """Print the JSON Schema of the event records (docs/event-schema.json)."""
    text = schema_text()
    write_line(text.removesuffix("\n"))


COMMANDS = [bridge]
