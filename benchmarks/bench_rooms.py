"""Realtime rooms: CPU per poll and per message, an anchor, latency and throughput.

Processes, so that nothing shares an event loop (or a CPU clock) with what is measured:

* the emulator (a child) with one live room per benchmark user, the API rate limit
  off.  It can publish deterministic rounds itself: it waits until every long-poll of
  a set of rooms is parked, then stores ``batch`` messages on each room's
  ``channel_all`` in one go, so every poll answer carries exactly ``batch`` messages;
* a publisher (a child) that sends messages through the emulator's PubNub publish
  endpoint as fast as it can, with a publishing token the emulator grants it (room
  tokens may not publish, as on the service);
* the anchor (a child): the ``pubnub`` package's own asyncio client
  (``PubNubAsyncio``, its default event-engine subscription manager and request
  handler) with a listener, one client per room, subscribed to the same channels of
  the same rooms as the SDK (tokens the emulator grants it), so it receives the very
  same messages and counts its own CPU;
* this process: the SDK's rooms (``join_room``, one shared ``RealtimePool``,
  ``async for event in room.events()``), and a raw aiohttp long-poll loop per room
  of a second set of rooms of the same shape (``GET`` subscribe, ``json.loads``,
  cursor and region carried on) for the poll comparison.

Phases:

1. poll and message CPU, alternating rounds (median of ``--rounds``):
   (a) answers of one message each: this process's CPU per poll for the SDK
       (request, answer checks, typed event, de-duplication, state, queue, ``async
       for``) and for the raw loop (request and ``json.loads``); target SDK <= 1.2x raw;
   (b) answers of 50 messages: the SDK's CPU per message; target <= 50 µs;
   the anchor's CPU per message in the same rounds, for (a) and (b).
2. throughput: ``--burst`` messages published as fast as the publisher can; the
   SDK's and the anchor's CPU per event (target: SDK <= 0.5x the anchor).
3. latency: publish -> ``async for`` at ``--rates`` (p50 / p99; target p99 <= 25 ms
   at 100 rooms).

``--profile`` runs cProfile over the throughput phase and prints the top entries.
Memory and idle CPU at scale are ``bench_scale.py``'s.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import multiprocessing
import os
import platform
import pstats
import secrets
import sys
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import aiohttp
from benchlib import cpu_seconds, figure, rss_mb, spread

from aioclubhouse.auth import Credentials
from aioclubhouse.emulator.app import Emulator
from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.identity import AppIdentity
from aioclubhouse.rooms import RealtimePool, Room, UserEvents, join_room, user_events
from aioclubhouse.rooms.realtime import PUBLISH_KEY, SUBSCRIBE_KEY, timetoken_now
from aioclubhouse.session import ClubhouseSession

PUBLISHER_UID = 9_999_999
"""The PubNub uuid of the benchmark's publisher (not a user of the emulator)."""
ANCHOR_UID = 8_000_000
"""The anchor's clients act as ANCHOR_UID + n (not users of the emulator)."""
PHASE_LIMIT = 300.0
"""Seconds after which a phase is abandoned (only on a badly broken build)."""
JOIN_CONCURRENCY = 50
POLL_TARGET = 1.2
MESSAGE_TARGET_US = 50.0
ANCHOR_TARGET = 0.5


def room_channels(channel: str, user_id: int) -> list[str]:
    """What a room's moderator reads (see ``rooms/room_link.py``)."""
    return sorted(
        [
            f"channel_all.{channel}",
            f"channel_speakers.{channel}",
            f"channel_user.{channel}.{user_id}",
            f"users.{user_id}",
        ]
    )


def listener_profile(user_id: int) -> dict[str, Any]:
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


def room_message(sequence: int, room: str) -> dict[str, Any]:
    """A realistic message: someone joins (even numbers) or leaves (odd numbers)."""
    fake_user = 10_000_000 + sequence // 2
    if sequence % 2 == 0:
        payload: dict[str, Any] = {
            "action": "join_channel",
            "channel": room,
            "user_profile": listener_profile(fake_user),
        }
    else:
        payload = {"action": "leave_channel", "channel": room, "user_id": fake_user}
    payload["bench_seq"] = sequence
    return payload


# -- the emulator process ---------------------------------------------------------------


