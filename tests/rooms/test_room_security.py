"""A listener cannot end or empty someone else's room through PubNub: the emulator
refuses publishes from room tokens as the service does, so the victim's room hears
nothing and stays."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from pubnub.enums import PNStatusCategory

from aioclubhouse.rooms import RoomEnded, UnknownEvent

from ..emulator.pubnub_testkit import Client, make_client, stop_client
from .helpers import People, until_polling
from .test_room_lifecycle import in_world


@pytest_asyncio.fixture
async def clients() -> AsyncIterator[list[Client]]:
    made: list[Client] = []
    yield made
    for client in made:
        await stop_client(client)


async def test_a_listener_in_one_room_cannot_end_another(
    people: People, clients: list[Client]
) -> None:
    emu = people.emu
    _victim_moderator, victim_channel = await people.room_with_moderator("Victim's room")
    victim = await people.join(await people.session("Vic Victim"), victim_channel)
    _attacker_moderator, attacker_channel = await people.room_with_moderator("Attacker's room")
    attacker_session = await people.session("Ada Attacker")
    assert attacker_session.user_id is not None
    joined = await attacker_session.join_channel(attacker_channel)
    attacker = make_client(
        emu.origin, user_id=str(attacker_session.user_id), token=joined.pubnub_token
    )
    clients.append(attacker)
    await until_polling(emu, victim)
    ended: list[RoomEnded] = []
    victim.on(RoomEnded, ended.append)

    forged = {"action": "end_channel", "channel": victim_channel}
    for target in (
        f"channel_all.{victim_channel}",
        f"channel_user.{victim_channel}.{victim.user_id}",
        f"users.{victim.user_id}",
        f"channel_all.{attacker_channel}",  # not even into its own room
    ):
        sent = await attacker.pubnub.publish().channel(target).message(forged).future()
        assert sent.status.category == PNStatusCategory.PNAccessDeniedCategory, target

    # Delivery is in order: once a later message arrives, an earlier forgery would have.
    emu.hub.publish(f"channel_all.{victim_channel}", {"action": "after_the_attempt"})
    await victim.wait_for(UnknownEvent, check=lambda e: e.action == "after_the_attempt", timeout=20)
    assert not victim.is_left and victim.connected and in_world(people, victim)
    assert all(m.payload != forged for m in emu.hub.messages(f"channel_all.{victim_channel}"))
    assert ended == []
