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
