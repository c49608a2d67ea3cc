"""Room mutations in the world, and the realtime message each one publishes."""

from __future__ import annotations

from typing import Any

import pytest

from aioclubhouse.emulator.actions import ACTIONS, room_channels
from aioclubhouse.emulator.errors import NotAllowed, RoomUnavailable, WorldError
from aioclubhouse.emulator.models import Room, User

from .world_support import Setup, make_world, publish_every_action

ROOM_USER_KEYS = {
    "user_id",
    "name",
    "username",
    "photo_url",
    "first_name",
    "skintone",
    "is_new",
    "bio_short",
    "is_speaker",
    "is_moderator",
    "time_joined_as_speaker",
    "is_followed_by_speaker",
    "is_invited_as_speaker",
}


class Scene:
    """A room moderated by Moe, with Alice and Bob listening."""

    def __init__(self) -> None:
        self.setup: Setup = make_world()
        self.world = self.setup.world
        self.hub = self.setup.hub
        self.moe = self.world.create_user(name="Moe Moderator")
        self.alice = self.world.create_user(name="Alice Listener")
        self.bob = self.world.create_user(name="Bob Listener")
        self.room: Room = self.world.rooms.create(self.moe, topic="Testing rooms")
        self.ch = self.room.channel
        self.world.rooms.join(self.alice, self.ch)
        self.world.rooms.join(self.bob, self.ch)
        self.hub.take()

    def only(self, action: str) -> tuple[str, dict[str, Any]]:
        """The single message published for `action` since the last take."""
        found = [(c, m) for c, m in self.hub.take() if m["action"] == action]
        assert len(found) == 1, found
        return found[0]

    def stage(self, user: User) -> None:
        """Bring `user` on stage the normal way."""
        self.world.rooms.invite_speaker(self.moe, self.room, user.user_id)
        self.world.rooms.accept_speaker_invite(user, self.room)
        self.hub.take()


@pytest.fixture
def scene() -> Scene:
    return Scene()


def test_create_announces_the_moderator_on_the_room_channel() -> None:
    setup = make_world()
    moe = setup.world.create_user(name="Moe Moderator")
    room = setup.world.rooms.create(moe, topic="Hello")
    [(channel, message)] = setup.hub.take()
    assert channel == f"channel_all.{room.channel}"
    assert message["action"] == "join_channel"
    assert message["user_profile"]["is_moderator"] is True
    assert message["user_profile"]["is_speaker"] is True
    assert len(room.channel) == 8 and room.channel.isalnum()


def test_join_publishes_the_room_user_profile(scene: Scene) -> None:
    carol = scene.world.create_user(name="Carol New")
    scene.world.rooms.join(carol, scene.ch)
    channel, message = scene.only("join_channel")
    assert channel == f"channel_all.{scene.ch}"
    assert set(message) == {"action", "channel", "user_profile"}
    assert message["channel"] == scene.ch
    assert set(message["user_profile"]) == ROOM_USER_KEYS
    assert message["user_profile"]["user_id"] == carol.user_id
    assert message["user_profile"]["first_name"] == "Carol"
    assert message["user_profile"]["is_speaker"] is False


def test_joining_twice_is_quiet(scene: Scene) -> None:
    scene.world.rooms.join(scene.alice, scene.ch)
    assert scene.hub.take() == []


def test_join_grants_a_room_token_and_leave_revokes_it(scene: Scene) -> None:
    token = scene.world.rooms.pubnub_token(scene.room, scene.alice.user_id)
    speakers = f"channel_speakers.{scene.ch}"
    # A listener reads every room channel but the speakers' one.
    listener = set(room_channels(scene.ch, scene.alice.user_id)) - {speakers}
    assert scene.hub.grants[token] == listener
    scene.world.rooms.leave(scene.alice.user_id, scene.room)
    channel, message = scene.only("leave_channel")
    assert channel == f"channel_all.{scene.ch}"
    assert message == {
        "action": "leave_channel",
        "channel": scene.ch,
        "user_id": scene.alice.user_id,
    }
    assert token in scene.hub.revoked and token not in scene.hub.grants


def test_joining_another_room_leaves_the_first(scene: Scene) -> None:
    other = scene.world.rooms.create(scene.bob, topic="Elsewhere")
    messages = scene.hub.take()
    assert ("channel_all." + scene.ch, "leave_channel") in [(c, m["action"]) for c, m in messages]
    assert scene.world.rooms.room_of(scene.bob.user_id) is other
    assert scene.bob.user_id not in scene.room.users


