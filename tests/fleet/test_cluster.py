"""A fleet on a three-node NATS cluster keeps publishing when the stream's leader is killed.

Three ``nats-server`` processes on loopback ports form one JetStream cluster; the
fleet's streams and bucket have three replicas.  A worker covers three rooms; the
node leading the events stream is killed with SIGKILL while people keep joining and
leaving; the stream elects another leader and every event still lands in it, once.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import nats

from aioclubhouse.auth import Credentials
from aioclubhouse.bridge import StreamSettings
from aioclubhouse.bridge.accounts import Account
from aioclubhouse.emulator import Emulator
from aioclubhouse.emulator.models import Room
from aioclubhouse.fleet import FleetSettings, RoomFilter, Worker, WorkerOptions, discover
from aioclubhouse.fleet.local_nats import local_cluster
from aioclubhouse.fleet.status import fleet_status

from ..support.nats import read_stream
from ..support.waiting import until

ROOMS = 3


def churn(emu: Emulator, rooms: list[Room], visitors: list[int], rounds: int) -> None:
    """Sample users come and go in every room (each change is a realtime message)."""
    for _ in range(rounds):
        for room in rooms:
            for uid in visitors:
                if uid in room.users:
                    emu.world.rooms.leave(uid, room)
                else:
                    emu.world.rooms.place(room, uid, keepalive=False)


async def test_the_fleet_keeps_publishing_through_a_leader_failover(tmp_path: Path) -> None:
    settings = FleetSettings(ack_wait=10, replicas=3, events=StreamSettings(replicas=3))
    async with (
        local_cluster(3, name="fleet") as servers,
        Emulator(seed=2, poll_timeout=2.0, sample_rooms=0, sample_users=40) as emu,
    ):
        urls = ",".join(server.url for server in servers)
        hosts = [emu.world.create_user(name=f"Host {n}") for n in range(ROOMS)]
        rooms = [
            emu.world.rooms.create(host, topic=f"failover {n}") for n, host in enumerate(hosts)
        ]
        for room in rooms:
            emu.world.rooms.ping(room.creator_id, room.channel)
        visitors = [emu.world.create_user(name=f"Visitor {n}").user_id for n in range(3)]
        accounts = []
        for number in range(ROOMS + 1):
            login = emu.login(name=f"Listener {number}")
            path = tmp_path / f"{number}.json"
            credentials = Credentials(
                user_id=login["user_id"],
                auth_token=login["auth_token"],
                device_id=login["device_id"],
            )
            credentials.save(path)
            accounts.append(Account(path=path, credentials=credentials))

        queued = await discover(
            accounts[0].path,
            nats=urls,
            api_url=emu.base_url,
            settings=settings,
            room_filter=RoomFilter(topic="failover"),
            once=True,
        )
        assert queued == ROOMS
        stop = asyncio.Event()
        worker = Worker(
            accounts[1:],
            servers=urls,
            api_url=emu.base_url,
            settings=settings,
            options=WorkerOptions(heartbeat=0.5, ping_interval=5),
            name="only",
        )
        working = asyncio.create_task(worker.run(stop))
        await until(lambda: len(worker.covering) == ROOMS, what="every room covered", limit=60)
        churn(emu, rooms, visitors, 2)

        client = await nats.connect(urls.split(","))
        try:
            js = client.jetstream()
            info = await js.stream_info("CLUBHOUSE_EVENTS")
            assert info.config.num_replicas == 3
            leader = info.cluster.leader if info.cluster else None
            doomed = next(server for server in servers if server.name == leader)
            status = await fleet_status(urls, settings)  # before the failover
            first = {r.room: r.since or 0 for r in status.rooms}
            doomed.kill()
            churn(emu, rooms, visitors, 3)  # published while the stream elects a leader

            async def everything_landed() -> bool:
                try:
                    found = await read_stream(client, "CLUBHOUSE_EVENTS")
                except Exception:
                    return False  # no leader yet
                ids = {headers["Nats-Msg-Id"] for _, headers, _ in found}
                return all(
                    f"channel_all.{room.channel}:{m.timetoken}" in ids
                    for room in rooms
                    for m in emu.hub.messages(f"channel_all.{room.channel}")
                    if m.timetoken >= first[room.channel]
                )

            await until(everything_landed, what="every event after the failover", limit=60)
            after = await js.stream_info("CLUBHOUSE_EVENTS")
            assert after.cluster is not None and after.cluster.leader not in (None, leader)
            found = await read_stream(client, "CLUBHOUSE_EVENTS")
            ids = [headers["Nats-Msg-Id"] for _, headers, _ in found]
            assert len(ids) == len(set(ids))
        finally:
            stop.set()
            await asyncio.wait_for(working, 30)
            await client.close()
