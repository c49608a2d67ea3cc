"""The webhook sink against a local receiver: signatures, retries, 429s, dead letters, replay."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import ClassVar

import pytest
import pytest_asyncio

from aioclubhouse.bridge import (
    SignatureError,
    SinkError,
    WebhookSink,
    bridge,
    signature_headers,
    verify_signature,
)
from aioclubhouse.errors import InvalidArgumentError

from ..rooms.helpers import People
from ..support.waiting import until
from .events import outgoing, room_event
from .receiver import SECRET, Receiver


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[Receiver]:
    server = Receiver()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def fast(url: str, dead_letter: Path | None, **options: object) -> WebhookSink:
    settings: dict[str, object] = {"base_delay": 0.01, "max_delay": 0.05, "max_attempts": 12}
    settings.update(options)
    return WebhookSink(url, secret=SECRET, dead_letter=dead_letter, **settings)  # type: ignore[arg-type]


async def events_of(count: int) -> AsyncIterator[object]:
    for number in range(count):
        yield room_event(number)


async def test_every_event_arrives_once_by_id_through_30_percent_failures(
    receiver: Receiver, tmp_path: Path
) -> None:
    receiver.failure_rate = 0.3
    async with fast(receiver.url, tmp_path / "dead.jsonl", max_in_flight=4) as sink:
        stats = await bridge(events_of(600), sink, batch_size=20)
    assert stats.sent == 600
    assert receiver.failed[500] > 3 and receiver.failed[429] > 3
    assert receiver.bad_signatures == 0
    expected = {f"channel_all.roomAbc1:{item.timetoken}" for item in outgoing(600)}
    assert set(receiver.processed) == expected
    assert sink.stats.delivered == 600 and sink.stats.dead_lettered == 0
    assert sink.stats.retries == receiver.failed.total()
    assert (tmp_path / "dead.jsonl").read_bytes() == b""
    # Each accepted request carried its events once: no id was accepted twice.
    assert max(receiver.deliveries.values()) == 1


async def test_retry_after_is_honoured(receiver: Receiver, tmp_path: Path) -> None:
    receiver.failure_rate = 1.0
    receiver.retry_after = "1"
    receiver.rng.choice = lambda options: 429  # type: ignore[method-assign,assignment,return-value]
    async with fast(receiver.url, tmp_path / "dead.jsonl", max_attempts=2) as sink:
        await sink.send(outgoing(1))
    (times,) = receiver.attempt_times.values()
    assert len(times) == 2 and times[1] - times[0] >= 0.95
    assert sink.stats.dead_lettered == 1


async def test_a_refusal_is_not_retried_and_goes_to_the_dead_letter_file(
    receiver: Receiver, tmp_path: Path
) -> None:
    async with fast(receiver.url.replace("/hook", "/nowhere"), tmp_path / "dead.jsonl") as sink:
        await sink.send(outgoing(3))
    assert receiver.requests == 0  # the router answered 404 itself
    assert len((tmp_path / "dead.jsonl").read_text().splitlines()) == 3
    assert sink.stats.attempts == 1


async def test_without_a_dead_letter_file_a_lost_batch_is_an_error(tmp_path: Path) -> None:
    from aioclubhouse.fleet.local_nats import free_port

    sink = fast(f"http://127.0.0.1:{free_port()}/hook", None, max_attempts=2)
    await sink.open()
    await sink.send(outgoing(2))
    with pytest.raises(SinkError, match="events not delivered"):
        await sink.close()


async def test_a_dead_receiver_fills_the_dead_letter_file_and_replay_delivers_it(
    people: People, receiver: Receiver, tmp_path: Path
) -> None:
    receiver.failure_rate = 1.0
    dead = tmp_path / "dead.jsonl"
    moderator, channel = await people.room_with_moderator("hooks")
    room = await people.join(await people.session("Lee Listener"), channel)
    visitors = [await people.session(f"Visitor {n}") for n in range(4)]
    async with fast(receiver.url, dead, max_attempts=3) as sink:
        pumping = asyncio.create_task(bridge(room, sink))
        for visitor in visitors:
            await visitor.join_channel(channel)
            await visitor.leave_channel(channel)
        await moderator.end_channel(channel)
        stats = await asyncio.wait_for(pumping, 30)
    lines = [json.loads(line) for line in dead.read_text().splitlines()]
    assert len(lines) == stats.sent and sink.stats.delivered == 0
    assert {"join_channel", "leave_channel", "end_channel", "left"} <= {r["type"] for r in lines}
    assert receiver.processed == {}

    receiver.failure_rate = 0.0  # the receiver recovers; the replay command sends it all
    done = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "aioclubhouse.bridge",
        "replay",
        str(dead),
        "--to",
        f"webhook:{receiver.url}",
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "AIOCLUBHOUSE_WEBHOOK_SECRET": SECRET},
    )
    _, errors = await asyncio.wait_for(done.communicate(), 60)
    assert done.returncode == 0, errors.decode()
    assert f"replayed {len(lines)} events: {len(lines)} delivered" in errors.decode()
    assert set(receiver.processed) == {record["id"] for record in lines}
    assert max(receiver.deliveries.values()) == 1
    assert [receiver.processed[r["id"]] for r in lines] == lines
    assert not dead.exists() or dead.read_bytes() == b""
    assert not dead.with_name("dead.jsonl.replaying").exists()
    assert receiver.bad_signatures == 0


async def test_a_slow_sink_holds_the_bridge_back_and_the_room_counts_drops(
    people: People,
) -> None:
    moderator, channel = await people.room_with_moderator("slow")
    room = await people.join(await people.session("Lee Listener"), channel, max_queue=5)

    class Stuck:
        name = "stuck"
        released = asyncio.Event()
        taken: ClassVar[list[object]] = []

        async def open(self) -> None: ...

        async def close(self) -> None: ...

        async def send(self, batch: list[object]) -> None:
            await self.released.wait()
            self.taken.extend(batch)

    sink = Stuck()
    pumping = asyncio.create_task(bridge(room, sink, batch_size=1, max_buffer=2))
    for number in range(40):
        people.emu.hub.publish(
            f"channel_all.{channel}", {"action": "raise_hands", "channel": channel, "n": number}
        )
    await until(lambda: room.dropped_events > 0, what="the room to drop the oldest")
    sink.released.set()
    await moderator.end_channel(channel)
    stats = await asyncio.wait_for(pumping, 30)
    assert stats.dropped == room.dropped_events > 0
    assert stats.read == stats.sent == len(sink.taken)
    # Held back: at most one batch, the buffer and the room's queue were ever waiting.
    assert stats.read + stats.dropped >= 40
    assert sink.taken[-1].type == "left"  # type: ignore[attr-defined]


def test_signatures_verify_and_refuse_what_they_should() -> None:
    body = b'[{"id":"x"}]'
    headers = signature_headers(SECRET, body, timestamp=1_700_000_000)
    verify_signature(SECRET, headers, body, now=1_700_000_100)
    lowered = {name.lower(): value for name, value in headers.items()}
    verify_signature(SECRET, lowered, body, now=1_700_000_000)
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(SECRET, headers, body + b" ", now=1_700_000_000)
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature("another-secret", headers, body, now=1_700_000_000)
    with pytest.raises(SignatureError, match="away from now"):
        verify_signature(SECRET, headers, body, now=1_700_000_301)
    with pytest.raises(SignatureError, match="missing"):
        verify_signature(SECRET, {}, body)
    rotated = dict(headers)
    rotated["X-Aioclubhouse-Signature"] = "v1=deadbeef, " + headers["X-Aioclubhouse-Signature"]
    verify_signature(SECRET, rotated, body, now=1_700_000_000)
    assert SECRET not in json.dumps(headers)


def test_a_webhook_url_that_cannot_work_is_refused() -> None:
    for url in ("ftp://example.com/hook", "http:///hook", "not a url"):
        with pytest.raises(InvalidArgumentError, match="url"):
            WebhookSink(url, secret=SECRET)
    sink = WebhookSink("https://user:pw@example.com/hook?token=abc", secret=SECRET)
    assert "pw" not in sink.name and "abc" not in sink.name and "pw" not in repr(sink)