def serve_in_child(pipe: Connection, rooms: int, anchors: int, streams: int) -> None:
    """Child: an emulator with ``rooms`` users each moderating a room of their own."""

    async def main() -> None:
        # The rooms do not ping (keepalive is not the realtime path): the emulator must
        # not drop their users from the rooms, however long the phases take.
        config = EmulatorConfig(
            seed=0, rate_limit_per_second=0.0, poll_timeout=20.0, ping_timeout=86_400.0
        )
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
            # Accounts in no room, whose user-event streams (users.<id>) are read.
            plain = [emu.login(name=f"Plain User {number}") for number in range(streams)]
            # The anchor reads the first rooms' channels as users of its own.
            anchor = []
            for number, account in enumerate(accounts[:anchors]):
                token, uuid = secrets.token_hex(20), ANCHOR_UID + number
                channels = room_channels(account["channel"], account["user_id"])
                emu.hub.grant(token, uuid, channels)
                anchor.append({"token": token, "uuid": uuid, "channels": channels})
            pipe.send(
                {
                    "base_url": emu.base_url,
                    "origin": emu.origin,
                    "accounts": accounts,
                    "publisher": publisher,
                    "anchor": anchor,
                    "plain": plain,
                }
            )
            loop = asyncio.get_running_loop()
            sequence = 1_000_000_000
            while True:
                command = await loop.run_in_executor(None, pipe.recv)
                if command == "cpu":
                    pipe.send(time.process_time())
                elif isinstance(command, dict) and command.get("do") == "rounds":
                    sequence = await publish_rounds(emu, command, sequence)
                    pipe.send(sequence)
                else:
                    return

    asyncio.run(main())


async def publish_rounds(emu: Emulator, command: dict[str, Any], sequence: int) -> int:
    """Wait until ``parked`` polls wait on the ``watch`` channels, then store ``batch``
    messages on each of the ``publish`` channels at once; ``rounds`` times.  Every poll
    answer then carries ``batch`` messages."""
    targets: list[tuple[str, str]] = command["publish"]
    for _ in range(command["rounds"]):
        async with asyncio.timeout(PHASE_LIMIT):
            await emu.hub.wait_for_parked_polls(command["parked"], channels=command["watch"])
        for channel, room in targets:
            for _ in range(command["batch"]):
                message = room_message(sequence, room) if room else user_message(sequence)
                emu.hub.publish(channel, message, publisher="clubhouse")
                sequence += 1
    return sequence


def user_message(sequence: int) -> dict[str, Any]:
    """A realistic user event: an invitation to a new room."""
    return {
        "action": "invite_to_new_channel",
        "channel_invite_id": sequence,
        "from_user_id": 10_000_000 + sequence,
        "from_name": f"Friend {sequence}",
        "channel": f"invite{sequence % 1000:04d}",
        "bench_seq": sequence,
    }


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
                payload = room_message(sequence, room)
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


# -- the anchor process: the pubnub package's own subscription manager -------------------


def anchor_in_child(pipe: Connection, origin: str, clients: list[dict[str, Any]]) -> None:
    """Child: one ``PubNubAsyncio`` per room with a listener counting messages."""
    from pubnub.callbacks import SubscribeCallback
    from pubnub.enums import PNStatusCategory
    from pubnub.pnconfiguration import PNConfiguration
    from pubnub.pubnub_asyncio import PubNubAsyncio

    class Counter(SubscribeCallback):  # type: ignore[misc]
        def __init__(self) -> None:
            self.received = 0
            self.sequences: set[int] = set()
            self.connected = 0
            self.changed = asyncio.Event()

        def status(self, pubnub: Any, status: Any) -> None:
            if status.category == PNStatusCategory.PNConnectedCategory:
                self.connected += 1
                self.changed.set()

        def message(self, pubnub: Any, message: Any) -> None:
            payload = message.message
            sequence = payload.get("bench_seq") if isinstance(payload, dict) else None
            if sequence is not None:
                self.received += 1
                self.sequences.add(sequence)
                self.changed.set()

        def presence(self, pubnub: Any, presence: Any) -> None:
            pass

    async def main() -> None:
        counter = Counter()
        rss_before = rss_mb()
        pubnubs = []
        for client in clients:
            config = PNConfiguration()
            config.subscribe_key = SUBSCRIBE_KEY
            config.publish_key = PUBLISH_KEY
            config.user_id = str(client["uuid"])
            config.origin = origin
            config.ssl = False
            pn = PubNubAsyncio(config)
            pn.set_token(client["token"])
            pn.add_listener(counter)
            pn.subscribe().channels(client["channels"]).execute()
            pubnubs.append(pn)
        async with asyncio.timeout(PHASE_LIMIT):
            while counter.connected < len(clients):
                counter.changed.clear()
                await counter.changed.wait()
        pipe.send({"rss_per_client_kb": (rss_mb() - rss_before) * 1024 / max(len(clients), 1)})
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, pipe.recv)
            if not isinstance(command, dict):
                break
            deadline = time.monotonic() + command.get("limit", 0.0)
            while counter.received < command["count"] and time.monotonic() < deadline:
                counter.changed.clear()
                try:
                    async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                        await counter.changed.wait()
                except TimeoutError:
                    break
            pipe.send(
                {
                    "received": counter.received,
                    "unique": len(counter.sequences),
                    "cpu": time.process_time(),
                }
            )
        for pn in pubnubs:
            pn.unsubscribe_all()
        for pn in pubnubs:
            await pn.stop()

    asyncio.run(main())


