"""``python -m aioclubhouse.fleet discover|work|status``: a listener fleet over NATS JetStream.

    python -m aioclubhouse.fleet discover --credentials scout.json --nats nats://127.0.0.1:4222
    python -m aioclubhouse.fleet work --accounts accounts/ --nats nats://127.0.0.1:4222
    python -m aioclubhouse.fleet status --nats nats://127.0.0.1:4222

``discover`` and ``work`` run until SIGINT or SIGTERM (a worker then leaves its rooms
and hands them back).  Every member of a fleet must be given the same ``--ack-wait``
and ``--replicas`` (they create the JetStream objects on first use).  Errors are one
line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from ..bridge.jetstream import StreamSettings
from ..dialect import DEFAULT_BASE_URL
from ..errors import ClubhouseError
from .command import discover, status, work
from .discovery import RoomFilter
from .settings import DEFAULT_ACK_WAIT, FleetSettings
from .worker import WorkerOptions

PROG = "python -m aioclubhouse.fleet"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog=PROG, description="A listener fleet over NATS JetStream.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--nats", default="nats://127.0.0.1:4222", help="NATS URL(s), comma-separated"
    )
    common.add_argument("--ack-wait", type=float, default=DEFAULT_ACK_WAIT, help="lease seconds")
    common.add_argument("--replicas", type=int, default=1, help="stream and bucket replicas")
    common.add_argument("--verbose", action="store_true", help="log what happens")
    commands = top.add_subparsers(dest="command", required=True)

    scout = commands.add_parser("discover", parents=[common], help="queue the live rooms")
    scout.add_argument("--credentials", type=Path, required=True, help="the watching account")
    scout.add_argument("--api-url", default=DEFAULT_BASE_URL)
    scout.add_argument("--interval", type=float, default=10.0, help="seconds between looks")
    scout.add_argument("--once", action="store_true", help="look once and exit")
    scout.add_argument("--club", action="append", default=[], help="only rooms of this club")
    scout.add_argument("--topic", default=None, help="only rooms whose topic has this word")
    scout.add_argument("--min-size", type=int, default=0, help="only rooms this full or more")
    scout.add_argument("--max-size", type=int, default=None, help="only rooms this full or less")

    worker = commands.add_parser("work", parents=[common], help="cover rooms with accounts")
    worker.add_argument("--accounts", type=Path, required=True, help="a directory of credentials")
    worker.add_argument("--api-url", default=DEFAULT_BASE_URL)
    worker.add_argument("--name", default=None, help="this worker's name (default host-pid)")
    defaults = WorkerOptions()
    worker.add_argument("--ping-interval", type=float, default=defaults.ping_interval)
    worker.add_argument("--heartbeat", type=float, default=defaults.heartbeat)
    worker.add_argument("--max-rewind", type=float, default=defaults.max_rewind)

    report = commands.add_parser("status", parents=[common], help="rooms covered, and lag")
    report.add_argument("--json", action="store_true", help="print JSON")
    return top


def settings_of(arguments: argparse.Namespace) -> FleetSettings:
    return FleetSettings(
        ack_wait=arguments.ack_wait,
        replicas=arguments.replicas,
        events=StreamSettings(replicas=arguments.replicas),
    )


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    return stop


async def _run(arguments: argparse.Namespace) -> int:
    settings = settings_of(arguments)
    if arguments.command == "status":
        found = await status(arguments.nats, settings=settings)
        print(json.dumps(found.to_json(), indent=2) if arguments.json else found.table())
        return 0
    stop = _stop_on_signals()
    if arguments.command == "discover":
        queued = await discover(
            arguments.credentials,
            nats=arguments.nats,
            api_url=arguments.api_url,
            settings=settings,
            room_filter=RoomFilter(
                clubs=tuple(arguments.club),
                topic=arguments.topic,
                min_size=arguments.min_size,
                max_size=arguments.max_size,
            ),
            interval=arguments.interval,
            once=arguments.once,
            stop=stop,
        )
        print(f"discovery queued {queued} rooms", file=sys.stderr)
        return 0
    done = await work(
        arguments.accounts,
        nats=arguments.nats,
        api_url=arguments.api_url,
        settings=settings,
        options=WorkerOptions(
            ping_interval=arguments.ping_interval,
            heartbeat=arguments.heartbeat,
            max_rewind=arguments.max_rewind,
        ),
        name=arguments.name,
        stop=stop,
    )
    print(f"worker {done.name} covered {done.covered} rooms", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if arguments.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return asyncio.run(_run(arguments))
    except ClubhouseError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
