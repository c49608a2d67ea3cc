"""``fleet``: a listener fleet over NATS JetStream, from the command line.

    aioclubhouse fleet discover [--nats URL] [--once | --seconds N] [--club C] [--topic T]
    aioclubhouse fleet work --accounts DIR [--nats URL] [--seconds N]
    aioclubhouse fleet status [--nats URL] [--json]

The work is done by :mod:`aioclubhouse.fleet.command`, which ``python -m
aioclubhouse.fleet`` runs too; this module picks the logins, the service and the
NATS servers the way every command does, and says what happened.

``discover`` watches with the command's login (``--profile`` or ``--credentials``);
``work`` with every credentials file of ``--accounts``, at the service they were
logged in at.  Under ``--emulator`` each command has an emulator of its own, which
no other process sees: ``discover`` queues its rooms, and ``work`` covers them with
``--emulator-accounts`` accounts logged in there, discovering them itself.  Both then
use a local ``nats-server`` of their own unless ``--nats`` names one
(:mod:`..nats_server`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ...bridge.jetstream import StreamSettings
from ...emulator.__main__ import AccountFiles
from ...fleet.command import discover, status, work
from ...fleet.discovery import RoomFilter
from ...fleet.settings import DEFAULT_ACK_WAIT, FleetSettings
from ...fleet.status import FleetStatus
from ...fleet.worker import Worker, WorkerOptions
from ..accounts import load_accounts_for
from ..failures import EXIT_USAGE, CliError
from ..groups import SuggestingGroup
from ..nats_server import NATS_ENV, nats_servers
from ..runtime import Runtime
from ..settings import global_options, settings_of
from ..stopping import stop_event
from ..terminal import err_console, write_line

__all__ = ["COMMANDS"]

F = TypeVar("F", bound=Callable[..., Any])


def fleet_options(function: F) -> F:
    """What every member of a fleet must agree on, and where NATS is."""
    options = [
        click.option(
            "--nats",
            metavar="URL[,URL...]",
            help=f"the NATS server(s) (env {NATS_ENV}; default nats://127.0.0.1:4222)",
        ),
        click.option(
            "--ack-wait",
            type=click.FloatRange(min=0, min_open=True),
            default=DEFAULT_ACK_WAIT,
            show_default=True,
            help="seconds a dead worker's rooms wait before another worker takes them",
        ),
        click.option(
            "--replicas",
            type=click.IntRange(min=1),
            default=1,
            show_default=True,
            help="copies of the fleet's streams and bucket (3 on a three-node cluster)",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _fleet_settings(ack_wait: float, replicas: int) -> FleetSettings:
    return FleetSettings(
        ack_wait=ack_wait, replicas=replicas, events=StreamSettings(replicas=replicas)
    )


def _say(text: str) -> None:
    err_console().print(text, markup=False, highlight=False, soft_wrap=True)


@click.group("fleet", cls=SuggestingGroup)
@global_options()
def fleet() -> None:
    """Share the live rooms among many accounts and processes through NATS JetStream.

    `discover` queues one assignment per live room, `work` covers rooms with a
    folder of accounts and bridges their events into the CLUBHOUSE_EVENTS stream,
    `status` shows who covers what.  `discover` and `work` run until Ctrl-C,
    SIGTERM or --seconds; a worker then leaves its rooms and hands them back.
    """


def room_filter_options(function: F) -> F:
    options = [
        click.option("--club", "clubs", multiple=True, help="only rooms of this club (id or name)"),
        click.option("--topic", help="only rooms whose topic has this word"),
        click.option(
            "--min-size", type=click.IntRange(min=0), default=0, help="at least this full"
        ),
        click.option("--max-size", type=click.IntRange(min=0), help="at most this full"),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@fleet.command("discover")
@fleet_options
@room_filter_options
@click.option(
    "--interval",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="seconds between two looks at the live rooms",
)
@click.option("--once", is_flag=True, help="look once, queue what is live, and exit")
@click.option("--seconds", type=click.FloatRange(min=0), help="stop after this many seconds")
@global_options()
@click.pass_context
def discover_command(
    ctx: click.Context,
    /,
    nats: str | None,
    ack_wait: float,
    replicas: int,
    clubs: tuple[str, ...],
    topic: str | None,
    min_size: int,
    max_size: int | None,
    interval: float,
    once: bool,
    seconds: float | None,
) -> None:
    """Queue one watch assignment per live room, watching with your login."""
    settings = settings_of(ctx)
    fleet_settings = _fleet_settings(ack_wait, replicas)
    room_filter = RoomFilter(clubs=clubs, topic=topic, min_size=min_size, max_size=max_size)
    with Runtime(settings) as runtime:
        profile = runtime.profile()
        url = runtime.base_url_for(profile)
        settings.service = url
        settings.secrets.update(secret for secret in profile.credentials.secrets() if secret)

        async def scout() -> int:
            async with (
                stop_event(seconds) as stop,
                nats_servers(nats, emulator=settings.emulator) as servers,
            ):
                if not once:
                    _say(f"Queueing the live rooms of {url} on {servers} (Ctrl-C stops)")
                return await discover(
                    profile.path,
                    nats=servers,
                    api_url=url,
                    settings=fleet_settings,
                    room_filter=room_filter,
                    interval=interval,
                    once=once,
                    stop=stop,
                )

        queued = runtime.run(scout())
    write_line(f"Queued {queued} rooms")


@fleet.command("work")
@fleet_options
@click.option(
    "--accounts",
    type=click.Path(file_okay=False, path_type=Path),
    help="a directory of credentials files: one room at a time per account",
)
@click.option(
    "--emulator-accounts",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="under --emulator: how many accounts to log in at it",
)
@click.option("--name", help="this worker's name in the status (default HOST-PID)")
@click.option(
    "--heartbeat",
    type=click.FloatRange(min=0, min_open=True),
    default=WorkerOptions().heartbeat,
    show_default=True,
    help="seconds between two updates of a covered room's record (its cursor and lag)",
)
@click.option(
    "--max-rewind",
    type=click.FloatRange(min=0),
    default=WorkerOptions().max_rewind,
    show_default=True,
    help="seconds back a room taken over resumes from its cursor",
)
@click.option("--seconds", type=click.FloatRange(min=0), help="stop after this many seconds")
@global_options()
@click.pass_context
def work_command(
    ctx: click.Context,
    /,
    nats: str | None,
    ack_wait: float,
    replicas: int,
    accounts: Path | None,
    emulator_accounts: int,
    name: str | None,
    heartbeat: float,
    max_rewind: float,
    seconds: float | None,
) -> None:
    """Cover rooms with every account of --accounts DIR and bridge their events.

    Each account covers one room at a time, taken from the assignments `discover`
    queued; the room's events go to the CLUBHOUSE_EVENTS stream.  Stopping leaves
    the rooms (everything read is in the stream first) and hands them back.
    """
    settings = settings_of(ctx)
    if accounts is None and not settings.emulator:
        raise CliError(
            "fleet work needs --accounts DIR (a folder of credentials files)", EXIT_USAGE
        )
    if accounts is not None and settings.emulator:
        raise CliError(
            "--emulator logs in accounts of its own (--emulator-accounts N): leave out --accounts",
            EXIT_USAGE,
        )
    fleet_settings = _fleet_settings(ack_wait, replicas)
    options = WorkerOptions(heartbeat=heartbeat, max_rewind=max_rewind)
    with Runtime(settings) as runtime:
        embedded = runtime.embedded
        if embedded is not None:
            folder = embedded.profile.path.parent / "fleet-accounts"
            AccountFiles(directory=folder, count=emulator_accounts).write(embedded.emulator)
            accounts = folder
        assert accounts is not None
        people, url = load_accounts_for(accounts, settings)
        settings.service = url
        directory = accounts

        async def serve() -> Worker:
            async with (
                stop_event(seconds) as stop,
                nats_servers(nats, emulator=settings.emulator) as servers,
            ):
                _say(
                    f"Covering rooms of {url} with {len(people)} accounts, events to "
                    f"{servers} (Ctrl-C stops)"
                )
                working = work(
                    directory,
                    nats=servers,
                    api_url=url,
                    settings=fleet_settings,
                    options=options,
                    name=name,
                    stop=stop,
                )
                if embedded is None:
                    return await working
                scouting = discover(
                    embedded.profile.path,
                    nats=servers,
                    api_url=url,
                    settings=fleet_settings,
                    interval=2.0,
                    stop=stop,
                )
                worker, _ = await asyncio.gather(working, scouting)
                return worker

        worker = runtime.run(serve())
    write_line(f"Worker {worker.name} covered {worker.covered} rooms")


@fleet.command("status")
@fleet_options
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@global_options()
@click.pass_context
def status_command(
    ctx: click.Context, /, nats: str | None, ack_wait: float, replicas: int, as_json: bool
) -> None:
    """The rooms covered, by worker and account, with their lag."""
    settings = settings_of(ctx)
    settings.emulator = False  # status talks to NATS only: --emulator starts nothing for it
    fleet_settings = _fleet_settings(ack_wait, replicas)
    with Runtime(settings) as runtime:

        async def look() -> FleetStatus:
            async with nats_servers(nats, emulator=False) as servers:
                return await status(servers, settings=fleet_settings)

        found = runtime.run(look())
    write_line(json.dumps(found.to_json(), indent=2) if as_json else found.table())


COMMANDS = [fleet]
