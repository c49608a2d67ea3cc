"""Scale in one process: thousands of rooms joined, their memory and their idle CPU.

The emulator (a child process) makes ``--rooms`` accounts, each moderating a room of
its own (the service lets an account be in one room at a time), and one big room of
``--crowd`` people on stage and in the audience, which ``--listeners`` more accounts
join.  This process joins every room with ``join_room`` (one shared
``RealtimePool``, one aiohttp session for the API calls), each read by
``async for``, and reports:

* RSS after joining the rooms (target: <= 400 MB with 5,000 rooms) and per room;
* the idle CPU of those rooms, as a share of one core, over ``--idle`` seconds with
  the SDK's default keepalive and presence timing (``active_ping`` every 30 s, a
  presence heartbeat every 29 s, the long-poll renewed when the server answers it:
  ``--poll-timeout``, 280 s like PubNub's by default);
* for the big room, the state each listener keeps: bytes per person (the objects
  reachable from ``room.state``'s users, counted once) and RSS per listener.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import os
import platform
import resource
import sys
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

import aiohttp
from benchlib import cpu_seconds, figure, rss_mb

from aioclubhouse.auth import Credentials
from aioclubhouse.emulator.app import Emulator
from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.rooms import RealtimePool, Room, join_room
from aioclubhouse.session import ClubhouseSession

RSS_TARGET_MB = 400.0
PHASE_LIMIT = 400.0
JOIN_CONCURRENCY = 50


def serve_in_child(
    pipe: Connection, rooms: int, crowd: int, listeners: int, poll_timeout: float
) -> None:
    """Child: ``rooms`` one-person rooms, and a big room with ``crowd`` people in it."""

    async def main() -> None:
        config = EmulatorConfig(
            seed=0, rate_limit_per_second=0.0, poll_timeout=poll_timeout, sample_rooms=0
        )
        async with Emulator(config) as emu:
            started = time.perf_counter()
            accounts = []
            for number in range(rooms):
                login = emu.login(name=f"Scale User {number}")
                creator = emu.world.user(login["user_id"])
                room = emu.world.rooms.create(creator, topic=f"scale {number}", keepalive=False)
                accounts.append({**login, "channel": room.channel})
            host = emu.world.create_user(name="Big Room Host")
            big = emu.world.rooms.create(host, topic="a big room", keepalive=False)
            for number in range(crowd - 1):
                person = emu.world.create_user(name=f"Crowd Person {number}")
                emu.world.rooms.place(big, person.user_id, speaker=number < 29, keepalive=False)
            audience = [
                {**emu.login(name=f"Listener {n}"), "channel": big.channel}
                for n in range(listeners)
            ]
            pipe.send(
                {
                    "base_url": emu.base_url,
                    "accounts": accounts,
                    "audience": audience,
                    "setup_seconds": time.perf_counter() - started,
                }
            )
            loop = asyncio.get_running_loop()
            while await loop.run_in_executor(None, pipe.recv) == "cpu":
                pipe.send(time.process_time())

    asyncio.run(main())


async def join_all(
    accounts: Sequence[dict[str, Any]],
    base_url: str,
    http: aiohttp.ClientSession,
    pool: RealtimePool,
) -> tuple[list[Room], list[ClubhouseSession]]:
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

    rooms = await asyncio.gather(
        *(join(s, a["channel"]) for s, a in zip(sessions, accounts, strict=True))
    )
    return list(rooms), sessions


async def read(room: Room) -> None:
    async for _ in room.events():
        pass


def deep_size(roots: Sequence[Any], seen: set[int]) -> int:
    """Bytes of the objects reachable from ``roots`` (not counted before), shared
    strings and numbers included once, classes and modules left out."""
    total = 0
    stack = list(roots)
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type):
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        stack.extend(gc.get_referents(item))
    return total


async def run(arguments: argparse.Namespace) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 4 * (arguments.rooms + arguments.listeners) + 1000))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(
        target=serve_in_child,
        args=(
            theirs,
            arguments.rooms,
            arguments.crowd,
            arguments.listeners,
            arguments.poll_timeout,
        ),
        daemon=True,
    )
    child.start()
    loop = asyncio.get_running_loop()
    try:
        setup = await asyncio.wait_for(loop.run_in_executor(None, ours.recv), PHASE_LIMIT)
        print(
            f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load "
            f"{os.getloadavg()[0]:.1f}; the emulator made {arguments.rooms} accounts and rooms "
            f"and a room of {arguments.crowd} in {setup['setup_seconds']:.1f} s"
        )
        gc.collect()
        before = rss_mb()
        pool = RealtimePool()
        connector = aiohttp.TCPConnector(limit=100)
        async with aiohttp.ClientSession(connector=connector) as http:
            started = time.perf_counter()
            rooms, sessions = await asyncio.wait_for(
                join_all(setup["accounts"], setup["base_url"], http, pool), PHASE_LIMIT
            )
            joined = time.perf_counter() - started
            readers = [asyncio.ensure_future(read(room)) for room in rooms]
            await asyncio.sleep(1.0)
            gc.collect()
            after = rss_mb()
            connected = sum(room.connected for room in rooms)
            print(
                f"joined {len(rooms)} rooms in {joined:.1f} s ({connected} connected, "
                f"{pool.connection_count} realtime connections, {len(asyncio.all_tasks())} tasks)"
            )
            print(
                f"  RSS {before:.0f} MB before joining, {after:.0f} MB after: "
                f"{(after - before) * 1024 / max(len(rooms), 1):.0f} KB per room"
            )
            figure(
                f"scale: RSS with {len(rooms)} rooms joined",
                after,
                unit=" MB",
                target=f"<= {RSS_TARGET_MB:g} MB",
                met=after <= RSS_TARGET_MB,
                note=f"{(after - before) * 1024 / max(len(rooms), 1):.0f} KB per room",
            )

            # Idle: keepalive pings, presence heartbeats and long-poll renewals only.
            ours.send("cpu")
            emulator_before = await loop.run_in_executor(None, ours.recv)
            cpu, wall = cpu_seconds(), time.perf_counter()
            await asyncio.sleep(arguments.idle)
            cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
            ours.send("cpu")
            emulator_used = await loop.run_in_executor(None, ours.recv) - emulator_before
            print(
                f"  idle for {wall:.0f} s: this process {cpu:.2f} CPU s, the emulator "
                f"{emulator_used:.2f} CPU s"
            )
            figure(
                f"scale: idle CPU of {len(rooms)} rooms, share of one core",
                100 * cpu / wall,
                unit=" %",
                target="printed",
                note=f"{cpu / wall / max(len(rooms), 1) * 1e6:.1f} µs of CPU per room per second",
            )

            # The big room: every listener keeps a state of everyone in it.
            gc.collect()
            crowd_before = rss_mb()
            big_rooms, big_sessions = await asyncio.wait_for(
                join_all(setup["audience"], setup["base_url"], http, pool), PHASE_LIMIT
            )
            readers += [asyncio.ensure_future(read(room)) for room in big_rooms]
            await asyncio.sleep(1.0)
            gc.collect()
            crowd_after = rss_mb()
            people = len(big_rooms[0].users) if big_rooms else 0
            shared: set[int] = set()
            state_bytes = deep_size([big_rooms[-1].state._users], shared) if big_rooms else 0
            per_listener = (crowd_after - crowd_before) * 1024 / max(len(big_rooms), 1)
            print(
                f"big room: {len(big_rooms)} listeners joined a room of {people} people; "
                f"RSS +{crowd_after - crowd_before:.0f} MB ({per_listener:.0f} KB per listener)"
            )
            figure(
                f"scale: state per person, a listener of a {people}-person room",
                state_bytes / max(people, 1),
                unit=" B",
                target="printed",
                note=f"{state_bytes / 1024:.0f} KB per listener's state",
            )
            print(f"  RSS with everything joined: {rss_mb():.0f} MB, peak {rss_mb('VmHWM'):.0f} MB")

            everyone = rooms + big_rooms
            await asyncio.gather(*(room.leave() for room in everyone))
            for task in readers:
                task.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
            for session in sessions + big_sessions:
                await session.close()
        await pool.close()
    finally:
        ours.send("stop")
        child.join(timeout=30)
        if child.is_alive():
            child.terminate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=5000)
    parser.add_argument("--crowd", type=int, default=30, help="people in the big room before")
    parser.add_argument("--listeners", type=int, default=200, help="accounts joining it")
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idle measured")
    parser.add_argument("--poll-timeout", type=float, default=280.0)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
