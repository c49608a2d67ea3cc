"""A listener fleet end to end: emulator publish -> two worker processes -> JetStream consumer.

Processes: the emulator (a child, one room per moderator account, rate limit off), a
``nats-server`` with JetStream, two ``python -m aioclubhouse.fleet work`` workers of
``--rooms / 2`` listener accounts each, the publisher child of ``bench_rooms.py``
(room messages through the emulator's PubNub publish endpoint), and this process,
which queues the rooms and reads the events stream as a consumer.

A message's timetoken is when the emulator stored it (wall clock, 100 ns units), so
``now - timetoken`` when the consumer gets the JetStream message is the latency from
the emulator's publish to a JetStream consumer, across every hop.

Then ``bench_rooms.py`` runs in a child process with the same rooms and rate, and its
single-process figures are printed beside the fleet's.  Targets: p99 <= 50 ms at
200 events/s; throughput per worker >= 80% of the single-process figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import pstats
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from aioclubhouse.auth import Credentials
from aioclubhouse.emulator.app import Emulator
from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.fleet import LocalNatsServer, discover, fleet_status
from aioclubhouse.rooms.realtime import timetoken_now

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_rooms import PUBLISHER_UID, percentile, run_publisher

HERE = Path(__file__).resolve().parent
LIMIT = 300.0
FAKE_USERS = 10_000_000
"""The publisher's users have ids from here on: their events are the benchmark's."""


def serve_in_child(pipe: Connection, rooms: int, folder: str) -> None:
    """Child: an emulator with ``rooms`` rooms, a publishing token for them, and one
    listener account per room saved in ``folder`` (a scout's too)."""

    async def main() -> None:
        config = EmulatorConfig(
            seed=0, rate_limit_per_second=0.0, poll_timeout=20.0, sample_rooms=0, sample_users=10
        )
        async with Emulator(config) as emu:
            # Room tokens may not publish (no Clubhouse client does): the publisher
            # stands in for the service with a token of its own, as in bench_rooms.py.
            publisher = secrets.token_hex(20)
            targets = []
            for number in range(rooms):
                host = emu.world.create_user(name=f"Bench Host {number}")
                room = emu.world.rooms.create(host, topic=f"bench {number}", keepalive=False)
                targets.append((room.channel, publisher, PUBLISHER_UID))
            emu.hub.grant(
                publisher,
                PUBLISHER_UID,
                [f"channel_all.{channel}" for channel, _, _ in targets],
                publish=True,
            )
            for number in range(rooms + 1):
                login = emu.login(name=f"Bench Listener {number}")
                Credentials(
                    user_id=login["user_id"],
                    auth_token=login["auth_token"],
                    device_id=login["device_id"],
                ).save(Path(folder) / f"{number:04d}.json")
            pipe.send({"base_url": emu.base_url, "origin": emu.origin, "targets": targets})
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, pipe.recv)

    asyncio.run(main())


class Consumer:
    """Reads the events stream from now on; notes the latency of each benchmark event."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.latencies: list[float] = []
        self.ids: set[str] = set()
        self.duplicates = 0
        self.first = self.last = 0.0
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        js = self.client.jetstream()
        self.subscription = await js.pull_subscribe(
            "clubhouse.rooms.>",
            stream="CLUBHOUSE_EVENTS",
            config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW, ack_policy=AckPolicy.NONE),
        )
        self.task = asyncio.create_task(self._read())

    def reset(self) -> None:
        self.latencies.clear()
        self.ids.clear()
        self.duplicates = 0
        self.first = self.last = 0.0

    async def _read(self) -> None:
        while True:
            try:
                batch = await self.subscription.fetch(1000, timeout=0.2)
            except (nats.errors.TimeoutError, TimeoutError):
                continue
            now_tt = timetoken_now()
            now = time.perf_counter()
            for message in batch:
                record = json.loads(message.data)
                user = record.get("user_id") or (record.get("user") or {}).get("user_id") or 0
                if user < FAKE_USERS:
                    continue
                self.latencies.append((now_tt - record["timetoken"]) / 10_000)
                if record["id"] in self.ids:
                    self.duplicates += 1
                self.ids.add(record["id"])
                self.first = self.first or now
                self.last = now

    async def wait_for(self, count: int, limit: float) -> None:
        deadline = time.monotonic() + limit
        while len(self.ids) < count and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def publish(
    setup: dict[str, Any], count: int, rate: float, concurrency: int
) -> dict[str, float]:
    """Publish ``count`` messages from a child process; its seconds, failures and CPU."""
    loop = asyncio.get_running_loop()
    process, pipe = run_publisher(setup["origin"], setup["targets"], count, rate, concurrency)
    result: dict[str, float] = await loop.run_in_executor(None, pipe.recv)
    process.join(timeout=10)
    return result


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) process ``pid`` has used so far, from /proc (Linux only)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU used by named processes between :meth:`start` and :meth:`stop`."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.before: dict[str, float] = {}
        self.used: dict[str, float] = {}
        self.wall = 0.0

    def start(self) -> None:
        self.before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self.wall = time.perf_counter()

    def stop(self) -> None:
        self.wall = time.perf_counter() - self.wall
        self.used = {name: cpu_seconds(pid) - self.before[name] for name, pid in self.pids.items()}

    def shares(self, extra: dict[str, float]) -> str:
        """Each process's share of one CPU over the run."""
        used = {**self.used, **extra}
        return ", ".join(f"{name} {seconds / self.wall:.0%}" for name, seconds in used.items())


