"""The JetStream sink against a real nats-server: subjects, ids, dedupe, the stream."""

from __future__ import annotations

import sys

import pytest
from nats.aio.client import Client

from aioclubhouse.bridge import (
    JetStreamSink,
    NatsError,
    Outgoing,
    SinkError,
    StreamSettings,
    subject_for,
)
from aioclubhouse.bridge.nats_link import nats_module
from aioclubhouse.fleet.local_nats import LocalNatsServer, free_port
from aioclubhouse.rooms import NewRoomInvite
from aioclubhouse.rooms.realtime_events import LeaveReason, Left

from ..support.nats import read_stream
from .events import BASE_TT, outgoing


async def test_events_land_on_their_subjects_with_their_ids_once(
    nats_server: LocalNatsServer, nats_client: Client
) -> None:
    invite = NewRoomInvite(
        pubnub_channel="users.5151",
        timetoken=BASE_TT + 99,
        from_user_id=42,
        from_name="Ann",
        channel_invite_id=7,
    )
    items = [
        *outgoing(5),
        Outgoing.of(invite),
        Outgoing.of(Left(timetoken=3, reason=LeaveReason.USER), user_id=77),
    ]
    async with JetStreamSink(nats_server.url) as sink:
        await sink.send(items)
        await sink.send(items[:3])  # a replay: dropped by id
        assert sink.published == 10 and sink.duplicates == 3
    found = await read_stream(nats_client, "CLUBHOUSE_EVENTS")
    assert [subject for subject, _, _ in found] == [
        "clubhouse.rooms.roomAbc1.join_channel",
        "clubhouse.rooms.roomAbc1.leave_channel",
        "clubhouse.rooms.roomAbc1.join_channel",
        "clubhouse.rooms.roomAbc1.leave_channel",
        "clubhouse.rooms.roomAbc1.join_channel",
        "clubhouse.users.5151.invite_to_new_channel",
        "clubhouse.users.77.left",
    ]
    assert [headers["Nats-Msg-Id"] for _, headers, _ in found] == [item.id for item in items]
    assert [record for _, _, record in found] == [dict(item.record) for item in items]


async def test_the_stream_is_created_with_its_settings_or_used_as_it_is(
    nats_server: LocalNatsServer, nats_client: Client
) -> None:
    settings = StreamSettings(
        name="EVENTS_TEST", max_age=3600, max_msgs=1000, duplicate_window=30, storage="memory"
    )
    async with JetStreamSink(nats_server.url, stream=settings) as sink:
        await sink.send(outgoing(1))
    info = await nats_client.jetstream().stream_info("EVENTS_TEST")
    assert info.config.max_age == 3600 and info.config.max_msgs == 1000
    assert info.config.duplicate_window == 30
    assert info.config.subjects == ["clubhouse.rooms.>", "clubhouse.users.>"]

    await nats_client.jetstream().add_stream(name="OTHER", subjects=["elsewhere.>"])
    wrong = JetStreamSink(nats_server.url, stream=StreamSettings(name="OTHER"))
    with pytest.raises(SinkError, match=r"does not take clubhouse\.rooms\.>"):
        await wrong.open()


async def test_an_unreachable_nats_is_a_clear_error_and_leaves_nothing_running() -> None:
    import asyncio

    before = set(asyncio.all_tasks())
    url = f"nats://127.0.0.1:{free_port()}"
    sink = JetStreamSink(url, connect_timeout=1.5)
    with pytest.raises(SinkError, match=r"cannot connect to NATS at nats://127\.0\.0\.1") as failed:
        await sink.open()
    assert url.removeprefix("nats://") in str(failed.value)
    await asyncio.sleep(0)
    assert set(asyncio.all_tasks()) - before == set()


def test_subjects_keep_to_safe_tokens() -> None:
    item = outgoing(1, room="we.ird room>")[0]
    assert subject_for(item) == "clubhouse.rooms.we_ird_room_.join_channel"
    with pytest.raises(ValueError, match="stream"):
        StreamSettings(name="bad name")
    with pytest.raises(ValueError, match="not a NATS URL"):
        JetStreamSink("http://127.0.0.1:4222")


def test_without_nats_py_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nats", None)
    with pytest.raises(NatsError, match=r"pip install 'aioclubhouse\[nats\]'"):
        nats_module()
