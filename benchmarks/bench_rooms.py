"""Realtime delivery into joined rooms: latency, throughput, and memory at scale.

Three processes, so that nothing shares an event loop with the rooms measured:

* the emulator (a child process) with one live room per benchmark user, the API
  rate limit off;
* a publisher (a child process) that sends room messages through the emulator's
  PubNub publish endpoint, with a publishing token the emulator grants it (room
  tokens may not publish, as on the service);
* this process, which joins the rooms with ``join_room`` and reads every room with
  ``async for event in room.events()``.  Its sessions are many accounts of one
  program, so they share one realtime pool, lent to every room (``pool=``) and
  closed by the benchmark that made it.

A PubNub timetoken is the wall-clock time at which the emulator stored the message
(100 ns units), so ``now - event.timetoken`` when ``async for`` hands the event
over is the delivery latency from the emulator's publish to the program, across
processes on one clock.  The messages are realistic ``join_channel`` /
``leave_channel`` actions with a full user profile.

Phases:

1. latency: ``--rooms`` rooms (default 100), ``--messages`` messages spread over
   the rooms at each of the ``--rates`` (messages per second); p50 / p99 / max,
   and the share of a CPU each process used (all three share the machine);
2. throughput: as many messages as fast as the publisher can send them;
3. memory: a fresh process joins ``--big-rooms`` rooms (default 1000), receives
   one message in each, and reports its peak RSS.

``python benchmarks/bench_rooms.py`` prints the figures and ends by itself (every
phase has a time limit).  Targets: p99 <= 25 ms at 100 rooms, <= 300 MB with 1000.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import multiprocessing
import os
import platform
import secrets
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import aiohttp

from aioclubhouse.auth import Credentials
from aioclubhouse.emulator.app import Emulator
from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.rooms import RealtimePool, Room, join_room
from aioclubhouse.rooms.realtime import PUBLISH_KEY, SUBSCRIBE_KEY, timetoken_now
from aioclubhouse.session import ClubhouseSession

PUBLISHER_UID = 9_999_999
"""The PubNub uuid of the benchmark's publisher (not a user of the emulator)."""
PHASE_LIMIT = 300.0
"""Seconds after which a phase is abandoned (only on a badly broken build)."""
JOIN_CONCURRENCY = 50


# -- the emulator process ---------------------------------------------------------------


def serve_in_child(pipe: Connection, rooms: int) -> None:
    """Child: run an emulator with ``rooms`` users each moderating a room of their own."""

    async def main() -> None:
        config = EmulatorConfig(seed=0, rate_limit_per_second=0.0, poll_timeout=20.0)
        async with Emulator(config) as emu:
            accounts = []
            for number in range(rooms):
                login = emu.login(name=f"Bench User {number}")
                creator = emu.world.user(login["user_id"])
                room = emu.world.rooms.create(creator, topic=f"bench {number}", keepalive=False)
                accounts.append({**login, "channel": room.channel})
            # Room tokens may not publish (no Clubhouse client does): the publisher
            # stands in for the service with a token of its own.
            publisher = {"token": secrets.token_hex(20), "user_id": PUBLISHER_UID}
            emu.hub.grant(
                publisher["token"],
                PUBLISHER_UID,
                [f"channel_all.{account['channel']}" for account in accounts],
                publish=True,
            )
            pipe.send(
                {
                    "base_url": emu.base_url,
                    "origin": emu.origin,
                    "accounts": accounts,
                    "publisher": publisher,
                }
            )
            loop = asyncio.get_running_loop()
            while await loop.run_in_executor(None, pipe.recv) == "cpu":
                pipe.send(time.process_time())

    asyncio.run(main())


# -- the publisher process --------------------------------------------------------------