class Anchor:
    """The anchor child, asked for its message count and CPU clock."""

    def __init__(self, origin: str, clients: list[dict[str, Any]]) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipe, theirs = context.Pipe()
        self.process = context.Process(
            target=anchor_in_child, args=(theirs, origin, clients), daemon=True
        )
        self.process.start()
        self.ready: dict[str, Any] = {}

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.ready = await asyncio.wait_for(loop.run_in_executor(None, self.pipe.recv), PHASE_LIMIT)

    async def wait_for(self, count: int, limit: float = PHASE_LIMIT) -> dict[str, Any]:
        """The anchor's count and CPU once it received ``count`` messages in all."""
        loop = asyncio.get_running_loop()
        self.pipe.send({"count": count, "limit": limit})
        answer: dict[str, Any] = await loop.run_in_executor(None, self.pipe.recv)
        return answer

    def stop(self) -> None:
        self.pipe.send("stop")
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.terminate()


# -- this process: the SDK's rooms, and raw long-polls ----------------------------------


class Reader:
    """Reads every room with ``async for`` and notes when each benchmark message arrived."""

    def __init__(self) -> None:
        self.latencies_ms: list[float] = []
        self.received = 0
        self.sequences: set[int] = set()
        self.duplicates = 0
        self.first_arrival = 0.0
        self.last_arrival = 0.0
        self.timing = True
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
            self.received += 1
            if sequence in self.sequences:
                self.duplicates += 1
            self.sequences.add(sequence)
            if self.timing:
                now = time.perf_counter()
                self.latencies_ms.append((timetoken_now() - event.timetoken) / 10_000)
                self.first_arrival = self.first_arrival or now
                self.last_arrival = now
            self.changed.set()

    async def _read_stream(self, stream: UserEvents) -> None:
        async for event in stream.events():
            if event.raw.get("bench_seq") is not None:
                self.received += 1
                self.changed.set()

    async def wait_for(self, count: int, limit: float = PHASE_LIMIT) -> None:
        """Until ``count`` messages were received in all (or ``limit`` seconds)."""
        deadline = time.monotonic() + limit
        while self.received < count and time.monotonic() < deadline:
            self.changed.clear()
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    await self.changed.wait()
            except TimeoutError:
                break

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


