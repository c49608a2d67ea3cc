"""Helpers for tests of the world alone: a hub that records, a clock that tests move."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.world import World

START = 1_700_000_000.0


class RecordingHub:
    """Stands in for the PubNub hub: remembers publishes and grants."""

    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, Any]]] = []
        self.grants: dict[str, set[str]] = {}
        self.revoked: list[str] = []

    def publish(
        self, channel: str, message: dict[str, Any], *, publisher: str | None = None
    ) -> int:
        self.published.append((channel, message))
        return len(self.published)

    def grant(self, token: str, user_id: int, channels: Iterable[str]) -> None:
        self.grants.setdefault(token, set()).update(channels)

    def revoke(self, token: str) -> None:
        self.grants.pop(token, None)
        self.revoked.append(token)

    def revoke_channels(self, token: str, channels: Iterable[str]) -> None:
        self.grants.get(token, set()).difference_update(channels)

    def take(self) -> list[tuple[str, dict[str, Any]]]:
        """Everything published since the last take."""
        taken, self.published = self.published, []
        return taken

    def actions(self) -> list[str]:
        return [message["action"] for _, message in self.published]


@attrs.define
class Clock:
    now: float = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@attrs.define
class Setup:
    world: World
    hub: RecordingHub
    clock: Clock


def make_world(*, populate: bool = False, **settings: Any) -> Setup:
    """A world on a recording hub and a fixed clock; small sample sizes by default."""
    defaults: dict[str, Any] = {"sample_users": 60, "sample_clubs": 6, "sample_rooms": 3}
    config = EmulatorConfig(**{**defaults, **settings})
    hub = RecordingHub()
    clock = Clock()
    world = World(config, hub)
    world.clock = clock
    if populate:
        world.populate()
    return Setup(world=world, hub=hub, clock=clock)


def publish_every_action() -> list[tuple[str, dict[str, Any]]]:
    """Drive worlds through one story of ordinary mutations; return what they published.

    Every action of the realtime table is among the messages (a test checks it), each
    as the world really sends it: on its PubNub channel, with its fields.
    """
    setup = make_world()
    world, rooms = setup.world, setup.world.rooms
    moe = world.create_user(name="Moe Moderator")
    alice = world.create_user(name="Alice Listener")
    bob = world.create_user(name="Bob Listener")
    carol = world.create_user(name="Carol C")
    room = rooms.create(moe, topic="Every action")
    for listener in (alice, bob, carol):
        rooms.join(listener, room.channel)
    rooms.raise_hand(alice, room)
    rooms.lower_hand(alice, room)
    rooms.invite_speaker(moe, room, alice.user_id)
    rooms.accept_speaker_invite(alice, room)
    rooms.invite_speaker(moe, room, bob.user_id)
    rooms.reject_speaker_invite(bob, room)
    rooms.mute_speaker(moe, room, alice.user_id)
    rooms.make_moderator(moe, room, alice.user_id)
    rooms.uninvite_speaker(moe, room, alice.user_id)
    rooms.change_handraise_settings(moe, room, is_enabled=True, permission=1)
    rooms.make_social(moe, room)
    rooms.make_public(moe, room)
    rooms.update_user_status(carol, room, audio_profile=None, is_on_call=False)
    rooms.block_from_channel(moe, room, carol.user_id)
    rooms.leave(bob.user_id, room)
    for answer in (rooms.accept_new, rooms.reject_new):
        invite = rooms.invite_to_new(alice, bob)
        answer(bob, invite.channel_invite_id)
    invite = rooms.invite_to_new(alice, bob)
    rooms.cancel_new(alice, invite.channel_invite_id)
    rooms.end_by(moe, room)

    newcomers = make_world(populate=True)
    person = newcomers.world.accounts.create_user(name="Nia New", onboarding=True)
    assert newcomers.world.rooms.welcome_room(person) is not None
    newcomers.world.rooms.reject_welcome(person)
    return setup.hub.published + newcomers.hub.published
