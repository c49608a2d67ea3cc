"""The bridge commands as plain coroutines: run rooms into a sink, replay a file into one.

``python -m aioclubhouse.bridge run|replay`` (:mod:`.__main__`) calls these, and so can
any front end::

    await run_bridge(["abcdefgh"], "jsonl:events.jsonl", credentials=Path("me.json"))
    await replay(Path("aioclubhouse-dead-letter.jsonl"), "webhook:https://example.com/hook")

Everything that can be checked is checked before anything starts (the ``--to`` spec,
every credentials file, one account per room), then the sink is opened (its file,
its server) before any room is joined; whatever fails on the way is undone before
the error is raised, so nothing is left half-started.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp
import attrs

from ..dialect import DEFAULT_BASE_URL
from ..errors import InvalidArgumentError
from ..redaction import get_logger
from ..rooms import RealtimeOptions, RealtimePool, RoomOptions
from ..session import ClubhouseSession
from .accounts import Account, load_account, load_accounts
from .pump import BridgeStats, bridge
from .sink import Outgoing, Resumable, Sink
from .specs import SinkOptions, build_sink, parse_sink_spec
from .webhook import WebhookSink

__all__ = ["ReplayReport", "RoomReport", "replay", "run_bridge"]

log = get_logger("aioclubhouse.bridge")

DEFAULT_MAX_REWIND = 600.0
"""How far back (seconds) a restarted bridge asks the realtime service to resume a room."""
REPLAY_BATCH = 100


@attrs.frozen(kw_only=True)
class RoomReport:
    """How one room's bridge ended."""

    room: str | None
    user_id: int
    stats: BridgeStats
    left_reason: str | None


def _accounts(credentials: Path | None, accounts: Path | None) -> list[Account]:
    if (credentials is None) == (accounts is None):
        raise InvalidArgumentError("accounts", "give a credentials file or an accounts directory")
    return [load_account(credentials)] if credentials is not None else load_accounts(accounts or "")


async def run_bridge(
    rooms: Sequence[str],
    to: str,
    *,
    credentials: Path | None = None,
    accounts: Path | None = None,
    api_url: str = DEFAULT_BASE_URL,
    sink_options: SinkOptions | None = None,
    max_rewind: float = DEFAULT_MAX_REWIND,
    stop: asyncio.Event | None = None,
) -> list[RoomReport]:
    """Bridge ``rooms`` (or, with none, the account's user events) into the ``to`` sink.

    One account per room, from ``credentials`` (a file) or ``accounts`` (a directory).
    A resumable sink (JSON lines) starts each room where it stopped
    (``RoomOptions.start_at``, up to ``max_rewind`` seconds back).  Returns when every
    room has been left (ended, removed...) or ``stop`` is set, with the sink closed.
    """
    sink = build_sink(parse_sink_spec(to), sink_options)
    people = _accounts(credentials, accounts)
    if len(set(rooms)) != len(rooms):
        raise InvalidArgumentError("rooms", "a room is named twice")
    if len(rooms) > len(people):
        raise InvalidArgumentError(
            "accounts",
            f"{len(rooms)} rooms need {len(rooms)} accounts (one room per account at a time); "
            f"{len(people)} given",
        )
    stop = stop or asyncio.Event()
    reports: list[RoomReport] = []
    async with contextlib.AsyncExitStack() as stack:
        await sink.open()
        stack.push_async_callback(sink.close)
        http = aiohttp.ClientSession()
        stack.push_async_callback(http.close)
        pool = RealtimePool()
        stack.push_async_callback(pool.close)
        sessions = []
        for account in people[: max(1, len(rooms))]:
            session = ClubhouseSession(
                account.credentials,
                base_url=api_url,
                http_session=http,
                credentials_path=account.path,
            )
            stack.push_async_callback(session.close)
            sessions.append(session)
        if rooms:
            reports = await _bridge_rooms(rooms, sessions, sink, pool, max_rewind, stop)
        else:
            reports = [await _bridge_user_events(sessions[0], sink, pool, stop)]
    return reports