class RawPollers:
    """A hand-written long-poll loop per room: GET, ``json.loads``, cursor and region on.

    It sends what the SDK sends for the same room (path, ``tt``, ``tr``,
    ``heartbeat``, ``pnsdk``, ``uuid``, ``auth``), through one aiohttp session.
    """

    def __init__(self, origin: str, rooms: Sequence[dict[str, Any]], pnsdk: str) -> None:
        self.origin = origin
        self.rooms = rooms
        self.pnsdk = pnsdk
        self.received = 0
        self.polls = 0
        self.connected = 0
        self.changed = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []
        self.http: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        self.tasks = [asyncio.ensure_future(self._poll(room)) for room in self.rooms]
        deadline = time.monotonic() + PHASE_LIMIT
        while self.connected < len(self.rooms) and time.monotonic() < deadline:
            self.changed.clear()
            async with asyncio.timeout(PHASE_LIMIT):
                await self.changed.wait()

    async def _poll(self, room: dict[str, Any]) -> None:
        assert self.http is not None
        channels = ",".join(room_channels(room["channel"], room["user_id"]))
        url = f"http://{self.origin}/v2/subscribe/{SUBSCRIBE_KEY}/{channels}/0"
        fixed = {
            "heartbeat": "60",
            "pnsdk": self.pnsdk,
            "uuid": str(room["user_id"]),
            "auth": room["pubnub_token"],
        }
        cursor, region = "0", None
        while True:
            params = {"tt": cursor, **({"tr": region} if region else {}), **fixed}
            async with self.http.get(url, params=params) as response:
                answer = json.loads(await response.read())
            handshake = cursor == "0"
            cursor, region = answer["t"]["t"], str(answer["t"]["r"])
            if handshake:
                self.connected += 1
            else:
                self.polls += 1
                self.received += sum(1 for m in answer["m"] if "bench_seq" in m["d"])
            self.changed.set()

    async def wait_for(self, count: int, limit: float = PHASE_LIMIT) -> None:
        deadline = time.monotonic() + limit
        while self.received < count and time.monotonic() < deadline:
            self.changed.clear()
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    await self.changed.wait()
            except TimeoutError:
                break

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.http is not None:
            await self.http.close()


async def join_all(
    accounts: Sequence[dict[str, Any]],
    base_url: str,
    http: aiohttp.ClientSession,
    pool: RealtimePool,
    **room_options: Any,
) -> tuple[list[Room], list[ClubhouseSession], float]:
    """Join every account's room, ``JOIN_CONCURRENCY`` at a time; seconds it took."""
    gate = asyncio.Semaphore(JOIN_CONCURRENCY)
    sessions = [session_of(account, base_url, http) for account in accounts]

    async def join(session: ClubhouseSession, channel: str) -> Room:
        async with gate:
            return await join_room(session, channel, pool=pool, **room_options)

    started = time.perf_counter()
    rooms = await asyncio.gather(
        *(
            join(session, account["channel"])
            for session, account in zip(sessions, accounts, strict=True)
        )
    )
    return list(rooms), sessions, time.perf_counter() - started


def session_of(
    account: dict[str, Any], base_url: str, http: aiohttp.ClientSession
) -> ClubhouseSession:
    return ClubhouseSession(
        Credentials(
            user_id=account["user_id"],
            auth_token=account["auth_token"],
            device_id=account["device_id"],
        ),
        base_url=base_url,
        http_session=http,
        rate_limit=None,
    )


async def leave_all(rooms: Sequence[Room], sessions: Sequence[ClubhouseSession]) -> None:
    await asyncio.gather(*(room.leave() for room in rooms))
    for session in sessions:
        await session.close()


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# -- the phases -------------------------------------------------------------------------


class Profile:
    """cProfile over some part of a phase, when ``--profile`` asked for it."""

    def __init__(self, enabled: bool, label: str) -> None:
        self.label = label
        self.profiler = cProfile.Profile() if enabled else None

    def __enter__(self) -> Profile:
        if self.profiler is not None:
            self.profiler.enable()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.profiler is not None:
            self.profiler.disable()

    def report(self, entries: int = 25) -> None:
        if self.profiler is None:
            return
        out = io.StringIO()
        pstats.Stats(self.profiler, stream=out).sort_stats("tottime").print_stats(entries)
        print(f"\n  profile of {self.label} (top {entries} by own time):")
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        print("\n".join("    " + line for line in lines[: entries + 8]))


