"""The sample world a seed grows, and saving/loading the whole world."""

from __future__ import annotations

import json

from aioclubhouse.emulator import shapes

from .world_support import make_world


def _saved(seed: int, **settings: object) -> str:
    setup = make_world(populate=True, seed=seed, **settings)
    state = setup.world.to_state()
    state["secret"] = ""
    return json.dumps(state, sort_keys=True)


def test_same_seed_same_world_other_seed_other_world() -> None:
    assert _saved(3) == _saved(3)
    assert _saved(3) != _saved(4)


def test_sizes_follow_the_config() -> None:
    world = make_world(populate=True, sample_users=120, sample_clubs=9, sample_rooms=4).world
    assert len(world.state.users) == 120
    assert len(world.state.clubs) == 9
    assert len(world.state.rooms) == 4
    assert world.state.events


def test_rooms_have_a_stage_and_an_audience() -> None:
    world = make_world(populate=True, sample_users=300, sample_rooms=6).world
    for room in world.state.rooms.values():
        members = room.users.values()
        assert any(m.is_moderator for m in members)
        assert any(m.is_speaker and not m.is_moderator for m in members)
        assert any(not m.is_speaker for m in members)
        assert all(m.last_ping is None for m in members)
        assert world.rooms.room_of(room.creator_id) is room


def test_people_look_real_and_popularity_is_skewed() -> None:
    world = make_world(populate=True, sample_users=200).world
    users = list(world.state.users.values())
    assert all(u.name and " " in u.name and u.username and u.photo_url for u in users)
    assert len({u.username for u in users}) == len(users)
    followers = sorted((len(world.social.followers_of(u.user_id)) for u in users), reverse=True)
    assert followers[0] > 5 * max(1, followers[len(followers) // 2])


def test_topics_form_a_two_level_tree() -> None:
    world = make_world(populate=True).world
    tree = shapes.topic_tree(world)
    assert tree and all(node["topics"] for node in tree)
    leaf = tree[0]["topics"][0]
    assert set(leaf) == {"id", "title", "abbreviated_title"}
    assert leaf["title"].endswith(leaf["abbreviated_title"])


def test_events_are_upcoming_with_hosts() -> None:
    setup = make_world(populate=True)
    for event in setup.world.state.events.values():
        assert event.time_start > setup.clock.now
        assert event.host_ids[0] == event.creator_id
        if event.club_id is not None:
            assert event.creator_id in setup.world.state.clubs[event.club_id].admins


def test_state_round_trips_through_json() -> None:
    setup = make_world(populate=True)
    world = setup.world
    user = world.create_user(name="Sal Saved")
    tokens = world.issue_tokens(user.user_id)
    world.rooms.join(user, next(iter(world.state.rooms)))
    saved = json.loads(json.dumps(world.to_state()))

    restored = make_world().world
    restored.load_state(saved)
    assert restored.to_state() == saved
    assert restored.accounts.session(tokens["auth_token"]) is not None
    assert restored.accounts.by_username(user.username or "") is not None
    room = restored.rooms.room_of(user.user_id)
    assert room is not None and user.user_id in room.users
    first = world.rooms.create(world.create_user(name="Nat Next"))
    second = restored.rooms.create(restored.create_user(name="Nat Next"))
    assert (first.channel, first.channel_id) == (second.channel, second.channel_id)