def publish_in_child(
    pipe: Connection,
    origin: str,
    targets: list[tuple[str, str, int]],
    count: int,
    rate: float,
    concurrency: int,
) -> None:
    """Child: publish ``count`` messages round-robin over ``targets`` (channel, token, uid)."""

    async def main() -> dict[str, float]:
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as http:
            gate = asyncio.Semaphore(concurrency)
            failures = 0

            async def send(sequence: int) -> None:
                nonlocal failures
                room, token, user_id = targets[sequence % len(targets)]
                fake_user = 10_000_000 + sequence // 2
                if sequence % 2 == 0:
                    payload: dict[str, Any] = {
                        "action": "join_channel",
                        "channel": room,
                        "user_profile": _profile(fake_user),
                    }
                else:
                    payload = {"action": "leave_channel", "channel": room, "user_id": fake_user}
                payload["bench_seq"] = sequence
                url = (
                    f"http://{origin}/publish/{PUBLISH_KEY}/{SUBSCRIBE_KEY}/0/channel_all.{room}/0"
                )
                async with gate:
                    try:
                        async with http.post(
                            url, params={"auth": token, "uuid": str(user_id)}, json=payload
                        ) as response:
                            await response.read()
                            if response.status != 200:
                                failures += 1
                    except aiohttp.ClientError:
                        failures += 1

            loop = asyncio.get_running_loop()
            started = loop.time()
            tasks = []
            for sequence in range(count):
                if rate > 0:
                    delay = started + sequence / rate - loop.time()
                    if delay > 0:
                        await asyncio.sleep(delay)
                tasks.append(asyncio.ensure_future(send(sequence)))
            await asyncio.gather(*tasks)
            return {
                "seconds": loop.time() - started,
                "failures": failures,
                "cpu": time.process_time(),
            }

    pipe.send(asyncio.run(main()))


def _profile(user_id: int) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "name": f"Listener {user_id}",
        "username": f"listener{user_id}",
        "photo_url": f"https://clubhouseprod.s3.amazonaws.com:443/{user_id}_thumbnail_250x250",
        "first_name": "Listener",
        "skintone": 3,
        "is_new": False,
        "bio_short": "Here for the talks.",
        "is_speaker": False,
        "is_moderator": False,
        "time_joined_as_speaker": None,
        "is_followed_by_speaker": False,
        "is_invited_as_speaker": False,
    }


def run_publisher(
    origin: str, targets: list[tuple[str, str, int]], count: int, rate: float, concurrency: int
) -> tuple[BaseProcess, Connection]:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(
        target=publish_in_child,
        args=(theirs, origin, targets, count, rate, concurrency),
        daemon=True,
    )
    process.start()
    return process, ours


# -- this process: joining and reading rooms --------------------------------------------


class Reader:
    """Reads every room with ``async for`` and notes when each benchmark message arrived."""

    def __init__(self) -> None:
        self.latencies_ms: list[float] = []
        self.sequences: set[int] = set()
        self.duplicates = 0
        self.first_arrival = 0.0
        self.last_arrival = 0.0
        self.changed = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    def reset(self) -> None:
        self.latencies_ms.clear()
        self.sequences.clear()
        self.duplicates = 0
        self.first_arrival = self.last_arrival = 0.0

    def watch(self, room: Room) -> None:
        self.tasks.append(asyncio.ensure_future(self._read(room)))

    async def _read(self, room: Room) -> None:
        async for event in room.events():
            sequence = event.raw.get("bench_seq")
            if sequence is None:
                continue
            now = time.perf_counter()
            self.latencies_ms.append((timetoken_now() - event.timetoken) / 10_000)
            if sequence in self.sequences:
                self.duplicates += 1
            self.sequences.add(sequence)
            self.first_arrival = self.first_arrival or now
            self.last_arrival = now
            self.changed.set()

    async def wait_for(self, count: int, limit: float) -> None:
        deadline = time.monotonic() + limit
        while len(self.sequences) < count and time.monotonic() < deadline:
            self.changed.clear()
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    await self.changed.wait()
            except TimeoutError:
                break


async def join_all(
    accounts: Sequence[dict[str, Any]],
    base_url: str,
    http: aiohttp.ClientSession,
    pool: RealtimePool,
) -> tuple[list[Room], list[ClubhouseSession], float]:
    """Join every account's room, ``JOIN_CONCURRENCY`` at a time; seconds it took."""
    gate = asyncio.Semaphore(JOIN_CONCURRENCY)
    sessions = [
        ClubhouseSession(
            Credentials(
                user_id=account["user_id"],
                auth_token=account["auth_token"],
                device_id=account["device_id"],
            ),
            base_url=base_url,
            http_session=http,
            rate_limit=None,
        )
        for account in accounts
    ]

    async def join(session: ClubhouseSession, channel: str) -> Room:
        async with gate:
            return await join_room(session, channel, pool=pool)

    started = time.perf_counter()
    rooms = await asyncio.gather(
        *(
            join(session, account["channel"])
            for session, account in zip(sessions, accounts, strict=True)
        )
    )
    return list(rooms), sessions, time.perf_counter() - started


async def leave_all(rooms: Sequence[Room], sessions: Sequence[ClubhouseSession]) -> None:
    await asyncio.gather(*(room.leave() for room in rooms))
    for session in sessions:
        await session.close()