class Bench:
    """The processes and rooms of one run."""

    def __init__(self, arguments: argparse.Namespace, setup: dict[str, Any], emulator: Any):
        self.arguments = arguments
        self.setup = setup
        self.emulator = emulator
        self.rooms: list[Room] = []
        self.sessions: list[ClubhouseSession] = []
        self.reader = Reader()
        self.anchor: Anchor | None = None
        self.raw: RawPollers | None = None
        self.sent = 0
        """Benchmark messages published to the SDK's rooms so far."""

    @property
    def ours(self) -> list[dict[str, Any]]:
        return self.setup["accounts"][: self.arguments.rooms]

    async def publish_rounds(
        self, accounts: Sequence[dict[str, Any]], batch: int, rounds: int, parked: int
    ) -> None:
        """Rounds of ``batch`` messages on each account's room (``channel_all``)."""
        command = {
            "do": "rounds",
            "publish": [(f"channel_all.{a['channel']}", a["channel"]) for a in accounts],
            "watch": [c for a in accounts for c in room_channels(a["channel"], a["user_id"])],
            "batch": batch,
            "rounds": rounds,
            "parked": parked,
        }
        await self.emulator(command)

    async def sdk_round(self, batch: int, rounds: int) -> tuple[float, float | None]:
        """One round on the SDK's rooms (and the anchor's, on the same channels): the
        CPU seconds this process and the anchor spent."""
        count = len(self.rooms) * batch * rounds
        anchor_before = await self.anchor.wait_for(0, 0.0) if self.anchor else None
        before = cpu_seconds()
        parked = len(self.rooms) * (2 if self.anchor else 1)
        await self.publish_rounds(self.ours, batch, rounds, parked)
        self.sent += count
        await self.reader.wait_for(self.sent)
        used = cpu_seconds() - before
        anchor_used = None
        if self.anchor is not None and anchor_before is not None:
            after = await self.anchor.wait_for(self.sent)
            anchor_used = after["cpu"] - anchor_before["cpu"]
        return used, anchor_used

    async def raw_round(self, batch: int, rounds: int) -> float:
        assert self.raw is not None
        accounts = self.raw.rooms
        expected = self.raw.received + len(accounts) * batch * rounds
        before = cpu_seconds()
        await self.publish_rounds(accounts, batch, rounds, len(accounts))
        await self.raw.wait_for(expected)
        return cpu_seconds() - before

    async def phase_cpu(self) -> None:
        arguments = self.arguments
        n, batch = len(self.rooms), arguments.batch
        polls = n * arguments.poll_rounds
        batched = n * batch * arguments.batch_rounds
        print(
            f"\n1. CPU per poll and per message, {n} rooms, median of {arguments.rounds} "
            f"alternating rounds (answers of 1 message, then of {batch})"
        )
        ours1, raw1, anchor1, ours50, raw50, anchor50 = [], [], [], [], [], []
        self.reader.timing = False
        await self.sdk_round(1, 3)  # warm-up rounds, not counted
        await self.raw_round(1, 3)
        profile = Profile(arguments.profile, "the SDK's rounds of one message per answer")
        for _ in range(arguments.rounds):
            with profile:
                used, anchor_used = await self.sdk_round(1, arguments.poll_rounds)
            ours1.append(used / polls)
            if anchor_used is not None:
                anchor1.append(anchor_used / polls)
            raw1.append(await self.raw_round(1, arguments.poll_rounds) / polls)
            used, anchor_used = await self.sdk_round(batch, arguments.batch_rounds)
            ours50.append(used / batched)
            if anchor_used is not None:
                anchor50.append(anchor_used / batched)
            raw50.append(await self.raw_round(batch, arguments.batch_rounds) / batched)
        self.reader.timing = True
        profile.report()

        def split(one: list[float], many: list[float]) -> tuple[list[float], list[float]]:
            """Per round, the cost of a poll and of a message: an answer of 1 costs
            poll + message, an answer of `batch` costs poll + batch x message."""
            message = [(batch * b - a) / (batch - 1) for a, b in zip(one, many, strict=True)]
            poll = [a - m for a, m in zip(one, message, strict=True)]
            return poll, message

        ours_poll, ours_message = split(ours1, ours50)
        raw_poll, raw_message = split(raw1, raw50)
        rows = [("SDK", ours1, ours50, ours_poll, ours_message)]
        rows.append(("raw aiohttp GET + json.loads", raw1, raw50, raw_poll, raw_message))
        if anchor1:
            rows.append(("anchor (pubnub package)", anchor1, anchor50, *split(anchor1, anchor50)))
        print(
            f"  {'µs of CPU':<30}{'per poll, 1/answer':>20}{f'per msg, {batch}/answer':>22}"
            f"{'-> a poll':>12}{'-> a message':>14}"
        )
        for name, one, many, poll, message in rows:
            print(
                f"  {name:<30}{spread(one).median * 1e6:>20.1f}{spread(many).median * 1e6:>22.1f}"
                f"{spread(poll).median * 1e6:>12.1f}{spread(message).median * 1e6:>14.1f}"
            )
        print(
            "  (the last two columns split each side's cost into what a poll and what a "
            "message costs, from the two kinds of answers)"
        )
        ratios = spread([a / b for a, b in zip(ours_poll, raw_poll, strict=True)])
        figure(
            "rooms: (a) CPU of a poll, SDK / raw aiohttp",
            ratios.median,
            unit="x",
            target=f"<= {POLL_TARGET}x",
            met=ratios.median <= POLL_TARGET,
            note=f"SDK {spread(ours_poll).median * 1e6:.1f} µs, raw "
            f"{spread(raw_poll).median * 1e6:.1f} µs; rounds {ratios.low:.2f}-{ratios.high:.2f}",
        )
        whole = spread([a / b for a, b in zip(ours1, raw1, strict=True)])
        figure(
            "rooms: (a') CPU per 1-message answer, all included, SDK / raw aiohttp",
            whole.median,
            unit="x",
            target="(for reference)",
            note=f"SDK {spread(ours1).median * 1e6:.1f} µs, raw {spread(raw1).median * 1e6:.1f} µs",
        )
        per_message = spread(ours50)
        figure(
            f"rooms: (b) CPU per message, {batch} per answer",
            per_message.median * 1e6,
            unit=" µs",
            target=f"<= {MESSAGE_TARGET_US:g} µs",
            met=per_message.median * 1e6 <= MESSAGE_TARGET_US,
            note=f"rounds {per_message.low * 1e6:.1f}-{per_message.high * 1e6:.1f}; a message "
            f"alone {spread(ours_message).median * 1e6:.1f} µs",
        )
        if anchor50:
            anchor_ratio = spread([a / b for a, b in zip(ours50, anchor50, strict=True)])
            figure(
                f"rooms: CPU per message ({batch} per answer), SDK / pubnub package",
                anchor_ratio.median,
                unit="x",
                target=f"<= {ANCHOR_TARGET}x",
                met=anchor_ratio.median <= ANCHOR_TARGET,
                note=f"pubnub package {spread(anchor50).median * 1e6:.1f} µs",
            )
            anchor_ratio = spread([a / b for a, b in zip(ours1, anchor1, strict=True)])
            figure(
                "rooms: CPU per 1-message answer, SDK / pubnub package",
                anchor_ratio.median,
                unit="x",
                target=f"<= {ANCHOR_TARGET}x",
                met=anchor_ratio.median <= ANCHOR_TARGET,
                note=f"pubnub package {spread(anchor1).median * 1e6:.1f} µs",
            )

    async def phase_user_events(self, http: aiohttp.ClientSession, pool: RealtimePool) -> None:
        """User-event streams (``users.<id>``) read with ``async for``: CPU per message."""
        arguments = self.arguments
        plain = self.setup["plain"]
        if not plain:
            return
        sessions = [session_of(account, self.setup["base_url"], http) for account in plain]
        streams = [user_events(session, pool=pool) for session in sessions]
        for stream in streams:
            await stream.start()
        reader = Reader()
        reader.timing = False
        for stream in streams:
            reader.tasks.append(asyncio.ensure_future(reader._read_stream(stream)))
        batch = arguments.batch
        command = {
            "do": "rounds",
            "publish": [(f"users.{a['user_id']}", "") for a in plain],
            "watch": [f"users.{a['user_id']}" for a in plain],
            "batch": batch,
            "parked": len(plain),
        }
        sent, per_message = 0, []
        for number in range(arguments.rounds + 1):
            before = cpu_seconds()
            await self.emulator({**command, "rounds": arguments.batch_rounds})
            sent += len(plain) * batch * arguments.batch_rounds
            await reader.wait_for(sent)
            if number:  # the first round warms up
                per_message.append(
                    (cpu_seconds() - before) / (len(plain) * batch * arguments.batch_rounds)
                )
        cost = spread(per_message)
        print(
            f"\n   user events: {len(streams)} streams, {batch} messages per answer: "
            f"CPU per message {cost.describe(1e6, ' µs')}; delivered {reader.received}/{sent}"
        )
        figure(
            f"user events: CPU per message, {batch} per answer",
            cost.median * 1e6,
            unit=" µs",
            target=f"<= {MESSAGE_TARGET_US:g} µs",
            met=cost.median * 1e6 <= MESSAGE_TARGET_US,
        )
        for stream in streams:
            await stream.close()
        await reader.stop()
        for session in sessions:
            await session.close()

    async def phase_throughput(self) -> None:
        count = self.arguments.burst
        print(f"\n2. throughput: {count} messages as fast as the publisher sends them")
        self.reader.reset()
        profile = Profile(self.arguments.profile, "the throughput phase")
        anchor_before = await self.anchor.wait_for(0, 0.0) if self.anchor else None
        before, wall = cpu_seconds(), time.perf_counter()
        profile.__enter__()
        process, pipe = run_publisher(self.setup["origin"], self.targets(), count, 0.0, 64)
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(None, pipe.recv)
        self.sent += count
        await self.reader.wait_for(self.sent)
        profile.__exit__()
        used, wall = cpu_seconds() - before, time.perf_counter() - wall
        process.join(timeout=10)
        delivered = len(self.reader.sequences)
        spread_s = self.reader.last_arrival - self.reader.first_arrival
        print(
            f"  delivered {delivered}/{count}, duplicates {self.reader.duplicates}, "
            f"dropped {sum(r.dropped_events for r in self.rooms)}, publisher took "
            f"{result['seconds']:.2f} s ({result['failures']:.0f} failed)"
        )
        if spread_s > 0:
            print(
                f"  {delivered / spread_s:,.0f} events/s into async for; this process "
                f"used {used / wall:.0%} of a CPU"
            )
        per_event = used / max(delivered, 1)
        figure(
            "rooms: throughput CPU per event (SDK)",
            per_event * 1e6,
            unit=" µs",
            target="as low as (a) and (b) allow",
            note=f"about {1 / per_event:,.0f} events per core-second",
        )
        if self.anchor is not None and anchor_before is not None:
            after = await self.anchor.wait_for(self.sent)
            theirs = (after["cpu"] - anchor_before["cpu"]) / count
            print(
                f"  anchor received {after['received']} messages in all "
                f"({after['unique']} distinct); {theirs * 1e6:.0f} µs of CPU per event"
            )
            figure(
                "rooms: throughput CPU per event, SDK / pubnub package",
                per_event / theirs,
                unit="x",
                target=f"<= {ANCHOR_TARGET}x",
                met=per_event / theirs <= ANCHOR_TARGET,
                note=f"SDK {per_event * 1e6:.0f} µs, pubnub package {theirs * 1e6:.0f} µs",
            )
        print(
            f"  latency meanwhile: p50 {percentile(self.reader.latencies_ms, 0.5):.2f} ms, "
            f"p99 {percentile(self.reader.latencies_ms, 0.99):.2f} ms; RSS {rss_mb():.0f} MB"
        )
        profile.report()

    async def phase_latency(self) -> None:
        arguments = self.arguments
        print(
            f"\n3. latency, publish -> async for, {len(self.rooms)} rooms "
            f"({arguments.messages} messages per rate, spread over the rooms):"
        )
        worst = 0.0
        for rate in arguments.rates:
            self.reader.reset()
            process, pipe = run_publisher(
                self.setup["origin"], self.targets(), arguments.messages, rate, 16
            )
            loop = asyncio.get_running_loop()
            before, wall = cpu_seconds(), time.perf_counter()
            await loop.run_in_executor(None, pipe.recv)
            self.sent += arguments.messages
            await self.reader.wait_for(self.sent)
            used, wall = cpu_seconds() - before, time.perf_counter() - wall
            process.join(timeout=10)
            late = self.reader.latencies_ms
            p99 = percentile(late, 0.99)
            worst = max(worst, p99)
            print(
                f"  {rate:6g}/s: p50 {percentile(late, 0.5):6.2f} ms, p99 {p99:6.2f} ms, "
                f"max {max(late, default=0.0):6.2f} ms | delivered "
                f"{len(self.reader.sequences)}/{arguments.messages} | this process "
                f"{used / wall:.0%} of a CPU"
            )
        figure(
            f"rooms: delivery p99 at up to {max(arguments.rates):g}/s",
            worst,
            unit=" ms",
            target="<= 25 ms",
            met=worst <= 25,
        )

    def targets(self) -> list[tuple[str, str, int]]:
        publisher = self.setup["publisher"]
        return [(room.channel, publisher["token"], publisher["user_id"]) for room in self.rooms]


