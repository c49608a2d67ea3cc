"""The protocol's value types, the App ID choice, Agora's codes and the bounded queue."""

from __future__ import annotations

import asyncio

import pytest

from aioclubhouse.models.rooms import JoinChannelResult
from aioclubhouse.rooms.audio import (
    CLUBHOUSE_AGORA_APP_ID,
    ConnectionState,
    DropOldestQueue,
    PcmFrame,
    resolve_app_id,
)
from aioclubhouse.rooms.audio.agora_codes import (
    connection_reason,
    connection_state,
    user_offline_reason,
)

from .stream_support import take


class WithAppId:
    agora_app_id = "0123456789abcdef0123456789abcdef"


def test_the_join_responses_app_id_wins_and_the_clubhouse_one_is_the_fallback() -> None:
    assert CLUBHOUSE_AGORA_APP_ID == "938de3e8055e42b281bb8c6f69c21f78"
    assert resolve_app_id() == CLUBHOUSE_AGORA_APP_ID
    assert resolve_app_id(WithAppId()) == WithAppId.agora_app_id
    assert resolve_app_id({"agora_app_id": WithAppId.agora_app_id}) == WithAppId.agora_app_id
    assert resolve_app_id({"agora_app_id": ""}) == CLUBHOUSE_AGORA_APP_ID
    assert (
        resolve_app_id(JoinChannelResult(channel="abc", token="secret")) == CLUBHOUSE_AGORA_APP_ID
    )


def test_a_frame_knows_its_length_and_keeps_samples_out_of_its_repr() -> None:
    frame = PcmFrame(uid=3, pcm=bytes(640), sample_rate=16000, channels=2, timestamp_ms=20)
    assert frame.samples_per_channel == 160
    assert frame.duration_ms == 10.0
    assert repr(frame) == (
        "PcmFrame(uid=3, pcm=<640 bytes>, sample_rate=16000, channels=2, "
        "sample_width=2, timestamp_ms=20)"
    )


def test_agora_codes_become_names() -> None:
    assert connection_state(3) is ConnectionState.CONNECTED
    assert connection_state(99) is ConnectionState.FAILED
    assert connection_reason(9) == "token_expired"
    assert connection_reason(8) == "invalid_token"
    assert connection_reason(40) == "reason_40"
    assert user_offline_reason(2) == "become_audience"


async def test_the_queue_drops_the_oldest_and_ends_after_close() -> None:
    queue: DropOldestQueue[int] = DropOldestQueue(3)
    for item in range(7):
        queue.put(item)
    assert queue.dropped == 4
    queue.close()
    queue.put(99)  # ignored once closed
    assert await take(aiter(queue)) == [4, 5, 6]


async def test_a_waiting_consumer_wakes_for_items_and_for_close() -> None:
    queue: DropOldestQueue[str] = DropOldestQueue(10)
    consumer = asyncio.create_task(take(aiter(queue)))
    await asyncio.sleep(0)
    queue.put("a")
    await asyncio.sleep(0)
    queue.put("b")
    queue.close()
    assert await consumer == ["a", "b"]
    with pytest.raises(ValueError):
        DropOldestQueue(0)