def test_raise_and_lower_hand_go_to_the_speakers_channel(scene: Scene) -> None:
    scene.world.rooms.raise_hand(scene.alice, scene.room)
    channel, message = scene.only("raise_hands")
    assert channel == f"channel_speakers.{scene.ch}"
    assert set(message) == {"action", "channel", "user_id", "user_profile"}
    assert message["user_profile"]["user_id"] == scene.alice.user_id
    assert set(message["user_profile"]) == ROOM_USER_KEYS
    scene.world.rooms.lower_hand(scene.alice, scene.room)
    channel, message = scene.only("unraise_hands")
    assert channel == f"channel_speakers.{scene.ch}"
    assert message == {
        "action": "unraise_hands",
        "channel": scene.ch,
        "user_id": scene.alice.user_id,
    }


def test_invite_and_accept_bring_a_listener_on_stage(scene: Scene) -> None:
    rooms = scene.world.rooms
    rooms.invite_speaker(scene.moe, scene.room, scene.alice.user_id)
    channel, message = scene.only("invite_speaker")
    assert channel == f"channel_user.{scene.ch}.{scene.alice.user_id}"
    assert message == {
        "action": "invite_speaker",
        "channel": scene.ch,
        "from_user_id": scene.moe.user_id,
        "from_name": "Moe Moderator",
    }
    rooms.accept_speaker_invite(scene.alice, scene.room)
    published = scene.hub.take()
    by_action = {m["action"]: (c, m) for c, m in published}
    channel, added = by_action["add_speaker"]
    assert channel == f"channel_all.{scene.ch}"
    assert set(added) == {"action", "channel", "user_profile"}
    assert added["user_profile"]["is_speaker"] is True
    assert added["user_profile"]["time_joined_as_speaker"] is not None
    channel, accepted = by_action["accept_speaker_invite"]
    assert channel == f"channel_user.{scene.ch}.{scene.moe.user_id}"
    assert accepted["user_id"] == accepted["from_user_id"] == scene.alice.user_id
    assert scene.room.users[scene.alice.user_id].is_speaker


def test_accepting_without_an_invitation_is_refused(scene: Scene) -> None:
    with pytest.raises(WorldError, match="not been invited"):
        scene.world.rooms.accept_speaker_invite(scene.alice, scene.room)
    assert scene.hub.take() == []


def test_reject_speaker_invite_tells_the_inviter(scene: Scene) -> None:
    scene.world.rooms.invite_speaker(scene.moe, scene.room, scene.bob.user_id)
    scene.hub.take()
    scene.world.rooms.reject_speaker_invite(scene.bob, scene.room)
    channel, message = scene.only("reject_speaker_invite")
    assert channel == f"channel_user.{scene.ch}.{scene.moe.user_id}"
    assert message["from_user_id"] == scene.bob.user_id
    assert message["from_name"] == "Bob Listener"
    assert scene.bob.user_id not in scene.room.speaker_invites


def test_uninvite_withdraws_a_pending_invitation(scene: Scene) -> None:
    scene.world.rooms.invite_speaker(scene.moe, scene.room, scene.bob.user_id)
    scene.hub.take()
    scene.world.rooms.uninvite_speaker(scene.moe, scene.room, scene.bob.user_id)
    published = scene.hub.take()
    assert [m["action"] for _, m in published] == ["uninvite_speaker"]
    channel, message = published[0]
    assert channel == f"channel_user.{scene.ch}.{scene.bob.user_id}"
    assert set(message) == {"action", "channel", "from_user_id", "from_name"}


def test_uninvite_moves_a_speaker_back_to_the_audience(scene: Scene) -> None:
    scene.stage(scene.alice)
    scene.world.rooms.uninvite_speaker(scene.moe, scene.room, scene.alice.user_id)
    published = {m["action"]: (c, m) for c, m in scene.hub.take()}
    assert published["uninvite_speaker"][0] == f"channel_user.{scene.ch}.{scene.alice.user_id}"
    channel, removed = published["remove_speaker"]
    assert channel == f"channel_all.{scene.ch}"
    assert removed == {
        "action": "remove_speaker",
        "channel": scene.ch,
        "user_id": scene.alice.user_id,
    }
    assert not scene.room.users[scene.alice.user_id].is_speaker


def test_mute_speaker_goes_to_the_muted_user(scene: Scene) -> None:
    scene.stage(scene.alice)
    scene.world.rooms.mute_speaker(scene.moe, scene.room, scene.alice.user_id)
    channel, message = scene.only("mute_speaker")
    assert channel == f"channel_user.{scene.ch}.{scene.alice.user_id}"
    assert message["from_name"] == "Moe Moderator"