async def run(arguments: argparse.Namespace) -> None:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    total = arguments.rooms * 2
    anchors = arguments.rooms if arguments.anchor else 0
    emulator = context.Process(
        target=serve_in_child, args=(theirs, total, anchors, arguments.streams), daemon=True
    )
    emulator.start()
    loop = asyncio.get_running_loop()
    lock = asyncio.Lock()

    async def ask(command: Any) -> Any:
        async with lock:
            ours.send(command)
            return await loop.run_in_executor(None, ours.recv)

    try:
        setup = await asyncio.wait_for(loop.run_in_executor(None, ours.recv), PHASE_LIMIT)
        print(
            f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load "
            f"{os.getloadavg()[0]:.1f}; emulator at {setup['origin']} in process "
            f"{emulator.pid}, {total} rooms ready"
        )
        bench = Bench(arguments, setup, ask)
        pool = RealtimePool()
        connector = aiohttp.TCPConnector(limit=100)
        async with aiohttp.ClientSession(connector=connector) as http:
            # Keepalive and resync are the API's, not the realtime path's: out of the way.
            bench.rooms, bench.sessions, seconds = await join_all(
                bench.ours,
                setup["base_url"],
                http,
                pool,
                ping_interval=3600.0,
                resync_interval=3600.0,
            )
            print(
                f"joined {len(bench.rooms)} rooms in {seconds:.2f} s; "
                f"{sum(room.connected for room in bench.rooms)} connected; "
                f"{pool.connection_count} realtime connections"
            )
            for room in bench.rooms:
                bench.reader.watch(room)
            # The raw loops read a second set of rooms of the same shape.
            raw_accounts = []
            for account in setup["accounts"][arguments.rooms :]:
                session = session_of(account, setup["base_url"], http)
                joined = await session.join_channel(account["channel"])
                raw_accounts.append({**account, "pubnub_token": joined.pubnub_token})
            bench.raw = RawPollers(setup["origin"], raw_accounts, AppIdentity().pubnub_sdk)
            await bench.raw.start()
            if arguments.anchor:
                bench.anchor = Anchor(setup["origin"], setup["anchor"])
                await bench.anchor.start()
                print(
                    f"anchor: {len(setup['anchor'])} PubNubAsyncio clients connected "
                    f"(~{bench.anchor.ready['rss_per_client_kb']:.0f} KB RSS each)"
                )
            try:
                await asyncio.wait_for(bench.phase_cpu(), PHASE_LIMIT)
                await asyncio.wait_for(bench.phase_user_events(http, pool), PHASE_LIMIT)
                await asyncio.wait_for(bench.phase_throughput(), PHASE_LIMIT)
                if bench.anchor is not None:  # the latency phase gets the CPUs to itself
                    bench.anchor.stop()
                    bench.anchor = None
                await asyncio.wait_for(bench.phase_latency(), PHASE_LIMIT)
            finally:
                await bench.raw.stop()
                if bench.anchor is not None:
                    bench.anchor.stop()
                await leave_all(bench.rooms, bench.sessions)
                await bench.reader.stop()
        await pool.close()
    finally:
        ours.send("stop")
        emulator.join(timeout=30)
        if emulator.is_alive():
            emulator.terminate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=100, help="rooms of each kind")
    parser.add_argument("--rounds", type=int, default=5, help="alternating CPU rounds")
    parser.add_argument("--poll-rounds", type=int, default=20, help="polls per room per round")
    parser.add_argument("--batch", type=int, default=50, help="messages per answer in (b)")
    parser.add_argument("--batch-rounds", type=int, default=4, help="answers per room in (b)")
    parser.add_argument("--streams", type=int, default=100, help="user-event streams")
    parser.add_argument("--burst", type=int, default=10_000, help="messages of the throughput run")
    parser.add_argument("--messages", type=int, default=2000, help="messages per latency run")
    parser.add_argument(
        "--rates",
        type=lambda text: [float(part) for part in text.split(",")],
        default=[100.0, 400.0],
        help="publish rates (messages/s) of the latency runs, comma-separated",
    )
    parser.add_argument("--no-anchor", dest="anchor", action="store_false")
    parser.add_argument("--profile", action="store_true", help="cProfile the throughput phase")
    arguments = parser.parse_args()
    if not sys.platform.startswith("linux"):
        print("(RSS figures need /proc: Linux only)")
    asyncio.run(run(arguments))


if __name__ == "__main__":
    main()
