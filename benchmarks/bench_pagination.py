"""Walking a long listing: 2,000 followers with 20 ms of server latency per page.

The emulator (a child process) serves a user with ``--followers`` followers and adds
``--latency`` seconds before every API answer.  The SDK walks them with
``async for user in session.get_followers(user_id)`` (pages fetched ahead, see
``pagination.py``), and, in alternating rounds, with the pages fetched one after
another (``prefetch`` off: each page is asked for when the last one arrived).
Target: the walk takes <= 0.6x the sequential time (median of ``--rounds``).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import time
from multiprocessing.connection import Connection
from typing import Any

from benchlib import figure, spread

from aioclubhouse import ClubhouseSession, Credentials
from aioclubhouse.emulator.app import Emulator
from aioclubhouse.emulator.config import EmulatorConfig

TARGET = 0.6
PHASE_LIMIT = 120.0


def serve_in_child(pipe: Connection, followers: int, latency: float) -> None:
    async def main() -> None:
        config = EmulatorConfig(seed=0, rate_limit_per_second=0.0)
        async with Emulator(config) as emu:
            star = emu.login(name="Followed Person")
            for number in range(followers):
                fan = emu.world.create_user(name=f"Fan {number}")
                emu.world.social.follow(fan, star["user_id"], notify=False)
            emu.faults.latency = latency
            pipe.send({"base_url": emu.base_url, "star": star})
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, pipe.recv)

    asyncio.run(main())


async def walk(session: ClubhouseSession, user_id: int, *, prefetch: bool) -> tuple[float, int]:
    pager = session.get_followers(user_id)
    pager.prefetch = prefetch
    started = time.perf_counter()
    count = sum([1 async for _ in pager])
    return time.perf_counter() - started, count


async def run(arguments: argparse.Namespace) -> None:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(
        target=serve_in_child, args=(theirs, arguments.followers, arguments.latency), daemon=True
    )
    child.start()
    loop = asyncio.get_running_loop()
    try:
        setup: dict[str, Any] = await asyncio.wait_for(
            loop.run_in_executor(None, ours.recv), PHASE_LIMIT
        )
        star = setup["star"]
        credentials = Credentials(
            user_id=star["user_id"], auth_token=star["auth_token"], device_id=star["device_id"]
        )
        async with ClubhouseSession(
            credentials, base_url=setup["base_url"], rate_limit=None
        ) as session:
            await walk(session, star["user_id"], prefetch=True)  # warm-up
            fetched, sequential = [], []
            for _ in range(arguments.rounds):
                seconds, count = await walk(session, star["user_id"], prefetch=True)
                fetched.append(seconds)
                seconds_one_by_one, count_one_by_one = await walk(
                    session, star["user_id"], prefetch=False
                )
                sequential.append(seconds_one_by_one)
                assert count == count_one_by_one == arguments.followers, (count, count_one_by_one)
    finally:
        ours.send("stop")
        child.join(timeout=10)
        if child.is_alive():
            child.terminate()
    pages = -(-arguments.followers // 50)
    ratios = spread([a / b for a, b in zip(fetched, sequential, strict=True)])
    print(
        f"{arguments.followers} followers, {pages} pages of 50, {arguments.latency * 1000:.0f} ms "
        f"of latency per page, median of {arguments.rounds} alternating rounds"
    )
    print(f"  pages fetched ahead   : {spread(fetched).describe(1000, ' ms', 0)}")
    print(f"  one page after another: {spread(sequential).describe(1000, ' ms', 0)}")
    figure(
        "pagination: 2,000 followers at 20 ms/page, prefetch / sequential",
        ratios.median,
        unit="x",
        target=f"<= {TARGET}x",
        met=ratios.median <= TARGET,
        note=f"{spread(fetched).median * 1000:.0f} ms vs {spread(sequential).median * 1000:.0f} ms",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.020)
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
