"""``python -m aioclubhouse.bridge schema|run|replay``: the event format and the bridge.

    python -m aioclubhouse.bridge schema > docs/event-schema.json
    python -m aioclubhouse.bridge run ROOM... --credentials me.json --to jsonl:events.jsonl
    python -m aioclubhouse.bridge run --accounts accounts/ ROOM1 ROOM2 --to nats:nats://127.0.0.1:4222
    python -m aioclubhouse.bridge replay aioclubhouse-dead-letter.jsonl --to webhook:https://...

``run`` with no room bridges the account's user events.  It runs until every room
has been left, or SIGINT/SIGTERM, then leaves the rooms and closes the sink.  A
webhook's secret is read from ``$AIOCLUBHOUSE_WEBHOOK_SECRET``.  Errors are one line
on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from ..dialect import DEFAULT_BASE_URL
from ..errors import ClubhouseError
from .command import DEFAULT_MAX_REWIND, replay, run_bridge
from .jetstream import StreamSettings
from .schema import schema_text
from .specs import SinkOptions

PROG = "python -m aioclubhouse.bridge"


def add_sink_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``--to`` spec and the options of each kind of sink."""
    parser.add_argument("--to", required=True, help="jsonl:PATH, webhook:URL or nats:URL[,URL...]")
    parser.add_argument("--max-bytes", type=int, default=None, help="jsonl: rotate past this size")
    parser.add_argument("--fsync", action="store_true", help="jsonl: force each flush to disk")
    parser.add_argument("--dead-letter", type=Path, default=None, help="webhook: dead-letter file")
    parser.add_argument("--max-attempts", type=int, default=6, help="webhook: attempts per batch")
    parser.add_argument("--stream", default=StreamSettings().name, help="nats: stream name")
    parser.add_argument("--replicas", type=int, default=1, help="nats: stream replicas if created")


def sink_options(arguments: argparse.Namespace) -> SinkOptions:
    return SinkOptions(
        max_bytes=arguments.max_bytes,
        fsync=arguments.fsync,
        dead_letter=arguments.dead_letter,
        max_attempts=arguments.max_attempts,
        stream=StreamSettings(name=arguments.stream, replicas=arguments.replicas),
    )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog=PROG, description="The event format and the bridge.")
    top.add_argument("--verbose", action="store_true", help="log what happens")
    commands = top.add_subparsers(dest="command", required=True)
    commands.add_parser("schema", help="print the JSON Schema of the event records")
    run = commands.add_parser("run", help="bridge rooms (or your user events) into a sink")
    run.add_argument("rooms", nargs="*", metavar="ROOM", help="rooms to bridge, one account each")
    who = run.add_mutually_exclusive_group(required=True)
    who.add_argument("--credentials", type=Path, help="a credentials file (one room)")
    who.add_argument("--accounts", type=Path, help="a directory of credentials files")
    run.add_argument("--api-url", default=DEFAULT_BASE_URL, help="the API (e.g. an emulator's)")
    run.add_argument(
        "--max-rewind",
        type=float,
        default=DEFAULT_MAX_REWIND,
        help="seconds back a restarted bridge resumes a room (default %(default)s)",
    )
    add_sink_arguments(run)
    again = commands.add_parser("replay", help="send a dead-letter (JSON lines) file again")
    again.add_argument("file", type=Path)
    add_sink_arguments(again)
    return top


async def _run(arguments: argparse.Namespace) -> int:
    if arguments.command == "replay":
        report = await replay(arguments.file, arguments.to, sink_options=sink_options(arguments))
        print(
            f"replayed {report.read} events: {report.delivered} delivered, "
            f"{report.dead_lettered} to the dead-letter file again, "
            f"{report.unreadable} unreadable lines set aside",
            file=sys.stderr,
        )
        return 0 if report.dead_lettered == 0 else 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    rooms = await run_bridge(
        arguments.rooms,
        arguments.to,
        credentials=arguments.credentials,
        accounts=arguments.accounts,
        api_url=arguments.api_url,
        sink_options=sink_options(arguments),
        max_rewind=arguments.max_rewind,
        stop=stop,
    )
    for room in rooms:
        print(
            f"{room.room or f'user {room.user_id}'}: {room.stats.sent} events sent, "
            f"{room.stats.dropped} dropped; left: {room.left_reason}",
            file=sys.stderr,
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    if arguments.command == "schema":
        sys.stdout.write(schema_text())
        return 0
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