def targets_of(rooms: Sequence[Room], setup: dict[str, Any]) -> list[tuple[str, str, int]]:
    publisher = setup["publisher"]
    return [(room.channel, publisher["token"], publisher["user_id"]) for room in rooms]


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory of this process from /proc (Linux), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


CpuProbe = Callable[[], Awaitable[float]]


async def phase_delivery(
    arguments: argparse.Namespace, setup: dict[str, Any], emulator_cpu: CpuProbe
) -> None:
    accounts = setup["accounts"][: arguments.rooms]
    pool = RealtimePool()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as http:
        rooms, sessions, join_seconds = await join_all(accounts, setup["base_url"], http, pool)
        print(
            f"joined {len(rooms)} rooms in {join_seconds:.2f} s; "
            f"{sum(room.connected for room in rooms)} connected; "
            f"{pool.connection_count} realtime connections"
        )
        reader = Reader()
        for room in rooms:
            reader.watch(room)

        print(
            f"\nlatency, publish -> async for, {len(rooms)} rooms "
            f"({arguments.messages} messages per rate, spread over the rooms):"
        )
        for rate in arguments.rates:
            reader.reset()
            run = await publish_and_read(
                arguments.messages, rate, 16, rooms, reader, setup, emulator_cpu
            )
            late = reader.latencies_ms
            print(
                f"  {rate:6g}/s: p50 {percentile(late, 0.5):6.2f} ms, "
                f"p99 {percentile(late, 0.99):6.2f} ms, max {max(late, default=0.0):6.2f} ms | "
                f"delivered {len(reader.sequences)}/{arguments.messages}, "
                f"duplicates {reader.duplicates} | {run.cpu_summary()}"
            )

        reader.reset()
        count = arguments.burst
        print(f"\nthroughput: {count} messages as fast as the publisher sends them")
        run = await publish_and_read(count, 0.0, 64, rooms, reader, setup, emulator_cpu)
        spread = reader.last_arrival - reader.first_arrival
        delivered = len(reader.sequences)
        print(
            f"  delivered {delivered}/{count}, duplicates {reader.duplicates}, "
            f"dropped {sum(r.dropped_events for r in rooms)}, publisher took {run.seconds:.2f} s"
        )
        if spread > 0:
            print(f"  {delivered / spread:,.0f} events/s into async for; {run.cpu_summary()}")
        if delivered and run.reader_cpu > 0:
            print(
                f"  this process spent {run.reader_cpu * 1e6 / delivered:.0f} µs of CPU per "
                f"event: about {delivered / run.reader_cpu:,.0f} events/s per core"
            )
        print(
            f"  latency meanwhile: p50 {percentile(reader.latencies_ms, 0.5):.2f} ms, "
            f"p99 {percentile(reader.latencies_ms, 0.99):.2f} ms; RSS {rss_mb():.0f} MB"
        )
        await leave_all(rooms, sessions)
        for task in reader.tasks:
            task.cancel()
        await asyncio.gather(*reader.tasks, return_exceptions=True)
    await pool.close()


@dataclasses.dataclass
class PublishRun:
    seconds: float
    reader_cpu: float
    publisher_cpu: float
    emulator_cpu: float
    wall: float

    def cpu_summary(self) -> str:
        """Share of one CPU each process used while the messages flowed."""
        if self.wall <= 0:
            return ""
        return (
            f"CPU: rooms {self.reader_cpu / self.wall:4.0%}, "
            f"emulator {self.emulator_cpu / self.wall:4.0%}, "
            f"publisher {self.publisher_cpu / self.wall:4.0%}"
        )


async def publish_and_read(
    count: int,
    rate: float,
    concurrency: int,
    rooms: Sequence[Room],
    reader: Reader,
    setup: dict[str, Any],
    emulator_cpu: CpuProbe | None = None,
) -> PublishRun:
    loop = asyncio.get_running_loop()
    emulator_before = await emulator_cpu() if emulator_cpu is not None else 0.0
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    process, pipe = run_publisher(
        setup["origin"], targets_of(rooms, setup), count, rate, concurrency
    )
    result = await loop.run_in_executor(None, pipe.recv)
    await reader.wait_for(count, PHASE_LIMIT)
    cpu_used, wall = time.process_time() - cpu_before, time.perf_counter() - wall_before
    emulator_used = (await emulator_cpu() - emulator_before) if emulator_cpu is not None else 0.0
    process.join(timeout=10)
    if result["failures"]:
        print(f"  ({result['failures']:.0f} publishes failed)")
    return PublishRun(
        seconds=result["seconds"],
        reader_cpu=cpu_used,
        publisher_cpu=result["cpu"],
        emulator_cpu=emulator_used,
        wall=wall,
    )


