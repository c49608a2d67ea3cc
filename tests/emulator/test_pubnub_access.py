"""The hub authorizes as the service would: a token reads exactly the channels it was
granted, acts only as its own user, and publishes only where it was granted to
(room tokens nowhere); heartbeats and leaves need the same.  Driven with the real
`pubnub` request builders, each refusal checked to change nothing."""

from __future__ import annotations

from pubnub.endpoints.presence.heartbeat import Heartbeat
from pubnub.endpoints.presence.leave import Leave
from pubnub.enums import PNStatusCategory
from pubnub.models.consumer.common import PNStatus

from aioclubhouse.emulator import Emulator
from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.pubnub_access import AccessManager

from ..support.waiting import until
from .pubnub_testkit import Client, ClientFactory, RunningHub

ROOM = "channel_all.abcdefgh"
OTHER_ROOM = "channel_all.zzzzzzzz"
MINE = "channel_user.abcdefgh.1"


async def test_a_room_token_publishes_nowhere(
    running_hub: RunningHub, pubnub_client: ClientFactory
) -> None:
    hub = running_hub.hub
    hub.grant("token-alice", 1, [ROOM, MINE])
    alice = pubnub_client(running_hub.origin, user_id="1", token="token-alice")
    for channel in (ROOM, MINE, OTHER_ROOM):
        sent = (
            await alice.pubnub.publish()
            .channel(channel)
            .message({"action": "end_channel", "channel": channel.split(".")[1]})
            .future()
        )
        assert sent.status.is_error(), channel
        assert sent.status.category == PNStatusCategory.PNAccessDeniedCategory
        assert hub.messages(channel) == []


async def test_a_publisher_publishes_only_as_itself_and_where_granted(
    running_hub: RunningHub, pubnub_client: ClientFactory
) -> None:
    hub = running_hub.hub
    hub.grant("token-service", 5, [ROOM], publish=True)
    service = pubnub_client(running_hub.origin, user_id="5", token="token-service")
    impostor = pubnub_client(running_hub.origin, user_id="6", token="token-service")

    assert not (
        await service.pubnub.publish().channel(ROOM).message({"n": 1}).future()
    ).status.is_error()
    refused = await service.pubnub.publish().channel(OTHER_ROOM).message({"n": 2}).future()
    assert refused.status.category == PNStatusCategory.PNAccessDeniedCategory
    refused = await impostor.pubnub.publish().channel(ROOM).message({"n": 3}).future()
    assert refused.status.category == PNStatusCategory.PNAccessDeniedCategory
    assert [(m.payload, m.publisher) for m in hub.messages(ROOM)] == [({"n": 1}, "5")]
    assert hub.messages(OTHER_ROOM) == []


async def test_nobody_subscribes_as_someone_else(
    running_hub: RunningHub, pubnub_client: ClientFactory
) -> None:
    hub = running_hub.hub
    hub.grant("token-alice", 1, [ROOM])
    impostor = pubnub_client(
        running_hub.origin, user_id="2", token="token-alice", legacy_manager=True
    )
    impostor.subscribe([ROOM])
    await until(
        lambda: PNStatusCategory.PNAccessDeniedCategory in impostor.listener.statuses,
        what="access denied",
    )
    assert hub.presence.occupants(ROOM) == []


async def test_heartbeats_and_leaves_need_the_channels_and_the_tokens_own_uuid(
    running_hub: RunningHub, pubnub_client: ClientFactory
) -> None:
    hub = running_hub.hub
    hub.grant("token-alice", 1, [ROOM])
    hub.grant("token-bob", 2, [ROOM])
    alice = pubnub_client(running_hub.origin, user_id="1", token="token-alice")
    as_alice_with_bobs_token = pubnub_client(running_hub.origin, user_id="1", token="token-bob")
    nobody = pubnub_client(running_hub.origin, user_id="1", token="unknown")

    assert not (await heartbeat(alice, [ROOM])).is_error()
    assert hub.presence.occupants(ROOM) == ["1"]

    refused = [
        (alice, [OTHER_ROOM]),  # not granted
        (alice, [ROOM, OTHER_ROOM]),  # one of them not granted
        (as_alice_with_bobs_token, [ROOM]),  # someone else's token
        (nobody, [ROOM]),
    ]
    for client, channels in refused:
        for send in (heartbeat, leave):
            status = await send(client, channels)
            assert status.category == PNStatusCategory.PNAccessDeniedCategory, channels
    assert hub.presence.occupants(ROOM) == ["1"]  # bob's token could not make alice leave
    assert [m.payload["action"] for m in hub.messages(ROOM + "-pnpres")] == ["join"]

    assert not (await leave(alice, [ROOM])).is_error()
    assert hub.presence.occupants(ROOM) == []
    statuses = [(r.kind, r.status) for r in hub.presence_requests]
    assert statuses == [
        ("heartbeat", 200),
        *[(kind, 403) for _ in refused for kind in ("heartbeat", "leave")],
        ("leave", 200),
    ]


async def test_tokens_read_the_speakers_channel_only_on_stage() -> None:
    async with Emulator(seed=1, sample_users=20, sample_clubs=2, sample_rooms=1) as emu:
        world = emu.world
        moe = world.create_user(name="Moe Moderator")
        lee = world.create_user(name="Lee Listener")
        room = world.rooms.create(moe, topic="Stage")
        world.rooms.join(lee, room.channel)
        speakers = f"channel_speakers.{room.channel}"
        moe_token = world.rooms.pubnub_token(room, moe.user_id)
        lee_token = world.rooms.pubnub_token(room, lee.user_id)
        assert emu.hub.is_allowed(moe_token, speakers)
        assert not emu.hub.is_allowed(lee_token, speakers)

        world.rooms.invite_speaker(moe, room, lee.user_id)
        world.rooms.accept_speaker_invite(lee, room)
        assert emu.hub.is_allowed(lee_token, speakers)

        world.rooms.uninvite_speaker(moe, room, lee.user_id)
        assert not emu.hub.is_allowed(lee_token, speakers)
        assert emu.hub.is_allowed(lee_token, f"channel_all.{room.channel}")


def test_grants_with_publishing_survive_a_restart() -> None:
    access = AccessManager(EmulatorConfig())
    access.grant("t", 5, [ROOM], publish=True)
    access.grant("r", 6, [ROOM])
    restored = AccessManager(EmulatorConfig())
    restored.load_state(access.to_state())
    assert restored.may_publish("t", "5", ROOM, 0.0)
    assert not restored.may_publish("r", "6", ROOM, 0.0)
    assert restored.may_act_as("r", "6", 0.0) and not restored.may_act_as("r", "5", 0.0)


async def heartbeat(client: Client, channels: list[str]) -> PNStatus:
    """A presence heartbeat with the package's own `Heartbeat` builder."""
    envelope = await Heartbeat(client.pubnub).channels(channels).future()
    return envelope.status


async def leave(client: Client, channels: list[str]) -> PNStatus:
    """A presence leave with the package's own `Leave` builder."""
    envelope = await Leave(client.pubnub).channels(channels).future()
    return envelope.status