def test_make_moderator(scene: Scene) -> None:
    scene.stage(scene.alice)
    scene.world.rooms.make_moderator(scene.moe, scene.room, scene.alice.user_id)
    channel, message = scene.only("make_moderator")
    assert channel == f"channel_all.{scene.ch}"
    assert message == {
        "action": "make_moderator",
        "channel": scene.ch,
        "user_id": scene.alice.user_id,
    }


def test_listeners_cannot_become_moderators_directly(scene: Scene) -> None:
    with pytest.raises(WorldError, match="speakers"):
        scene.world.rooms.make_moderator(scene.moe, scene.room, scene.alice.user_id)


def test_block_from_channel_removes_and_keeps_out(scene: Scene) -> None:
    token = scene.world.rooms.pubnub_token(scene.room, scene.bob.user_id)
    scene.world.rooms.block_from_channel(scene.moe, scene.room, scene.bob.user_id)
    published = scene.hub.take()
    assert [m["action"] for _, m in published] == ["remove_from_channel", "leave_channel"]
    channel, removed = published[0]
    assert channel == f"channel_user.{scene.ch}.{scene.bob.user_id}"
    assert removed["user_id"] == scene.bob.user_id
    assert removed["from_user_id"] == scene.moe.user_id
    assert published[1][0] == f"channel_all.{scene.ch}"
    assert token in scene.hub.revoked
    with pytest.raises(WorldError, match="removed"):
        scene.world.rooms.join(scene.bob, scene.ch)


def test_end_channel_closes_the_room_and_revokes_every_token(scene: Scene) -> None:
    tokens = [scene.world.rooms.pubnub_token(scene.room, uid) for uid in scene.room.users]
    scene.world.rooms.end_by(scene.moe, scene.room)
    channel, message = scene.only("end_channel")
    assert channel == f"channel_all.{scene.ch}"
    assert message == {"action": "end_channel", "channel": scene.ch}
    assert set(tokens) <= set(scene.hub.revoked)
    assert scene.world.rooms.room_of(scene.alice.user_id) is None
    with pytest.raises(RoomUnavailable):
        scene.world.rooms.join(scene.alice, scene.ch)


def test_make_public_and_social(scene: Scene) -> None:
    scene.world.rooms.make_social(scene.moe, scene.room)
    channel, message = scene.only("make_channel_social")
    assert (channel, message) == (
        f"channel_all.{scene.ch}",
        {"action": "make_channel_social", "channel": scene.ch},
    )
    assert scene.room.is_social_mode
    scene.world.rooms.make_public(scene.moe, scene.room)
    assert scene.only("make_channel_public")[1] == {
        "action": "make_channel_public",
        "channel": scene.ch,
    }
    assert not scene.room.is_social_mode and not scene.room.is_private


def test_change_handraise_settings_and_their_effect(scene: Scene) -> None:
    rooms = scene.world.rooms
    rooms.raise_hand(scene.alice, scene.room)
    scene.hub.take()
    rooms.change_handraise_settings(scene.moe, scene.room, is_enabled=False, permission=1)
    channel, message = scene.only("change_handraise_settings")
    assert channel == f"channel_all.{scene.ch}"
    assert message == {
        "action": "change_handraise_settings",
        "channel": scene.ch,
        "is_enabled": False,
        "handraise_permission": 1,
    }
    assert scene.room.raised_hands == {}
    with pytest.raises(WorldError, match="turned off"):
        rooms.raise_hand(scene.bob, scene.room)


def test_handraise_limited_to_people_followed_by_speakers(scene: Scene) -> None:
    rooms = scene.world.rooms
    rooms.change_handraise_settings(scene.moe, scene.room, is_enabled=True, permission=2)
    with pytest.raises(NotAllowed):
        rooms.raise_hand(scene.alice, scene.room)
    scene.world.social.follow(scene.moe, scene.alice.user_id)
    rooms.raise_hand(scene.alice, scene.room)
    assert scene.alice.user_id in scene.room.raised_hands


def test_handraise_limited_to_club_members() -> None:
    setup = make_world()
    world = setup.world
    moe, ann, zed = (world.create_user(name=n) for n in ("Moe M", "Ann Member", "Zed Outsider"))
    club = world.clubs.create(moe, name="Testers")
    world.clubs.enroll(club, ann.user_id)
    room = world.rooms.create(moe, club_id=club.club_id)
    world.rooms.join(ann, room.channel)
    world.rooms.join(zed, room.channel)
    world.rooms.change_handraise_settings(moe, room, is_enabled=True, permission=3)
    world.rooms.raise_hand(ann, room)
    with pytest.raises(NotAllowed):
        world.rooms.raise_hand(zed, room)


