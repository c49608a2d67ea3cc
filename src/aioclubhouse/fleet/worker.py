"""A fleet worker: several accounts in one process, each covering one room at a time.

For every free account the worker pulls one watch assignment from the work stream's
shared consumer and covers the room:

1. the room's record says who covered it last and up to which timetoken its events
   are in the events stream (``cursor``).  An ended room is acknowledged and dropped.
   If the last holder was another account that the service still counts in the room
   (a worker that died stays there until the service drops it for not pinging), the
   assignment is handed back to be tried again a little later: a room is never held
   by two accounts at once;
2. the account joins the room starting from the cursor (``RoomOptions.start_at``), so
   what was published while nobody listened is fetched, and bridges its events to
   the JetStream sink; anything replayed has the id it had, and JetStream drops it;
3. while it listens a :class:`~.lease.Lease` keeps the assignment with in-progress
   acks, and every ``heartbeat`` seconds the record gets the cursor, the count of
   events and the lag;
4. when the room ends, the assignment is acknowledged and the record says ``ended``;
   when the worker stops, or the account had to leave (removed, refused), it is
   handed back for another account at once.

A worker that dies stops renewing its leases: after ``ack_wait`` JetStream
redelivers its rooms to the other workers, which resume from the cursors.

Per covered room the account sends what any listener sends: a ``join_channel``, an
``active_ping`` every ``ping_interval`` seconds (keepalive), a ``get_channel`` every
``resync_interval`` seconds and after each reconnect, and the PubNub long-polls that
carry its presence heartbeats; the client-side rate limit applies per account.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import aiohttp
import attrs

from ..bridge.accounts import Account
from ..bridge.jetstream import JetStreamSink
from ..bridge.nats_link import close_quietly, connect, nats_module
from ..bridge.pump import bridge
from ..bridge.sink import Outgoing
from ..errors import ClubhouseError, RoomNotAvailableError
from ..redaction import get_logger
from ..rooms import LeaveReason, RealtimeOptions, RealtimePool, Room, RoomOptions
from ..rooms.realtime import timetoken_now
from ..session import ClubhouseSession
from .lease import Lease, stop_if_cancelled
from .records import Assignment, RoomRecord, record_key
from .settings import FleetSettings

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.aio.msg import Msg
    from nats.js.client import JetStreamContext
    from nats.js.kv import KeyValue

__all__ = ["Worker", "WorkerOptions", "default_worker_name"]

log = get_logger("aioclubhouse.fleet")

SLOW_STOP_REPORT = 10.0
"""Seconds after a stop began before the worker logs what it still waits for (and again
every as many seconds), so a stop that hangs says where."""
FINISH_LIMIT = 15.0
"""Seconds a room's bridge may take to deliver what it read once the room is left."""


def default_worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


@attrs.frozen(kw_only=True)
class WorkerOptions:
    """How a worker listens: room options, resume depth, pacing of its bookkeeping."""

    ping_interval: float = 30.0
    """Seconds between ``active_ping`` calls per room (the apps' own pace)."""
    max_rewind: float = 600.0
    """How far back (seconds) a room taken over resumes from its cursor."""
    heartbeat: float = 2.0
    """Seconds between two updates of a covered room's record."""
    fetch_timeout: float = 2.0
    """Seconds a free account waits for an assignment per request."""
    retry_in: float = 2.0
    """Seconds before a room handed back (its last holder still present) is offered again."""