def single_process_figures(rooms: int, messages: int, rate: float, burst: int) -> dict[str, str]:
    """Run bench_rooms.py with the same rooms and rate; pick its figures from its output."""
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "bench_rooms.py"),
            "--rooms",
            str(rooms),
            "--messages",
            str(messages),
            "--rates",
            str(rate),
            "--burst",
            str(burst),
            "--big-rooms",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=LIMIT,
        check=False,
    )
    out = done.stdout
    latency = re.search(r"/s: p50\s+([\d.]+) ms, p99\s+([\d.]+) ms", out)
    speed = re.search(r"([\d,]+) events/s into async for; (CPU: .*)", out)
    cost = re.search(r"spent (\d+) µs of CPU per event", out)
    return {
        "p50": latency.group(1) if latency else "n/a",
        "p99": latency.group(2) if latency else "n/a",
        "throughput": speed.group(1).replace(",", "") if speed else "n/a",
        "shares": speed.group(2) if speed else "n/a",
        "cpu_per_event": cost.group(1) if cost else "n/a",
    }


async def run(arguments: argparse.Namespace) -> None:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        emulator = context.Process(
            target=serve_in_child, args=(theirs, arguments.rooms, scratch), daemon=True
        )
        emulator.start()
        loop = asyncio.get_running_loop()
        workers: list[subprocess.Popen[bytes]] = []
        try:
            setup = await asyncio.wait_for(loop.run_in_executor(None, ours.recv), LIMIT)
            files = [folder / name for name in sorted(os.listdir(scratch)) if ".json" in name]
            halves = [folder / "a", folder / "b"]
            for half in halves:
                half.mkdir()
            for index, path in enumerate(files[1:]):
                path.rename(halves[index % 2] / path.name)
            async with LocalNatsServer(name="bench") as server:
                await discover(files[0], nats=server.url, api_url=setup["base_url"], once=True)
                for number, half in enumerate(halves):
                    profile = arguments.profile if number == 0 else None
                    workers.append(start_worker(half, server.url, setup["base_url"], profile))
                pids = [worker.pid for worker in workers]
                started = time.monotonic()
                while len((await fleet_status(server.url)).covered()) < arguments.rooms:
                    if time.monotonic() - started > LIMIT:
                        raise SystemExit("the rooms were not all covered")
                    await asyncio.sleep(0.5)
                print(
                    f"{arguments.rooms} rooms covered by 2 workers in "
                    f"{time.monotonic() - started:.1f} s"
                )
                client = await nats.connect(server.url)
                consumer = Consumer(client)
                await consumer.start()
                assert server.process is not None and emulator.pid is not None
                meter = CpuMeter(
                    {
                        "worker 1": pids[0],
                        "worker 2": pids[1],
                        "nats-server": server.process.pid,
                        "emulator": emulator.pid,
                        "consumer": os.getpid(),
                    }
                )

                await publish(setup, arguments.messages, arguments.rate, 16)
                await consumer.wait_for(arguments.messages, 60)
                late = consumer.latencies
                fleet_p50, fleet_p99 = percentile(late, 0.5), percentile(late, 0.99)
                delivered = len(consumer.ids)

                consumer.reset()
                meter.start()
                if arguments.profile is not None:
                    os.kill(pids[0], signal.SIGUSR1)
                sent = await publish(setup, arguments.burst, 0.0, 64)
                await consumer.wait_for(arguments.burst, 120)
                meter.stop()
                if arguments.profile is not None:
                    os.kill(pids[0], signal.SIGUSR2)
                spread = consumer.last - consumer.first
                fleet_speed = len(consumer.ids) / spread if spread > 0 else float("nan")
                burst_delivered, duplicates = len(consumer.ids), consumer.duplicates
                if consumer.task is not None:
                    consumer.task.cancel()
                    await asyncio.gather(consumer.task, return_exceptions=True)
                await client.close()
                for pid in pids:
                    os.kill(pid, signal.SIGTERM)
                for worker in workers:
                    worker.wait(timeout=60)
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
            ours.send("stop")
            emulator.join(timeout=30)

    single = single_process_figures(
        arguments.rooms, arguments.messages, arguments.rate, arguments.burst
    )
    per_worker = fleet_speed / 2
    worker_cpu = meter.used["worker 1"] + meter.used["worker 2"]
    worker_cost = worker_cpu * 1e6 / burst_delivered if burst_delivered else float("nan")
    single_cost = float(single["cpu_per_event"]) if single["cpu_per_event"] != "n/a" else 0.0
    row = "{:38} {:>18} {:>16}"
    print()
    print(row.format("", "fleet (2 workers)", "single process"))
    print(
        row.format(f"p50 latency at {arguments.rate:g}/s (ms)", f"{fleet_p50:.2f}", single["p50"])
    )
    print(
        row.format(f"p99 latency at {arguments.rate:g}/s (ms)", f"{fleet_p99:.2f}", single["p99"])
    )
    print(row.format("throughput (events/s)", f"{fleet_speed:,.0f}", single["throughput"]))
    print(row.format("throughput per worker (events/s)", f"{per_worker:,.0f}", ""))
    print(row.format("CPU per event, worker vs rooms (µs)", f"{worker_cost:.0f}", single_cost))
    print(
        row.format(
            "events/s per core (1 / CPU per event)",
            f"{1e6 / worker_cost:,.0f}",
            f"{1e6 / single_cost:,.0f}" if single_cost else "n/a",
        )
    )
    print(
        f"delivered {delivered}/{arguments.messages} (latency run), "
        f"{burst_delivered}/{arguments.burst} (burst), duplicates {duplicates}"
    )
    print(
        f"CPU while the burst flowed (share of one CPU): {meter.shares({'publisher': sent['cpu']})}"
    )
    print(f"single process, same burst: {single['shares']}")
    ratio = per_worker / float(single["throughput"]) if single["throughput"] != "n/a" else 0.0
    per_core = single_cost / worker_cost if single_cost and worker_cost else 0.0
    cpus = os.cpu_count() or 1
    print(
        f"targets: p99 <= 50 ms at 200/s: {'met' if fleet_p99 <= 50 else 'NOT met'}; "
        f"per-worker throughput >= 80% of single process: {ratio:.0%} "
        f"({'met' if ratio >= 0.8 else 'NOT met'}); per core: {per_core:.0%} "
        f"({'met' if per_core >= 0.8 else 'NOT met'})"
    )
    print(
        f"On this machine ({cpus} CPUs) the burst runs six busy processes (emulator, "
        "nats-server, two workers, publisher, consumer) where the single-process run has "
        "three (emulator, publisher, rooms), so each worker gets a smaller share of the "
        "CPUs: when they are all busy, the per-worker ratio measures that share as much as "
        "the worker. The per-core ratio (single-process CPU per event / a worker's CPU "
        "per event) is what a worker would do beside the single process with a core of its "
        "own."
    )