@pytest.mark.parametrize(
    "action",
    [
        "invite_speaker",
        "uninvite_speaker",
        "mute_speaker",
        "make_moderator",
        "block_from_channel",
    ],
)
def test_only_moderators_act_on_others(scene: Scene, action: str) -> None:
    with pytest.raises(NotAllowed, match="moderators"):
        getattr(scene.world.rooms, action)(scene.alice, scene.room, scene.bob.user_id)
    assert scene.hub.take() == []


@pytest.mark.parametrize("action", ["end_by", "make_public", "make_social"])
def test_only_moderators_change_the_room(scene: Scene, action: str) -> None:
    with pytest.raises(NotAllowed):
        getattr(scene.world.rooms, action)(scene.alice, scene.room)
    assert scene.ch in scene.world.state.rooms


def test_only_moderators_change_handraise_settings(scene: Scene) -> None:
    with pytest.raises(NotAllowed):
        scene.world.rooms.change_handraise_settings(
            scene.alice, scene.room, is_enabled=False, permission=0
        )


def test_last_moderator_leaving_ends_the_room(scene: Scene) -> None:
    scene.world.rooms.leave(scene.moe.user_id, scene.room)
    assert [m["action"] for _, m in scene.hub.take()] == ["leave_channel", "end_channel"]
    assert scene.ch not in scene.world.state.rooms


def test_room_survives_while_another_moderator_stays(scene: Scene) -> None:
    scene.stage(scene.alice)
    scene.world.rooms.make_moderator(scene.moe, scene.room, scene.alice.user_id)
    scene.world.rooms.leave(scene.moe.user_id, scene.room)
    assert scene.ch in scene.world.state.rooms


def test_reject_welcome_channel_tells_the_room_then_closes_it() -> None:
    setup = make_world(populate=True)
    world = setup.world
    newcomer = world.accounts.create_user(name="Nell Newcomer", onboarding=True)
    room = world.rooms.welcome_room(newcomer)
    assert room is not None and room.welcome_for == newcomer.user_id
    assert world.rooms.can_see(room, newcomer.user_id)
    assert not world.rooms.can_see(room, world.create_user(name="Otto Outsider").user_id)
    setup.hub.take()
    world.rooms.reject_welcome(newcomer)
    published = setup.hub.take()
    assert [m["action"] for _, m in published] == ["reject_welcome_channel", "end_channel"]
    channel, message = published[0]
    assert channel == f"channel_all.{room.channel}"
    assert message["user_profile"]["user_id"] == newcomer.user_id
    assert set(message["user_profile"]) == ROOM_USER_KEYS


def test_new_channel_invite_accept(scene: Scene) -> None:
    invite = scene.world.rooms.invite_to_new(scene.alice, scene.bob)
    channel, message = scene.only("invite_to_new_channel")
    assert channel == f"users.{scene.bob.user_id}"
    assert message == {
        "action": "invite_to_new_channel",
        "channel_invite_id": invite.channel_invite_id,
        "from_user_id": scene.alice.user_id,
        "from_name": "Alice Listener",
    }
    room = scene.world.rooms.accept_new(scene.bob, invite.channel_invite_id)
    published = scene.hub.take()
    accepted = [(c, m) for c, m in published if m["action"] == "accept_new_channel_invite"]
    assert accepted == [
        (
            f"users.{scene.alice.user_id}",
            {
                "action": "accept_new_channel_invite",
                "channel": room.channel,
                "channel_invite_id": invite.channel_invite_id,
                "from_user_id": scene.bob.user_id,
                "from_name": "Bob Listener",
            },
        )
    ]
    assert room.is_private
    assert room.users[scene.alice.user_id].is_moderator
    assert room.users[scene.bob.user_id].is_speaker


def test_new_channel_invite_reject_and_cancel(scene: Scene) -> None:
    rooms = scene.world.rooms
    first = rooms.invite_to_new(scene.alice, scene.bob)
    scene.hub.take()
    rooms.reject_new(scene.bob, first.channel_invite_id)
    channel, message = scene.only("reject_new_channel_invite")
    assert channel == f"users.{scene.alice.user_id}"
    assert set(message) == {"action", "channel_invite_id", "from_user_id", "from_name"}
    second = rooms.invite_to_new(scene.alice, scene.bob)
    scene.hub.take()
    with pytest.raises(NotAllowed):
        rooms.cancel_new(scene.bob, second.channel_invite_id)
    rooms.cancel_new(scene.alice, second.channel_invite_id)
    channel, message = scene.only("cancel_new_channel_invite")
    assert channel == f"users.{scene.bob.user_id}"
    assert message["from_user_id"] == scene.alice.user_id
    with pytest.raises(WorldError, match="no longer valid"):
        rooms.accept_new(scene.bob, second.channel_invite_id)


