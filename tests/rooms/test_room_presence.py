"""Presence as the official app keeps it (docs/protocol.md C.5), against the emulator
with the real `pubnub` request builders on the wire: a heartbeat at once and every
``pubnub_heartbeat_interval`` seconds for ``channel_user.<ch>.<me>``, and a presence
leave on every way out of a room (``channel_speakers`` alone when leaving the stage).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import attrs
import pytest
import pytest_asyncio

from aioclubhouse.auth import Credentials
from aioclubhouse.emulator import Emulator
from aioclubhouse.emulator import rooms as emulator_rooms
from aioclubhouse.identity import AppIdentity
from aioclubhouse.rooms import LeaveReason, Room, SpeakerInvited
from aioclubhouse.session import ClubhouseSession

from ..emulator.pubnub_testkit import Client, make_client, stop_client
from ..support.waiting import signalled, until
from .helpers import People

JAVA_SDK = "PubNub-Java-Unified/4.36.0"


@attrs.frozen(kw_only=True)
class AndroidLikeIdentity(AppIdentity):
    """An identity naming its PubNub SDK, as the app identities do."""

    pubnub_sdk: str = JAVA_SDK


class Clock:
    """The hub's wall clock, moved by the test."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest_asyncio.fixture
async def observers() -> AsyncIterator[list[Client]]:
    """Real `pubnub` clients watching presence; stopped at the end."""
    clients: list[Client] = []
    yield clients
    for client in clients:
        await stop_client(client)


def observe(emu: Emulator, observers: list[Client], *channels: str, user_id: int) -> Client:
    """A real `pubnub` client that may read `channels` (granted here) as `user_id`."""
    token = f"observer-{user_id}"
    emu.hub.grant(token, user_id, channels)
    client = make_client(emu.origin, user_id=str(user_id), token=token)
    observers.append(client)
    return client


async def heartbeats(emu: Emulator, room: Room, count: int = 1) -> list[object]:
    return await signalled(
        emu.hub.wait_for_presence_requests(count, kind="heartbeat", uuid=str(room.user_id)),
        what=f"{count} heartbeat(s)",
    )


async def test_a_room_heartbeats_its_user_channel_at_once_with_its_token(
    people: People,
) -> None:
    emu = people.emu
    _moderator, channel = await people.room_with_moderator()
    room = await people.join(await people.session("Lee Listener"), channel)
    me = str(room.user_id)

    # The interval is 29 s, longer than any wait here: the first one comes at once.
    [first] = await heartbeats(emu, room)
    assert first.channels == (f"channel_user.{channel}.{me}",)  # type: ignore[attr-defined]
    assert first.heartbeat == "60"  # type: ignore[attr-defined]  # pubnub_heartbeat_value
    assert first.status == 200  # type: ignore[attr-defined]  # its token, as its own user
    assert first.pnsdk == AppIdentity().pubnub_sdk  # type: ignore[attr-defined]  # the identity's
    assert people.pool.heartbeats.scheduled == 1


