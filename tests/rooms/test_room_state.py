"""A room's live state equals the emulator's truth after many changes by other people."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

from aioclubhouse.emulator.errors import WorldError
from aioclubhouse.emulator.models import Room as WorldRoom
from aioclubhouse.emulator.models import User
from aioclubhouse.rooms import Room

from .helpers import People, until

MUTATIONS = 200


def truth(room: WorldRoom) -> dict[str, object]:
    members = room.users.values()
    return {
        "users": {m.user_id for m in members},
        "speakers": {m.user_id for m in members if m.is_speaker},
        "moderators": {m.user_id for m in members if m.is_moderator},
        "hands": set(room.raised_hands),
        "handraise": (room.is_handraise_enabled, room.handraise_permission),
    }


def seen_by(room: Room, *, sees_hands: bool) -> dict[str, object]:
    return {
        "users": {u.user_id for u in room.users},
        "speakers": {u.user_id for u in room.speakers},
        "moderators": {u.user_id for u in room.moderators},
        "hands": {u.user_id for u in room.raised_hands} if sees_hands else set(),
        "handraise": (room.is_handraise_enabled, room.handraise_permission),
    }


def delivered(room: Room, timetoken: int) -> Callable[[], bool]:
    return lambda: room.cursor >= timetoken


def last_timetoken(people: People, room: Room) -> int:
    """The newest message on the channels the room listens to."""
    stamps = [m.timetoken for c in room.pubnub_channels for m in people.emu.hub.messages(c)]
    return max(stamps, default=0)


async def test_state_follows_200_random_changes(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    moderator_room = await people.join(mod_session, channel)
    # This one also re-reads get_channel every 0.2 s while events stream in.
    listener_room = await people.join(listener_session, channel, resync_interval=0.2)
    world = people.emu.world
    rooms = world.rooms
    moderator = people.user(mod_session)
    listener = people.user(listener_session)
    crowd = [world.create_user(name=f"Person {i}") for i in range(40)]
    rng = random.Random(20210201)

    def live() -> WorldRoom:
        return rooms.room(channel)

    def pick_member(*, speaker: bool | None = None, spare_listener: bool = True) -> User:
        candidates = [
            uid
            for uid, member in live().users.items()
            if uid != moderator.user_id
            and (speaker is None or member.is_speaker == speaker)
            and not (spare_listener and uid == listener.user_id)
        ]
        if not candidates:
            raise WorldError("nobody fits")
        return world.user(rng.choice(candidates))

    def join() -> None:
        outside = [u for u in crowd if u.user_id not in live().users]
        if not outside:
            raise WorldError("everyone is in")
        rooms.join(rng.choice(outside), channel, keepalive=False)

    def leave() -> None:
        rooms.leave(pick_member().user_id, live())

    def kick() -> None:
        rooms.block_from_channel(moderator, live(), pick_member().user_id)

    def raise_hand() -> None:
        rooms.raise_hand(pick_member(speaker=False, spare_listener=False), live())

    def lower_hand() -> None:
        hands = list(live().raised_hands)
        if not hands:
            raise WorldError("no hands up")
        rooms.lower_hand(world.user(rng.choice(hands)), live())

    def bring_on_stage() -> None:
        target = pick_member(speaker=False, spare_listener=False)
        rooms.invite_speaker(moderator, live(), target.user_id)
        rooms.accept_speaker_invite(target, live())

    def send_to_audience() -> None:
        target = pick_member(speaker=True, spare_listener=False)
        rooms.uninvite_speaker(moderator, live(), target.user_id)

    def promote() -> None:
        target = pick_member(speaker=True, spare_listener=False)
        rooms.make_moderator(moderator, live(), target.user_id)

    def handraise() -> None:
        permission = rng.choice([0, 1, 1, 1, 1, 1, 1, 1, 2, 3])
        rooms.change_handraise_settings(
            moderator, live(), is_enabled=rng.random() < 0.75, permission=permission
        )

    changes: list[Callable[[], None]] = [
        *[join] * 5,
        *[leave] * 2,
        kick,
        *[raise_hand] * 4,
        lower_hand,
        *[bring_on_stage] * 2,
        *[send_to_audience] * 2,
        *[promote] * 2,
        *[handraise] * 2,
    ]

    async def check() -> None:
        """Once everything published has been delivered, both rooms match the world."""
        expected = truth(live())
        for room in (moderator_room, listener_room):
            await until(delivered(room, last_timetoken(people, room)), what="delivery")
        assert seen_by(moderator_room, sees_hands=True) == expected
        # Hands are only announced on the speakers' channel: someone who was in the
        # audience for part of the time cannot know them all.
        assert seen_by(listener_room, sees_hands=False) == {**expected, "hands": set()}

    done = 0
    while done < MUTATIONS:
        try:
            rng.choice(changes)()
        except WorldError:
            continue
        done += 1
        if done % 25 == 0:
            await check()
        elif done % 7 == 0:
            await asyncio.sleep(0.005)  # let some polls return mid-way
        else:
            await asyncio.sleep(0)

    await listener_room.resync()  # one more snapshot must not undo anything
    await check()
    assert moderator_room.dropped_events == 0
    assert not moderator_room.is_left and not listener_room.is_left
