"""How many API requests per second the emulator serves.

The emulator runs in a child process (so the load generator does not share its event
loop) with the rate limit off; a plain aiohttp client keeps 32 requests in flight:

* ``get_channels`` (authenticated, the room feed), a few thousand times;
* a ``join_channel`` + ``leave_channel`` cycle by 32 different users on sample rooms.

Run it with ``python benchmarks/bench_emulator.py``; it prints the figures and ends
by itself (every phase has a time limit).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import time
from collections.abc import Awaitable, Callable
from multiprocessing.connection import Connection
from typing import Any

import aiohttp
from benchlib import figure

from aioclubhouse.emulator.app import Emulator
from aioclubhouse.emulator.config import EmulatorConfig

CONCURRENCY = 32
PHASE_LIMIT = 180.0
"""Seconds after which a phase is abandoned (only on a badly broken build)."""


def serve_in_child(pipe: Connection, users: int) -> None:
    """Child process: run an emulator, send its address and user credentials, serve until told."""

    async def main() -> None:
        config = EmulatorConfig(seed=0, rate_limit_per_second=0.0, poll_timeout=5.0)
        async with Emulator(config) as emu:
            credentials = [emu.login(name=f"Bench User {number}") for number in range(users)]
            pipe.send({"base_url": emu.base_url, "credentials": credentials})
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, pipe.recv)

    asyncio.run(main())


def headers_for(credentials: dict[str, Any]) -> dict[str, str]:
    return {
        "Authorization": f"Token {credentials['auth_token']}",
        "CH-UserID": str(credentials["user_id"]),
        "CH-DeviceId": credentials["device_id"],
        "CH-AppBuild": "304",
        "CH-AppVersion": "0.1.28",
        "User-Agent": "clubhouse/304 (iPhone; iOS 13.5.1; Scale/3.00)",
    }


class Timings:
    """Latencies of the requests of one phase, and how many failed."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.failures = 0
        self.first_failure = ""

    def report(self, name: str, elapsed: float, operations: int, unit: str) -> None:
        if not name.startswith("("):
            figure(f"emulator: {name}", operations / elapsed, unit=f" {unit}/s", target="printed")
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000 if ordered else float("nan")
        p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000 if ordered else float("nan")
        print(
            f"{name:<28} {operations:>6} {unit:<9} in {elapsed:6.2f} s = "
            f"{operations / elapsed:8.1f} {unit}/s   request p50 {p50:6.2f} ms  "
            f"p99 {p99:6.2f} ms   failures {self.failures}"
        )
        if self.first_failure:
            print(f"{'':<28} first failure: {self.first_failure}")


async def timed(timings: Timings, request: Callable[[], Awaitable[int]]) -> None:
    started = time.perf_counter()
    try:
        status = await request()
    except aiohttp.ClientError as error:
        timings.failures += 1
        timings.first_failure = timings.first_failure or repr(error)
        return
    timings.latencies.append(time.perf_counter() - started)
    if status != 200:
        timings.failures += 1
        timings.first_failure = timings.first_failure or f"HTTP {status}"


async def bench_get_channels(
    session: aiohttp.ClientSession,
    base_url: str,
    credentials: list[dict[str, Any]],
    total: int,
    *,
    label: str = "get_channels",
) -> None:
    timings = Timings()
    remaining = iter(range(total))

    async def worker(worker_number: int) -> None:
        headers = headers_for(credentials[worker_number % len(credentials)])

        async def request() -> int:
            async with session.get(base_url + "get_channels", headers=headers) as response:
                await response.read()
                return response.status

        for _ in remaining:
            await timed(timings, request)

    started = time.perf_counter()
    async with asyncio.timeout(PHASE_LIMIT):
        await asyncio.gather(*(worker(number) for number in range(CONCURRENCY)))
    timings.report(label, time.perf_counter() - started, total, "requests")


async def pick_rooms(
    session: aiohttp.ClientSession, base_url: str, user: dict[str, Any]
) -> list[str]:
    async with session.get(base_url + "get_channels", headers=headers_for(user)) as response:
        body = await response.json()
    rooms = [room["channel"] for room in body.get("channels", [])]
    if not rooms:
        raise SystemExit(f"no room in the feed to join: {body}")
    return rooms


async def bench_join_leave(
    session: aiohttp.ClientSession, base_url: str, credentials: list[dict[str, Any]], cycles: int
) -> None:
    rooms = await pick_rooms(session, base_url, credentials[0])
    timings = Timings()
    remaining = iter(range(cycles))

    async def worker(worker_number: int) -> None:
        headers = headers_for(credentials[worker_number])
        channel = rooms[worker_number % len(rooms)]

        async def post(endpoint: str, body: dict[str, Any]) -> int:
            async with session.post(base_url + endpoint, json=body, headers=headers) as response:
                await response.read()
                return response.status

        for _ in remaining:
            await timed(timings, lambda: post("join_channel", {"channel": channel}))
            await timed(timings, lambda: post("leave_channel", {"channel": channel}))

    started = time.perf_counter()
    async with asyncio.timeout(PHASE_LIMIT):
        await asyncio.gather(*(worker(number) for number in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    timings.report("join_channel+leave_channel", elapsed, cycles, "cycles")
    print(f"{'':<28} = {2 * cycles / elapsed:8.1f} requests/s")


async def run(requests: int, cycles: int) -> None:
    parent_end, child_end = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(
        target=serve_in_child, args=(child_end, CONCURRENCY), daemon=True
    )
    child.start()
    try:
        loop = asyncio.get_running_loop()
        ready = await asyncio.wait_for(loop.run_in_executor(None, parent_end.recv), 120)
        base_url, credentials = ready["base_url"], ready["credentials"]
        print(f"emulator at {base_url} (separate process), {CONCURRENCY} requests in flight")
        connector = aiohttp.TCPConnector(limit=CONCURRENCY)
        async with aiohttp.ClientSession(connector=connector) as session:
            await bench_get_channels(
                session, base_url, credentials, CONCURRENCY * 4, label="(warm-up) get_channels"
            )
            await bench_get_channels(session, base_url, credentials, requests)
            await bench_join_leave(session, base_url, credentials, cycles)
    finally:
        parent_end.send("stop")
        child.join(10)
        if child.is_alive():
            child.terminate()
            child.join(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000, help="get_channels requests")
    parser.add_argument("--cycles", type=int, default=1000, help="join+leave cycles")
    arguments = parser.parse_args()
    asyncio.run(run(arguments.requests, arguments.cycles))


if __name__ == "__main__":
    main()