def test_update_speaker_call_status(scene: Scene) -> None:
    scene.world.rooms.update_user_status(
        scene.alice, scene.room, audio_profile=11, is_on_call=False
    )
    channel, message = scene.only("update_speaker_call_status")
    assert channel == f"channel_all.{scene.ch}"
    assert message == {
        "action": "update_speaker_call_status",
        "channel": scene.ch,
        "user_id": scene.alice.user_id,
        "is_on_call": False,
    }


def test_every_action_in_the_table_is_published_by_some_mutation() -> None:
    published = publish_every_action()
    assert {message["action"] for _, message in published} == set(ACTIONS)


def test_active_ping_and_the_idle_sweep(scene: Scene) -> None:
    world, clock = scene.world, scene.setup.clock
    timeout = world.config.ping_timeout
    clock.advance(timeout * 0.75)
    assert world.rooms.ping(scene.alice.user_id, scene.ch) is False
    assert world.rooms.ping(scene.moe.user_id, scene.ch) is False
    clock.advance(timeout * 0.75)
    world.sweep()
    assert scene.hub.take() == [
        (
            f"channel_all.{scene.ch}",
            {"action": "leave_channel", "channel": scene.ch, "user_id": scene.bob.user_id},
        )
    ]
    assert world.rooms.ping(scene.bob.user_id, scene.ch) is True
    assert set(scene.room.users) == {scene.moe.user_id, scene.alice.user_id}


def test_an_idle_last_moderator_ends_the_room(scene: Scene) -> None:
    world, clock = scene.world, scene.setup.clock
    clock.advance(world.config.ping_timeout + 1)
    world.sweep()
    actions = scene.hub.actions()
    assert actions[0] == "leave_channel" and actions[-1] == "end_channel"
    assert world.rooms.ping(scene.alice.user_id, scene.ch) is True


def test_sample_users_never_time_out() -> None:
    setup = make_world(populate=True)
    before = {ch: set(room.users) for ch, room in setup.world.state.rooms.items()}
    setup.clock.advance(10 * setup.world.config.ping_timeout)
    setup.world.sweep()
    assert {ch: set(room.users) for ch, room in setup.world.state.rooms.items()} == before


def test_ping_for_a_room_one_is_not_in_says_leave(scene: Scene) -> None:
    outsider = scene.world.create_user(name="Otto Outside")
    assert scene.world.rooms.ping(outsider.user_id, scene.ch) is True
    assert scene.world.rooms.ping(scene.alice.user_id, "nosuchroom") is True


def test_private_and_social_rooms_are_visible_only_to_their_people() -> None:
    setup = make_world()
    world = setup.world
    moe, friend, stranger = (world.create_user(name=n) for n in ("Moe M", "Fay F", "Sam S"))
    world.social.follow(moe, friend.user_id)
    social = world.rooms.create(moe, is_social_mode=True)
    assert world.rooms.can_see(social, friend.user_id)
    assert not world.rooms.can_see(social, stranger.user_id)
    with pytest.raises(RoomUnavailable):
        world.rooms.join(stranger, social.channel)
    private = world.rooms.create(friend, is_private=True, invited_ids=[stranger.user_id])
    assert world.rooms.can_see(private, stranger.user_id)
    assert not world.rooms.can_see(private, moe.user_id)
    assert private not in world.rooms.feed(moe.user_id)
    assert [n.channel for n in world.social.notifications_of(stranger.user_id)] == [private.channel]


def test_speaking_is_deterministic_and_only_speakers_speak() -> None:
    first = make_world(populate=True, seed=5)
    second = make_world(populate=True, seed=5)
    for room in first.world.state.rooms.values():
        speakers = room.speaker_ids()
        moments = [t * 0.7 for t in range(40)]
        spoken = [first.world.speaking(room.channel, t) for t in moments]
        assert spoken == [second.world.speaking(room.channel, t) for t in moments]
        assert all(s <= speakers for s in spoken)
        assert any(spoken)
    assert first.world.speaking("nosuchroom", 1.0) == set()
