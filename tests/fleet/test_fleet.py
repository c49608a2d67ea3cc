"""A fleet of three worker processes covering the emulator's live rooms, one of them killed.

Everything runs in its own process, as it would in production: the emulator (with
simulated activity), a discoverer, three workers of 36 accounts each, and a real
``nats-server``.  This test reads the events stream as a consumer would, the fleet's
bucket as ``status`` does, and the emulator's own record of what it published and
who was in which room when.

Timing: the workers hold assignments with a 6 s ack wait; the emulator drops a
member silent for 3 s (the workers ping every second), so a dead worker's accounts
are out of their rooms before JetStream hands the rooms to the other workers.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from aioclubhouse.auth import Credentials
from aioclubhouse.fleet.local_nats import LocalNatsServer
from aioclubhouse.fleet.status import fleet_status

from ..support.waiting import until
from .processes import Child, EmulatorChild

WORKERS = 3
ACCOUNTS_PER_WORKER = 36
ACK_WAIT = 6.0
PING_TIMEOUT = 3.0
TAKEOVER_SLACK = 6.0
"""Beyond the ack wait: the service dropping the dead account, the nak delay, a join."""
ROOMS_WANTED = 60


class StreamReader:
    """A consumer of the events stream from its start: every message id and record."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.ids: Counter[str] = Counter()
        self.records: dict[str, dict[str, Any]] = {}
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        js = self.client.jetstream()
        await until(lambda: _has_stream(js), what="the events stream", limit=60)
        self.subscription = await js.pull_subscribe(
            "clubhouse.>",
            stream="CLUBHOUSE_EVENTS",
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE),
        )
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            try:
                messages = await self.subscription.fetch(500, timeout=1.0)
            except (nats.errors.TimeoutError, TimeoutError):
                continue
            for message in messages:
                record = json.loads(message.data)
                self.ids[(message.headers or {})["Nats-Msg-Id"]] += 1
                self.records[record["id"]] = record

    def count(self) -> int:
        """Messages read so far (the reader's failure, if it failed)."""
        if self.task is not None and self.task.done():
            self.task.result()
            raise AssertionError("the stream reader stopped")
        return len(self.ids)

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)


async def _has_stream(js: Any) -> bool:
    try:
        await js.stream_info("CLUBHOUSE_EVENTS")
    except Exception:
        return False
    return True


def share_accounts(source: Path, base: Path) -> list[Path]:
    """The emulator's account files: the first for discovery, the rest per worker."""
    files = sorted(source.glob("*.json"))
    scout = base / "scout.json"
    files[0].rename(scout)
    folders = []
    for number in range(WORKERS):
        folder = base / f"worker-{number}"
        folder.mkdir()
        chunk = files[1 + number * ACCOUNTS_PER_WORKER : 1 + (number + 1) * ACCOUNTS_PER_WORKER]
        for path in chunk:
            path.rename(folder / path.name)
        folders.append(folder)
    return [scout, *folders]


@pytest.fixture
def fleet_dir(tmp_path: Path) -> Path:
    (tmp_path / "logs").mkdir()
    return tmp_path


async def covered(server: LocalNatsServer) -> dict[str, Any]:
    status = await fleet_status(server.url)
    return {room.room: room for room in status.covered()}