async def test_heartbeats_follow_the_interval_and_stop_with_the_room(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(emulator_rooms, "PUBNUB_HEARTBEAT_INTERVAL", 1)
    emu = people.emu
    _moderator, channel = await people.room_with_moderator()
    room = await people.join(await people.session("Lee Listener"), channel)

    first, second = (await heartbeats(emu, room, 2))[:2]
    gap = second.received_at - first.received_at  # type: ignore[attr-defined]
    assert gap >= 0.9  # never before the interval is up
    await room.leave()
    assert people.pool.heartbeats.scheduled == 0
    await until(
        lambda: not [t for t in asyncio.all_tasks() if t.get_name().startswith("realtime heart")],
        what="the heartbeat task to end with its last connection",
    )


async def test_a_quiet_room_keeps_its_user_present_past_several_presence_timeouts(
    people: People, monkeypatch: pytest.MonkeyPatch, observers: list[Client]
) -> None:
    """Long-polls stay parked (nothing is published), the hub's clock moves 60 s in
    steps of 15 s with a presence timeout of 20 s: the room's heartbeats keep its user
    present, while a client that only long-polls times out."""
    monkeypatch.setattr(emulator_rooms, "PUBNUB_HEARTBEAT_VALUE", 20)
    monkeypatch.setattr(emulator_rooms, "PUBNUB_HEARTBEAT_INTERVAL", 1)
    emu = people.emu
    emu.config.poll_timeout = 600.0  # no poll is answered during the test
    clock = Clock(emu.hub.clock())
    emu.hub.clock = clock
    _moderator, channel = await people.room_with_moderator()
    room = await people.join(await people.session("Lee Listener"), channel)
    me = str(room.user_id)
    mine = f"channel_user.{channel}.{me}"

    other = await people.session("Olive Only-polls")
    assert other.user_id is not None
    joined = await other.join_channel(channel)
    theirs = f"channel_user.{channel}.{other.user_id}"
    control = make_client(emu.origin, user_id=str(other.user_id), token=joined.pubnub_token)
    observers.append(control)
    control.pubnub.config.set_presence_timeout(20)
    control.subscribe([theirs])
    await until(lambda: emu.hub.is_polling(str(other.user_id), theirs), what="the control's poll")
    await until(lambda: emu.hub.is_polling(me, mine), what="the room's poll")

    for _ in range(4):  # 60 s: three presence timeouts
        seen = len(await heartbeats(emu, room))
        clock.advance(15)
        await heartbeats(emu, room, seen + 1)
        emu.hub.sweep()
        assert emu.hub.presence.is_present(mine, me)

    assert not emu.hub.presence.is_present(theirs, str(other.user_id))
    timeouts = [m.payload for m in emu.hub.messages(theirs + "-pnpres")]
    assert {"action": "timeout", "uuid": str(other.user_id)}.items() <= timeouts[-1].items()
    assert not any(m.payload["action"] == "timeout" for m in emu.hub.messages(mine + "-pnpres"))
    assert room.connected and not room.is_left


async def test_a_room_left_shows_the_leave(people: People, observers: list[Client]) -> None:
    emu = people.emu
    _moderator, channel = await people.room_with_moderator()
    room = await people.join(await people.session("Lee Listener"), channel)
    me = str(room.user_id)
    mine = f"channel_user.{channel}.{me}"
    watcher = observe(emu, observers, mine, user_id=990001)
    watcher.subscribe([mine], with_presence=True)
    await watcher.listener.connected()
    await heartbeats(emu, room)
    here = await watcher.pubnub.here_now().channels([mine]).include_uuids(True).future()
    assert me in [o.uuid for channel in here.result.channels for o in channel.occupants]

    await room.leave()

    [leave] = await signalled(
        emu.hub.wait_for_presence_requests(kind="leave", uuid=me), what="the leave"
    )
    assert set(leave.channels) == {f"channel_all.{channel}", mine, f"users.{me}"}
    assert leave.status == 200
    here = await watcher.pubnub.here_now().channels([mine]).include_uuids(True).future()
    assert me not in [o.uuid for channel in here.result.channels for o in channel.occupants]
    await until(
        lambda: any(e.event == "leave" and e.uuid == me for e in watcher.listener.presence_events),
        what="the leave event on the presence channel",
    )


@pytest.mark.parametrize(
    "way", [LeaveReason.SESSION_CLOSED, LeaveReason.REMOVED, LeaveReason.ENDED, LeaveReason.USER]
)
async def test_every_way_out_sends_a_presence_leave(people: People, way: LeaveReason) -> None:
    emu = people.emu
    mod_session, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    room = await people.join(session, channel)
    me = str(room.user_id)
    await heartbeats(emu, room)

    if way is LeaveReason.SESSION_CLOSED:
        await session.close()
    elif way is LeaveReason.REMOVED:
        await mod_session.block_from_channel(channel, room.user_id)
    elif way is LeaveReason.ENDED:
        await mod_session.end_channel(channel)
    else:
        await room.leave()

    assert await signalled(room.wait_left(), what="the room left") is way
    [leave] = await signalled(
        emu.hub.wait_for_presence_requests(kind="leave", uuid=me), what="the leave"
    )
    assert f"channel_user.{channel}.{me}" in leave.channels
    assert people.pool.heartbeats.scheduled == 0


async def test_leaving_the_stage_leaves_the_speakers_channel_alone(people: People) -> None:
    emu = people.emu
    mod_session, channel = await people.room_with_moderator()
    room = await people.join(await people.session("Lee Listener"), channel)
    me = str(room.user_id)
    invited = asyncio.ensure_future(room.wait_for(SpeakerInvited))
    await mod_session.invite_speaker(channel, room.user_id)
    await room.accept_speaker_invite((await invited).from_user_id)
    speakers = f"channel_speakers.{channel}"
    assert speakers in room.pubnub_channels

    await mod_session.uninvite_speaker(channel, room.user_id)

    [leave] = await signalled(
        emu.hub.wait_for_presence_requests(kind="leave", uuid=me), what="the stage leave"
    )
    assert leave.channels == (speakers,)
    await until(lambda: speakers not in room.pubnub_channels, what="the channel dropped")
    assert not room.is_left and people.pool.heartbeats.scheduled == 1


async def test_the_identity_names_the_pubnub_sdk_on_the_wire(people: People) -> None:
    emu = people.emu
    _moderator, channel = await people.room_with_moderator()
    login = emu.login(name="Andy Android")
    session = ClubhouseSession(
        Credentials(
            user_id=login["user_id"], auth_token=login["auth_token"], device_id=login["device_id"]
        ),
        base_url=emu.base_url,
        rate_limit=None,
        identity=AndroidLikeIdentity(),
    )
    async with session:
        room = await session.join_room(channel, pool=people.pool)
        [beat] = await heartbeats(emu, room)
        await room.leave()
    [leave] = await signalled(
        emu.hub.wait_for_presence_requests(kind="leave", uuid=str(room.user_id)), what="leave"
    )
    assert (beat.pnsdk, leave.pnsdk) == (JAVA_SDK, JAVA_SDK)  # type: ignore[attr-defined]