class Worker:
    """Covers rooms with ``accounts`` until stopped; see the module docs."""

    def __init__(
        self,
        accounts: Sequence[Account],
        *,
        servers: str | Sequence[str],
        api_url: str,
        settings: FleetSettings | None = None,
        options: WorkerOptions | None = None,
        name: str | None = None,
    ) -> None:
        self.accounts = list(accounts)
        self.servers = servers
        self.api_url = api_url
        self.settings = settings or FleetSettings()
        self.options = options or WorkerOptions()
        self.name = name or default_worker_name()
        self.covering: dict[str, int] = {}
        """Room -> account user id, for the rooms covered now."""
        self.covered = 0
        self._client: Client | None = None
        self._js: JetStreamContext | None = None
        self._bucket: KeyValue | None = None
        self._sink: JetStreamSink | None = None
        self._pool: RealtimePool | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Connect, then cover rooms until ``stop`` is set; leave them all cleanly."""
        watching = asyncio.create_task(self._report_a_slow_stop(stop))
        try:
            await self._run(stop)
        finally:
            watching.cancel()

    async def _report_a_slow_stop(self, stop: asyncio.Event) -> None:
        """Say what the worker still waits for when stopping takes long, every so often."""
        await stop.wait()
        while True:
            await asyncio.sleep(SLOW_STOP_REPORT)
            me = asyncio.current_task()
            waiting = []
            for task in asyncio.all_tasks():
                if task is not me:
                    waiting.append(" > ".join(_awaiting(task.get_coro())))
            log.warning(
                "worker %s: still stopping after %.0f s, waiting in %s",
                self.name,
                SLOW_STOP_REPORT,
                "; ".join(sorted(waiting)) or "nothing",
            )

    async def _run(self, stop: asyncio.Event) -> None:
        async with contextlib.AsyncExitStack() as stack:
            client = await connect(self.servers, name=f"aioclubhouse fleet worker {self.name}")
            stack.push_async_callback(close_quietly, client)
            js = client.jetstream(timeout=10)
            bucket = await self.settings.ensure(js, label=f"worker {self.name}")
            sink = JetStreamSink(stream=self.settings.events, connection=client)
            await sink.open()
            stack.push_async_callback(sink.close)
            http = aiohttp.ClientSession()
            stack.push_async_callback(http.close)
            pool = RealtimePool(RealtimeOptions(max_rewind=self.options.max_rewind))
            stack.push_async_callback(pool.close)
            sessions = []
            for account in self.accounts:
                session = ClubhouseSession(
                    account.credentials,
                    base_url=self.api_url,
                    http_session=http,
                    credentials_path=account.path,
                )
                stack.push_async_callback(session.close)
                sessions.append(session)
            subscription = await js.pull_subscribe_bind(
                durable=self.settings.consumer, stream=self.settings.work_stream
            )
            stack.push_async_callback(subscription.unsubscribe)
            self._client, self._js, self._bucket = client, js, bucket
            self._sink, self._pool = sink, pool
            log.info("worker %s: %d accounts ready", self.name, len(sessions))
            await self._serve(sessions, subscription, stop)

    async def _serve(
        self,
        sessions: list[ClubhouseSession],
        subscription: JetStreamContext.PullSubscription,
        stop: asyncio.Event,
    ) -> None:
        free: asyncio.Queue[ClubhouseSession] = asyncio.Queue()
        for session in sessions:
            free.put_nowait(session)
        covering: set[asyncio.Task[None]] = set()
        errors = nats_module().errors
        stopping = asyncio.create_task(stop.wait())
        try:
            while not stop.is_set():
                taking = asyncio.create_task(free.get())
                await asyncio.wait([taking, stopping], return_when=asyncio.FIRST_COMPLETED)
                if not taking.done():
                    taking.cancel()
                    break
                session = taking.result()
                try:
                    messages = await subscription.fetch(1, timeout=self.options.fetch_timeout)
                except (TimeoutError, errors.TimeoutError):
                    free.put_nowait(session)
                    continue
                except errors.Error as exc:
                    log.warning("worker %s: fetch failed (%s)", self.name, type(exc).__name__)
                    free.put_nowait(session)
                    await asyncio.sleep(self.options.fetch_timeout)
                    continue
                if stop.is_set():  # fetched while stopping: handed back, for another worker
                    free.put_nowait(session)
                    for message in messages:
                        with contextlib.suppress(Exception):
                            await message.nak()
                    break
                for message in messages:
                    task = asyncio.create_task(self._cover(session, message, stop, free))
                    covering.add(task)
                    task.add_done_callback(covering.discard)
        finally:
            stopping.cancel()
            stop.set()
            if covering:
                await asyncio.gather(*covering, return_exceptions=True)

    async def _cover(
        self,
        session: ClubhouseSession,
        message: Msg,
        stop: asyncio.Event,
        free: asyncio.Queue[ClubhouseSession],
    ) -> None:
        try:
            await self._cover_room(session, message, stop)
        except Exception:
            log.exception("worker %s: covering a room failed", self.name)
            with contextlib.suppress(Exception):
                await message.nak(delay=self.options.retry_in)
        finally:
            free.put_nowait(session)

    async def _cover_room(
        self, session: ClubhouseSession, message: Msg, stop: asyncio.Event
    ) -> None:
        assert self._client is not None and self._bucket is not None and self._sink is not None
        assignment = Assignment.from_bytes(message.data)
        if assignment is None:
            log.warning("worker %s: an assignment that is not one was dropped", self.name)
            await message.term()
            return
        room_name = assignment.room
        me = session.user_id
        assert me is not None
        record = await self._record(assignment)
        if record.state == "ended":
            await message.ack()
            return
        if record.account not in (None, me) and await self._still_there(session, record):
            log.info(
                "worker %s: %s still has account %s in it; later",
                self.name,
                room_name,
                record.account,
            )
            await message.nak(delay=self.options.retry_in)
            return
        lease = Lease(message, self._client, self.settings.ack_wait, room=room_name)
        lease.start()
        started = timetoken_now()
        options = RoomOptions(
            pool=self._pool,
            ping_interval=self.options.ping_interval,
            start_at=_resume_point(record, started),
            realtime_options=self._pool.options if self._pool is not None else None,
        )
        # The record names the account before it joins: should this worker die between
        # the join and its first heartbeat, the next one waits for the account to be gone
        # from the room, and resumes from here rather than from its own join.
        record.since = record.since or started
        record.worker, record.account = self.name, me
        await self._put(record)
        try:
            room = await session.join_room(room_name, options)
        except RoomNotAvailableError:
            await self._save(record, state="ended", worker=self.name, account=me)
            await lease.finish(done=True)
            return
        except ClubhouseError as exc:
            log.warning("worker %s: could not join %s (%s)", self.name, room_name, exc)
            await lease.finish(done=False, retry_in=self.options.retry_in)
            return
        self.covering[room_name] = me
        self.covered += 1
        log.info(
            "worker %s: covering %s with account %s from %s",
            self.name,
            room_name,
            me,
            options.start_at,
        )
        record.state = "covered"
        await self._put(record)
        try:
            reason = await self._listen(room, record, lease, stop)
        finally:
            self.covering.pop(room_name, None)
        ended = reason is LeaveReason.ENDED
        log.info("worker %s: left %s (%s)", self.name, room_name, reason)
        if not lease.lost.is_set():  # else another worker may own the record now
            await self._save(record, state="ended" if ended else "released")
        await lease.finish(done=ended, retry_in=None if stop.is_set() else self.options.retry_in)

    async def _listen(
        self, room: Room, record: RoomRecord, lease: Lease, stop: asyncio.Event
    ) -> LeaveReason | None:
        assert self._sink is not None

        def delivered(batch: Sequence[Outgoing]) -> None:
            mine = [
                item.timetoken
                for item in batch
                if item.pubnub_channel and item.room == room.channel
            ]
            if mine:
                record.cursor = max(record.cursor or 0, *mine)
            record.events += len(batch)
            record.lag = max(0.0, time.time() - batch[0].received)

        pumping = asyncio.create_task(bridge(room, self._sink, on_sent=delivered))
        beating = asyncio.create_task(self._heartbeat(record))
        leaving = asyncio.create_task(_first(stop, lease.lost))
        try:
            await asyncio.wait([pumping, leaving], return_when=asyncio.FIRST_COMPLETED)
            if not pumping.done():
                await room.leave()
            try:
                async with asyncio.timeout(FINISH_LIMIT):
                    await asyncio.shield(pumping)
            except TimeoutError:
                log.warning(
                    "worker %s: %s: the bridge had not finished %.0f s after leaving (%s); stopped",
                    self.name,
                    room.channel,
                    FINISH_LIMIT,
                    "the sink is not taking events" if room.is_left else "the room is leaving",
                )
                pumping.cancel()
                await asyncio.gather(pumping, return_exceptions=True)
        finally:
            for task in (beating, leaving):
                task.cancel()
            await asyncio.gather(beating, leaving, return_exceptions=True)
            if not pumping.done():
                await room.leave()
        return room.left_reason

    async def _heartbeat(self, record: RoomRecord) -> None:
        while True:
            await asyncio.sleep(self.options.heartbeat)
            try:
                await self._put(record)
            except Exception as exc:
                log.debug("record of %s not updated (%s)", record.room, type(exc).__name__)
            # nats-py may swallow a cancellation that arrives during a publish, or turn
            # it into an error of its own: a heartbeat told to stop must stop.
            stop_if_cancelled()

    async def _record(self, assignment: Assignment) -> RoomRecord:
        assert self._bucket is not None
        errors = nats_module().js.errors
        key = record_key(assignment.room)
        try:
            entry = await self._bucket.get(key)
        except errors.KeyNotFoundError:
            return RoomRecord(room=assignment.room, topic=assignment.topic, club=assignment.club)
        return RoomRecord.from_bytes(entry.value or b"", assignment.room)

    async def _still_there(self, session: ClubhouseSession, record: RoomRecord) -> bool:
        """Whether the room's last holder is still in it, as the service sees it."""
        try:
            channel = await session.get_channel(record.room)
        except RoomNotAvailableError:
            return False  # ended: joining will find out and close the record
        except ClubhouseError:
            return True  # unknown: try again later rather than risk two holders
        return channel.user(record.account or 0) is not None

    async def _save(self, record: RoomRecord, **changes: object) -> None:
        for name, value in changes.items():
            setattr(record, name, value)
        await self._put(record)

    async def _put(self, record: RoomRecord) -> None:
        assert self._bucket is not None
        record.updated_at = time.time()
        await self._bucket.put(record_key(record.room), record.to_bytes())


def _resume_point(record: RoomRecord, now: int) -> int:
    """Where a room's delivery starts: after the last event in the stream; from the first
    coverage if its holder died before delivering any; else now."""
    if record.cursor is not None:
        return record.cursor
    return record.since if record.since is not None else now


def _awaiting(awaitable: object) -> list[str]:
    """Where a coroutine waits, outermost first: file, line and function of each await."""
    places: list[str] = []
    while awaitable is not None and len(places) < 20:
        frame = getattr(awaitable, "cr_frame", None) or getattr(awaitable, "gi_frame", None)
        if frame is None:
            places.append(type(awaitable).__name__)
            break
        name = os.path.basename(frame.f_code.co_filename)
        places.append(f"{name}:{frame.f_lineno} {frame.f_code.co_name}")
        awaitable = getattr(awaitable, "cr_await", None) or getattr(awaitable, "gi_yieldfrom", None)
    return places


async def _first(*events: asyncio.Event) -> None:
    waits = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
