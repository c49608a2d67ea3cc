"""A fake room where nobody speaks idles: its consumers wait without burning CPU.

Virtual time used to advance as fast as the CPU allowed while a consumer waited for a
frame that never came. The window below is wall-clock time on purpose: what is
measured is how much CPU the process spends while a consumer waits through it.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms.audio import (
    CLUBHOUSE_AGORA_APP_ID,
    AudioUserLeft,
    FakeAudioBackend,
    PcmFrame,
    Role,
)

JOIN: dict[str, Any] = {
    "app_id": CLUBHOUSE_AGORA_APP_ID,
    "token": "rtc-token-for-tests",
    "channel": "PxAbCdEf",
    "uid": 7,
    "role": Role.LISTENER,
}
WINDOW = 0.5
"""Wall-clock seconds a consumer waits while nobody speaks."""
CPU_LIMIT = 0.1
"""CPU seconds the process may spend in that window (spinning took the whole window)."""


async def cpu_while_a_consumer_waits(backend: FakeAudioBackend) -> tuple[float, list[PcmFrame]]:
    await backend.connect(**JOIN)
    frames: list[PcmFrame] = []

    async def consume() -> None:
        async for frame in backend.frames():
            frames.append(frame)

    consumer = asyncio.ensure_future(consume())
    await asyncio.sleep(0)
    started = time.process_time()
    await asyncio.sleep(WINDOW)
    spent = time.process_time() - started
    await backend.disconnect()
    await asyncio.wait_for(consumer, 5)  # disconnecting ends the idle consumer
    return spent, frames


@pytest.mark.parametrize(
    "options",
    [{}, {"speakers": {}}, {"speakers": lambda t: ()}],
    ids=["no-speakers", "empty-mapping", "silent-schedule"],
)
async def test_nobody_speaking_costs_no_cpu(options: dict[str, Any]) -> None:
    backend = FakeAudioBackend(max_silence=1.0, **options)
    spent, frames = await cpu_while_a_consumer_waits(backend)
    assert frames == []
    assert spent < CPU_LIMIT, f"{spent:.3f} CPU s in a {WINDOW} s window"
    assert backend.frame_index <= 100  # virtual time stopped after a second of silence


async def test_a_schedule_is_heard_after_silence_shorter_than_the_limit() -> None:
    def late(t: float) -> set[int]:
        return {5} if 30.0 <= t < 30.5 else set()

    backend = FakeAudioBackend(speakers=late, duration=40.0)
    await backend.connect(**JOIN)
    frames = [frame async for frame in backend.frames()]
    assert len(frames) == 50 and {frame.uid for frame in frames} == {5}
    assert frames[0].timestamp_ms == 30_000


async def test_a_silent_room_with_a_duration_ends_at_once() -> None:
    backend = FakeAudioBackend(duration=3600.0)
    await backend.connect(**JOIN)
    started = time.process_time()
    assert [frame async for frame in backend.frames()] == []
    assert time.process_time() - started < CPU_LIMIT
    backend_with_speaker = FakeAudioBackend(
        speakers=lambda t: {9} if t < 0.1 else (), duration=3600
    )
    await backend_with_speaker.connect(**JOIN)
    frames = [frame async for frame in backend_with_speaker.frames()]
    assert len(frames) == 10
    await backend_with_speaker.disconnect()  # events end when the channel is left
    events = [event async for event in backend_with_speaker.events()]
    assert AudioUserLeft(uid=9, reason="quit") in events


def test_max_silence_must_be_positive() -> None:
    with pytest.raises(InvalidArgumentError, match="max_silence"):
        FakeAudioBackend(max_silence=0)
