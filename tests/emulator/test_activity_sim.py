"""The simulated activity of sample users."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

from aioclubhouse.emulator.activity import Activity
from aioclubhouse.emulator.app import Emulator

from ..support.waiting import signalled, until
from .world_support import make_world


def _run(seed: int, steps: int) -> tuple[list[str | None], str, list[str]]:
    setup = make_world(populate=True, seed=seed)
    activity = Activity(setup.world, rate=1.0, seed=seed)
    names = []
    for _ in range(steps):
        names.append(activity.step())
        setup.clock.advance(0.5)
    state = setup.world.to_state()
    state["secret"] = ""
    return names, json.dumps(state, sort_keys=True), setup.hub.actions()


def test_same_seed_same_story() -> None:
    first = _run(7, 150)
    assert first == _run(7, 150)
    assert first[0] != _run(8, 150)[0]


def test_every_kind_of_action_happens_and_publishes() -> None:
    names, _, actions = _run(1, 400)
    done = Counter(name for name in names if name)
    assert set(done) >= {"join", "leave", "raise_hand", "invite_speaker", "accept_invite"}
    published = Counter(actions)
    assert published["raise_hands"] >= done["raise_hand"]
    assert published["invite_speaker"] >= done["invite_speaker"]
    assert published["add_speaker"] >= done["accept_invite"]
    assert published["leave_channel"] >= done["leave"]


def test_a_real_users_raised_hand_gets_an_invitation() -> None:
    setup = make_world(populate=True)
    world = setup.world
    guest = world.create_user(name="Rea Real")
    room = next(iter(world.state.rooms.values()))
    world.rooms.join(guest, room.channel)
    world.rooms.raise_hand(guest, room)
    activity = Activity(world, rate=1.0, seed=0)
    for _ in range(300):
        activity.step()
        if guest.user_id in room.speaker_invites:
            break
    assert guest.user_id in room.speaker_invites
    invites = [c for c, m in setup.hub.published if m["action"] == "invite_speaker"]
    assert f"channel_user.{room.channel}.{guest.user_id}" in invites
    assert guest.user_id in room.users and not room.users[guest.user_id].is_speaker


def test_rooms_start_and_end_within_bounds() -> None:
    setup = make_world(populate=True, sample_users=200, sample_rooms=3)
    activity = Activity(setup.world, rate=1.0, seed=2)
    counts = []
    for _ in range(600):
        activity.step()
        counts.append(len(setup.world.state.rooms))
    assert max(counts) <= 6
    assert min(counts) >= 1
    assert "end_channel" in setup.hub.actions()


async def test_runs_in_the_background_pauses_at_zero_and_resumes() -> None:
    setup = make_world(populate=True)
    activity = Activity(setup.world, rate=200.0, seed=0)
    await activity.start()
    try:
        await until(lambda: activity.steps >= 5, what="simulated actions")
        activity.rate = 0
        await signalled(activity.wait_paused(), what="the activity to pause")
        paused_at = activity.steps
        for _ in range(20):  # give the loop every chance to act while paused
            await asyncio.sleep(0)
        assert activity.steps == paused_at

        activity.rate = 200.0
        await until(lambda: activity.steps >= paused_at + 5, what="the activity resuming")
    finally:
        await activity.stop()
    assert not activity.running


async def test_a_new_rate_applies_at_once() -> None:
    setup = make_world(populate=True)
    activity = Activity(setup.world, rate=0.001, seed=0)  # one action in 1000 s
    await activity.start()
    try:
        activity.rate = 200.0
        await until(lambda: activity.steps >= 5, what="actions at the new rate")
    finally:
        await activity.stop()


async def test_the_emulator_runs_activity_when_asked() -> None:
    async with Emulator(seed=3, activity_rate=100.0, sample_users=80, sample_rooms=2) as emu:
        assert emu.activity is not None
        rooms = list(emu.world.state.rooms)
        before = sum(len(emu.hub.messages(f"channel_all.{ch}")) for ch in rooms)

        def busy() -> bool:
            now = sum(len(emu.hub.messages(f"channel_all.{ch}")) for ch in rooms)
            return now >= before + 10

        await until(busy, what="room traffic from the activity")
