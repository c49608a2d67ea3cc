"""Tiny sample worlds still build: sizes smaller than what the sampler would pick."""

from __future__ import annotations

import pytest

from aioclubhouse.emulator import EmulatorConfig, PubNubHub, World


@pytest.mark.parametrize("users", [3, 5, 20])
def test_small_sample_worlds_populate(users: int) -> None:
    config = EmulatorConfig(sample_users=users, sample_clubs=2, sample_rooms=1)
    world = World(config, PubNubHub(config))
    world.populate()
    assert len(world.state.users) == users
    restored = World(config, PubNubHub(config))
    restored.load_state(world.to_state())
    assert restored.to_state() == world.to_state()
