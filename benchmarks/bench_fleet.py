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
import re
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
from bench_rooms import percentile, run_publisher

HERE = Path(__file__).resolve().parent
LIMIT = 300.0
FAKE_USERS = 10_000_000
"""The publisher's users have ids from here on: their events are the benchmark's."""


def serve_in_child(pipe: Connection, rooms: int, folder: str) -> None:
    """Child: an emulator with ``rooms`` rooms, their moderators' publish tokens, and one
    listener account per room saved in ``folder`` (a scout's too)."""

    async def main() -> None:
        config = EmulatorConfig(
            seed=0, rate_limit_per_second=0.0, poll_timeout=20.0, sample_rooms=0, sample_users=10
        )
        async with Emulator(config) as emu:
            targets = []
            for number in range(rooms):
                host = emu.world.create_user(name=f"Bench Host {number}")
                room = emu.world.rooms.create(host, topic=f"bench {number}", keepalive=False)
                token = emu.world.rooms.pubnub_token(room, host.user_id)
                targets.append((room.channel, token, host.user_id))
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


async def publish(setup: dict[str, Any], count: int, rate: float, concurrency: int) -> float:
    loop = asyncio.get_running_loop()
    process, pipe = run_publisher(setup["origin"], setup["targets"], count, rate, concurrency)
    result = await loop.run_in_executor(None, pipe.recv)
    process.join(timeout=10)
    seconds: float = result["seconds"]
    return seconds


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
    speed = re.search(r"([\d,]+) events/s into async for", out)
    return {
        "p50": latency.group(1) if latency else "n/a",
        "p99": latency.group(2) if latency else "n/a",
        "throughput": speed.group(1).replace(",", "") if speed else "n/a",
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
            files = sorted(os.path.join(scratch, name) for name in os.listdir(scratch))
            files = [Path(name) for name in files if name.endswith(".json")]
            halves = [folder / "a", folder / "b"]
            for half in halves:
                half.mkdir()
            for index, path in enumerate(files[1:]):
                path.rename(halves[index % 2] / path.name)
            async with LocalNatsServer(name="bench") as server:
                await discover(files[0], nats=server.url, api_url=setup["base_url"], once=True)
                for half in halves:
                    workers.append(
                        subprocess.Popen(  # noqa: ASYNC220 - started once, not awaited
                            [
                                sys.executable,
                                "-m",
                                "aioclubhouse.fleet",
                                "work",
                                "--accounts",
                                str(half),
                                "--nats",
                                server.url,
                                "--api-url",
                                setup["base_url"],
                                "--heartbeat",
                                "2",
                            ],
                            stderr=subprocess.DEVNULL,
                        )
                    )
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

                await publish(setup, arguments.messages, arguments.rate, 16)
                await consumer.wait_for(arguments.messages, 60)
                late = consumer.latencies
                fleet_p50, fleet_p99 = percentile(late, 0.5), percentile(late, 0.99)
                delivered = len(consumer.ids)

                consumer.reset()
                await publish(setup, arguments.burst, 0.0, 64)
                await consumer.wait_for(arguments.burst, 120)
                spread = consumer.last - consumer.first
                fleet_speed = len(consumer.ids) / spread if spread > 0 else float("nan")
                burst_delivered, duplicates = len(consumer.ids), consumer.duplicates
                if consumer.task is not None:
                    consumer.task.cancel()
                    await asyncio.gather(consumer.task, return_exceptions=True)
                await client.close()
                for worker in workers:
                    worker.terminate()
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
    print(f"\n{'':34} {'fleet (2 workers)':>20} {'single process':>16}")
    print(
        f"{f'p50 latency at {arguments.rate:g}/s (ms)':34} {fleet_p50:>20.2f} {single['p50']:>16}"
    )
    print(
        f"{f'p99 latency at {arguments.rate:g}/s (ms)':34} {fleet_p99:>20.2f} {single['p99']:>16}"
    )
    print(f"{'throughput (events/s)':34} {fleet_speed:>20,.0f} {single['throughput']:>16}")
    print(f"{'throughput per worker (events/s)':34} {per_worker:>20,.0f}")
    print(
        f"delivered {delivered}/{arguments.messages} (latency run), "
        f"{burst_delivered}/{arguments.burst} (burst), duplicates {duplicates}"
    )
    ratio = per_worker / float(single["throughput"]) if single["throughput"] != "n/a" else 0.0
    print(
        f"targets: p99 <= 50 ms at 200/s: {'met' if fleet_p99 <= 50 else 'NOT met'}; "
        f"per-worker throughput >= 80% of single process: {ratio:.0%} "
        f"({'met' if ratio >= 0.8 else 'NOT met'}); {os.cpu_count()} CPUs shared by all"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--messages", type=int, default=2000, help="messages of the latency run")
    parser.add_argument("--rate", type=float, default=200.0, help="messages/s of the latency run")
    parser.add_argument("--burst", type=int, default=5000, help="messages of the throughput run")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