async def _bridge_rooms(
    rooms: Sequence[str],
    sessions: Sequence[ClubhouseSession],
    sink: Sink,
    pool: RealtimePool,
    max_rewind: float,
    stop: asyncio.Event,
) -> list[RoomReport]:
    realtime = RealtimeOptions(max_rewind=max_rewind)
    joined = []
    tasks: list[asyncio.Task[BridgeStats]] = []
    try:
        for name, session in zip(rooms, sessions, strict=False):
            start_at = sink.resume_point(name) if isinstance(sink, Resumable) else None
            options = RoomOptions(pool=pool, realtime_options=realtime, start_at=start_at)
            room = await session.join_room(name, options)
            joined.append(room)
            log.info("bridging room %s to %s (from %s)", name, sink.name, start_at or "now")
            tasks.append(asyncio.create_task(bridge(room, sink), name=f"bridge {name}"))
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait([*tasks, stopping], return_when=asyncio.FIRST_COMPLETED)
            while not stop.is_set() and not all(task.done() for task in tasks):
                failed = [t for t in tasks if t.done() and t.exception() is not None]
                if failed:
                    break
                await asyncio.wait(
                    [*[t for t in tasks if not t.done()], stopping],
                    return_when=asyncio.FIRST_COMPLETED,
                )
        finally:
            stopping.cancel()
    finally:
        for room in joined:
            await room.leave()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    reports = []
    for room, outcome in zip(joined, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            raise outcome
        reason = room.left_reason.value if room.left_reason is not None else None
        reports.append(
            RoomReport(room=room.channel, user_id=room.user_id, stats=outcome, left_reason=reason)
        )
    return reports


async def _bridge_user_events(
    session: ClubhouseSession, sink: Sink, pool: RealtimePool, stop: asyncio.Event
) -> RoomReport:
    stream = session.user_events(pool=pool)
    await stream.start()
    task = asyncio.create_task(bridge(stream, sink), name="bridge user events")
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait([task, stopping], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        await stream.close()
    stats = await task
    reason = stream.left_reason.value if stream.left_reason is not None else None
    assert session.user_id is not None
    return RoomReport(room=None, user_id=session.user_id, stats=stats, left_reason=reason)


# -- replay ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ReplayReport:
    """What a replay did: events read and sent, sent to the dead-letter file again,
    and lines that were not records (kept in ``<file>.unreadable``)."""

    read: int
    delivered: int
    dead_lettered: int
    unreadable: int


REPLAYING_SUFFIX = ".replaying"


async def replay(path: Path, to: str, *, sink_options: SinkOptions | None = None) -> ReplayReport:
    """Send the records of a JSON lines file (a dead-letter file) to the ``to`` sink.

    The file is first renamed ``<file>.replaying`` (a replay that was interrupted
    is taken up first), so events that fail again go to a fresh dead-letter file at
    ``path`` (for a webhook target with no other dead-letter file given).  The renamed
    file is removed once every record was taken.  Receivers recognise what an
    interrupted replay sends twice by its ids.
    """
    spec = parse_sink_spec(to)
    claimed = path.with_name(path.name + REPLAYING_SUFFIX)
    if not _exists(path) and not _exists(claimed):
        raise InvalidArgumentError("file", f"{path} does not exist")
    options = sink_options or SinkOptions()
    if spec.kind == "webhook" and options.dead_letter is None:
        options = attrs.evolve(options, dead_letter=path)
    sink = build_sink(spec, options)
    _claim(path, claimed)
    read = unreadable = 0
    if not _exists(claimed):
        return ReplayReport(read=0, delivered=0, dead_lettered=0, unreadable=0)
    await sink.open()
    try:
        batch: list[Outgoing] = []
        with claimed.open("rb") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    item = Outgoing.from_record(json.loads(line))
                except ValueError as exc:
                    unreadable += 1
                    _keep_unreadable(path, line, exc)
                    continue
                read += 1
                batch.append(item)
                if len(batch) >= REPLAY_BATCH:
                    await sink.send(batch)
                    batch = []
        if batch:
            await sink.send(batch)
    finally:
        await sink.close()
    claimed.unlink(missing_ok=True)
    stats: Any = getattr(sink, "stats", None)
    dead = stats.dead_lettered if isinstance(sink, WebhookSink) else 0
    return ReplayReport(read=read, delivered=read - dead, dead_lettered=dead, unreadable=unreadable)


def _exists(path: Path) -> bool:
    return path.exists()


def _claim(path: Path, claimed: Path) -> None:
    """Move ``path``'s records to ``claimed`` (appending to an interrupted replay's)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    if not claimed.exists():
        os.replace(path, claimed)
        return
    with claimed.open("ab") as target, path.open("rb") as source:
        while chunk := source.read(1 << 20):
            target.write(chunk)
    path.unlink()


def _keep_unreadable(path: Path, line: bytes, exc: Exception) -> None:
    log.warning("%s: a line that is not an event record was set aside (%s)", path, exc)
    with path.with_name(path.name + ".unreadable").open("ab") as handle:
        handle.write(line if line.endswith(b"\n") else line + b"\n")