PROFILED = """
import cProfile, runpy, signal, sys
profile, path = cProfile.Profile(), sys.argv.pop(1)
signal.signal(signal.SIGUSR1, lambda *_: profile.enable())
signal.signal(signal.SIGUSR2, lambda *_: (profile.disable(), profile.dump_stats(path)))
runpy.run_module("aioclubhouse.fleet", run_name="__main__")
"""
"""A worker under cProfile from SIGUSR1 to SIGUSR2 (the burst), which writes its
statistics at SIGUSR2."""


def start_worker(
    accounts: Path, nats_url: str, api_url: str, profile: Path | None = None
) -> subprocess.Popen[bytes]:
    """A ``fleet work`` process; with ``profile``, one that SIGUSR1 and SIGUSR2 profile."""
    command = [sys.executable, "-m", "aioclubhouse.fleet"]
    if profile is not None:
        command = [sys.executable, "-c", PROFILED, str(profile)]
    command += ["work", "--accounts", str(accounts)]
    command += ["--nats", nats_url, "--api-url", api_url, "--heartbeat", "2"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def print_profile(path: Path, top: int = 25) -> None:
    """The functions worker 1 spent most time in, by own time and with what they call."""
    stats: Any = pstats.Stats(str(path))
    total = max(stats.total_tt, 1e-9)
    print(f"\nprofile of worker 1 during the burst ({total:.1f} s of CPU seen, {path}):")
    for title, key in (("own time", 2), ("with what it calls", 3)):
        print(f"  {title}:")
        rows = sorted(stats.stats.items(), key=lambda item: item[1][key], reverse=True)
        for (file, line, name), row in rows[:top]:
            where = re.sub(r".*/(?:site-packages|src|lib/python3\.\d+)/", "", file)
            print(f"  {row[key] / total:6.1%}  {name} ({where}:{line})  calls {row[1]:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--messages", type=int, default=2000, help="messages of the latency run")
    parser.add_argument("--rate", type=float, default=200.0, help="messages/s of the latency run")
    parser.add_argument("--burst", type=int, default=5000, help="messages of the throughput run")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="FILE",
        help="profile worker 1 with cProfile into FILE and print the top entries",
    )
    arguments = parser.parse_args()
    asyncio.run(run(arguments))
    if arguments.profile is not None:
        print_profile(arguments.profile)


if __name__ == "__main__":
    main()