async def phase_memory(arguments: argparse.Namespace, setup: dict[str, Any]) -> dict[str, Any]:
    """Run in a fresh process: join many rooms, get one message in each, report memory."""
    # Rooms left by the first phase have ended (their only moderator left): use others.
    accounts = setup["accounts"][arguments.rooms : arguments.rooms + arguments.big_rooms]
    before = rss_mb()
    pool = RealtimePool()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as http:
        rooms, sessions, join_seconds = await join_all(accounts, setup["base_url"], http, pool)
        connected = sum(room.connected for room in rooms)
        reader = Reader()
        for room in rooms:
            reader.watch(room)
        await publish_and_read(len(rooms), 500.0, 16, rooms, reader, setup)
        after = rss_mb()
        peak = rss_mb("VmHWM")
        report = {
            "rooms": len(rooms),
            "connected": connected,
            "join_seconds": join_seconds,
            "delivered": len(reader.sequences),
            "rss_before": before,
            "rss_after": after,
            "rss_peak": peak,
            "connections": pool.connection_count,
            "tasks": len(asyncio.all_tasks()),
        }
        await leave_all(rooms, sessions)
        for task in reader.tasks:
            task.cancel()
        await asyncio.gather(*reader.tasks, return_exceptions=True)
    await pool.close()
    return report


def memory_in_child(pipe: Connection, arguments: argparse.Namespace, setup: dict[str, Any]) -> None:
    try:
        pipe.send(asyncio.run(phase_memory(arguments, setup)))
    except BaseException as exc:
        pipe.send({"error": repr(exc)})
        raise


async def run(arguments: argparse.Namespace) -> None:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    total = arguments.rooms + arguments.big_rooms
    emulator = context.Process(target=serve_in_child, args=(theirs, total), daemon=True)
    emulator.start()
    loop = asyncio.get_running_loop()
    try:
        setup = await asyncio.wait_for(loop.run_in_executor(None, ours.recv), PHASE_LIMIT)
        print(
            f"Python {platform.python_version()}, {os.cpu_count()} CPUs; emulator at "
            f"{setup['origin']} in process {emulator.pid}, {total} rooms ready"
        )
        lock = asyncio.Lock()

        async def emulator_cpu() -> float:
            async with lock:
                ours.send("cpu")
                seconds: float = await loop.run_in_executor(None, ours.recv)
                return seconds

        await asyncio.wait_for(phase_delivery(arguments, setup, emulator_cpu), PHASE_LIMIT)

        if arguments.big_rooms:
            print(f"\nmemory: {arguments.big_rooms} rooms joined in a fresh process")
            mine, child_end = context.Pipe()
            # Not a daemon: it starts a publisher process of its own.
            child = context.Process(target=memory_in_child, args=(child_end, arguments, setup))
            child.start()
            report = await asyncio.wait_for(loop.run_in_executor(None, mine.recv), PHASE_LIMIT)
            child.join(timeout=30)
            if child.is_alive():
                child.terminate()
            if "error" in report:
                print(f"  failed: {report['error']}")
            else:
                print_memory_report(report)
    finally:
        ours.send("stop")
        emulator.join(timeout=30)
        if emulator.is_alive():
            emulator.terminate()


def print_memory_report(report: dict[str, Any]) -> None:
    per_room = (report["rss_after"] - report["rss_before"]) / max(report["rooms"], 1)
    print(
        f"  joined {report['rooms']} rooms in {report['join_seconds']:.1f} s "
        f"({report['connected']} connected, {report['connections']} realtime connections, "
        f"{report['tasks']} asyncio tasks); one message each: {report['delivered']} delivered"
    )
    print(
        f"  RSS before joining {report['rss_before']:.0f} MB, after {report['rss_after']:.0f} MB "
        f"({per_room * 1024:.0f} KB per room), peak {report['rss_peak']:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=100, help="rooms for latency/throughput")
    parser.add_argument("--messages", type=int, default=2000, help="messages per latency run")
    parser.add_argument(
        "--rates",
        type=lambda text: [float(part) for part in text.split(",")],
        default=[50.0, 100.0, 200.0, 400.0],
        help="publish rates (messages/s) of the latency runs, comma-separated",
    )
    parser.add_argument("--burst", type=int, default=10_000, help="messages in the throughput run")
    parser.add_argument("--big-rooms", type=int, default=1000, help="rooms for the memory run")
    arguments = parser.parse_args()
    if not sys.platform.startswith("linux"):
        print("(RSS figures need /proc: Linux only)")
    asyncio.run(run(arguments))


if __name__ == "__main__":
    main()