async def test_three_workers_cover_the_rooms_and_survive_one_killed(
    nats_server: LocalNatsServer, fleet_dir: Path
) -> None:
    logs = fleet_dir / "logs"
    emulator = EmulatorChild(
        "emulator",
        [
            "-m",
            "aioclubhouse.emulator",
            "--port",
            "0",
            "--seed",
            "0",
            "--activity",
            "8",
            "--sample-rooms",
            "74",
            "--sample-users",
            "2000",
            "--ping-timeout",
            str(PING_TIMEOUT),
            "--poll-timeout",
            "10",
            "--accounts-dir",
            str(fleet_dir / "accounts"),
            "--accounts",
            str(1 + WORKERS * ACCOUNTS_PER_WORKER),
        ],
        logs,
    )
    children: list[Child] = [emulator]
    client = await nats.connect(nats_server.url)
    reader = StreamReader(client)
    try:
        await emulator.start_and_wait()
        scout, *folders = share_accounts(fleet_dir / "accounts", fleet_dir)
        ours = {
            Credentials.load(path).user_id for folder in folders for path in folder.glob("*.json")
        }
        common = ["--nats", nats_server.url, "--api-url", emulator.base_url]
        common += ["--ack-wait", str(ACK_WAIT)]
        workers = [
            Child(
                f"worker-{number}",
                [
                    "-m",
                    "aioclubhouse.fleet",
                    "work",
                    "--accounts",
                    str(folder),
                    "--name",
                    f"w{number}",
                    "--heartbeat",
                    "0.5",
                    "--ping-interval",
                    "1",
                    "--verbose",
                    *common,
                ],
                logs,
            )
            for number, folder in enumerate(folders)
        ]
        discovery = Child(
            "discovery",
            [
                "-m",
                "aioclubhouse.fleet",
                "discover",
                "--credentials",
                str(scout),
                "--once",
                *common,
            ],
            logs,
        )
        children += [discovery, *workers]
        # Every worker is ready to take rooms before any is queued, so that all three
        # share them (a worker started late could find every room already taken).
        for worker in workers:
            await worker.start()
        await until(
            lambda: all("accounts ready" in worker.log_text() for worker in workers),
            what="every worker ready",
            limit=60,
        )
        await discovery.start()
        assert discovery.process is not None
        assert await asyncio.wait_for(discovery.process.wait(), 60) == 0, discovery.log_text()
        await reader.start()

        rooms: dict[str, Any] = {}

        async def enough() -> bool:
            rooms.update(await covered(nats_server))
            return len(rooms) >= ROOMS_WANTED

        await until(enough, what=f"{ROOMS_WANTED} rooms covered", limit=90)
        by_worker = Counter(record.worker for record in rooms.values())
        assert len(by_worker) == WORKERS, by_worker
        await until(lambda: reader.count() > 50, what="events in the stream", limit=30)

        # SIGKILL one worker: its rooms must be taken over by the others.
        doomed = workers[0]
        held = {name for name, record in rooms.items() if record.worker == "w0"}
        assert held
        doomed.kill()
        killed_at = time.monotonic()
        taken: dict[str, float] = {}

        async def taken_over() -> bool:
            # Taken by another worker, or ended (nobody listened for a moment, and a
            # room of sample users only may be ended by the simulation).
            now = {r.room: r for r in (await fleet_status(nats_server.url)).rooms}
            for name in held - taken.keys():
                record = now.get(name)
                moved = record is not None and record.worker not in (None, "w0")
                if moved and record is not None and record.state in ("covered", "ended"):
                    taken[name] = time.monotonic() - killed_at
            return taken.keys() == held

        try:
            await until(taken_over, what="the killed worker's rooms taken over", limit=40)
        except AssertionError:
            now = await fleet_status(nats_server.url)
            left = {r.room: (r.state, r.worker) for r in now.rooms if r.room in held - taken.keys()}
            raise AssertionError(f"not taken over: {left}") from None
        assert max(taken.values()) <= ACK_WAIT + TAKEOVER_SLACK, taken

        # Everything published in the covered rooms since their first coverage, up to
        # now, reaches the stream.
        cutoff = time.time()
        all_rooms = set(await covered(nats_server))
        first_join = await first_joins(emulator, ours)
        expected: set[str] = set()
        for name in all_rooms:
            found = await emulator.ask("messages", channel=f"channel_all.{name}")
            expected |= {
                f"channel_all.{name}:{m['timetoken']}"
                for m in found["messages"]
                if first_join[name] <= m["timetoken"] / 1e7 <= cutoff
            }
        assert len(expected) > 100

        def missing() -> set[str]:
            reader.count()
            return expected - reader.ids.keys()

        try:
            await until(lambda: not missing(), what="every published action", limit=40)
        except AssertionError:
            lost = sorted(missing())
            detail = {key: (key.split(":")[0][12:] in held) for key in lost[:10]}
            raise AssertionError(
                f"{len(lost)} not in the stream (in a killed room?): {detail}"
            ) from None
        for worker in workers[1:]:
            status = await worker.stop()
            assert status == 0, f"{worker.name} exited {status}: {worker.log_text()[-3000:]}"

        duplicates = {key: count for key, count in reader.ids.items() if count > 1}
        assert duplicates == {}
        in_stream = {key for key in reader.ids if key.startswith("channel_all.")}
        everything = set()
        for name in all_rooms:  # what was published up to now
            found = await emulator.ask("messages", channel=f"channel_all.{name}")
            everything |= {f"channel_all.{name}:{m['timetoken']}" for m in found["messages"]}
        assert {key for key in in_stream if key.split(":")[0][12:] in all_rooms} <= everything

        # The emulator's truth: no room ever had two of the fleet's accounts at once.
        changes = (await emulator.ask("membership", user_ids=",".join(map(str, ours))))["changes"]
        assert_one_holder_at_a_time(changes)
    finally:
        await reader.stop()
        await client.close()
        for child in reversed(children):
            await child.stop(limit=10)


async def first_joins(emulator: EmulatorChild, ours: set[int | None]) -> dict[str, float]:
    changes = (await emulator.ask("membership", user_ids=",".join(map(str, ours))))["changes"]
    first: dict[str, float] = {}
    for change in changes:
        if change["joined"]:
            first.setdefault(change["channel"], change["at"])
    return first


def assert_one_holder_at_a_time(changes: list[dict[str, Any]]) -> None:
    inside: dict[str, set[int]] = {}
    for change in sorted(changes, key=lambda c: c["at"]):
        present = inside.setdefault(change["channel"], set())
        if change["joined"]:
            present.add(change["user_id"])
            assert len(present) == 1, f"room {change['channel']} held by {sorted(present)}"
        else:
            present.discard(change["user_id"])
