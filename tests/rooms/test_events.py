"""Parsing realtime messages into typed events (no network)."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from aioclubhouse.emulator.actions import ACTIONS as EMULATOR_ACTIONS
from aioclubhouse.models.rooms import HandraisePermission
from aioclubhouse.rooms import realtime_events as ev
from aioclubhouse.rooms.realtime_events import parse_message, room_of_pubnub_channel
from aioclubhouse.rooms.state import RoomState

PROFILE = {"user_id": 7, "name": "Ann Example", "username": "ann", "skin_tone": 2}


def parse(payload: Any, channel: str = "channel_all.room1") -> ev.RoomEvent:
    return parse_message(payload, pubnub_channel=channel, timetoken=123)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"action": "join_channel", "channel": "room1", "user_profile": PROFILE},
            ev.UserJoined,
        ),
        ({"action": "leave_channel", "channel": "room1", "user_id": 7}, ev.UserLeft),
        ({"action": "add_speaker", "user_profile": PROFILE}, ev.SpeakerAdded),
        ({"action": "remove_speaker", "user_id": "7"}, ev.SpeakerRemoved),
        ({"action": "end_channel", "channel": "room1"}, ev.RoomEnded),
        ({"action": "make_channel_public"}, ev.RoomMadePublic),
        ({"action": "make_channel_social"}, ev.RoomMadeSocial),
        ({"action": "reject_welcome_channel", "user_profile": PROFILE}, ev.WelcomeRoomRejected),
        ({"action": "make_moderator", "user_id": 7}, ev.ModeratorAdded),
        (
            {"action": "change_handraise_settings", "is_enabled": True, "handraise_permission": 2},
            ev.HandraiseSettingsChanged,
        ),
        ({"action": "raise_hands", "user_profile": PROFILE}, ev.HandRaised),
        ({"action": "unraise_hands", "user_id": 7}, ev.HandLowered),
        ({"action": "invite_speaker", "from_user_id": 1, "from_name": "Mo"}, ev.SpeakerInvited),
        ({"action": "uninvite_speaker", "from_user_id": 1}, ev.SpeakerUninvited),
        ({"action": "accept_speaker_invite", "user_id": 7}, ev.SpeakerInviteAccepted),
        ({"action": "reject_speaker_invite", "user_id": 7}, ev.SpeakerInviteRejected),
        ({"action": "remove_from_channel", "user_id": 7}, ev.RemovedFromRoom),
        ({"action": "mute_speaker", "from_name": "Mo"}, ev.Muted),
        (
            {"action": "invite_to_new_channel", "from_user_id": 1, "channel_invite_id": 5},
            ev.NewRoomInvite,
        ),
        ({"action": "accept_new_channel_invite", "channel": "r2"}, ev.NewRoomInviteAccepted),
        ({"action": "reject_new_channel_invite"}, ev.NewRoomInviteRejected),
        ({"action": "cancel_new_channel_invite"}, ev.NewRoomInviteCancelled),
        (
            {"action": "update_speaker_call_status", "user_id": 7, "is_on_call": False},
            ev.SpeakerCallStatusChanged,
        ),
    ],
)
def test_every_action_has_its_class(payload: dict[str, Any], expected: type) -> None:
    event = parse(payload)
    assert type(event) is expected
    assert event.timetoken == 123
    assert event.pubnub_channel == "channel_all.room1"
    assert event.raw == payload


def test_the_sdk_reads_exactly_the_actions_the_emulator_sends() -> None:
    assert set(ev.ACTIONS) == set(EMULATOR_ACTIONS)


def test_each_event_class_is_registered_under_its_own_action() -> None:
    for action, event_class in ev.ACTIONS.items():
        assert event_class.action == action
        assert issubclass(event_class, ev.ServiceEvent)
        assert event_class.__module__ == ev.__name__


def test_an_action_cannot_be_declared_twice() -> None:
    with pytest.raises(TypeError, match="join_channel"):

        @attrs.frozen(kw_only=True)
        class AnotherJoin(ev.ServiceEvent):
            action = "join_channel"

    assert ev.ACTIONS["join_channel"] is ev.UserJoined


def test_a_parser_that_trips_over_a_value_gives_an_unknown_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever goes wrong while reading a known action, the message is kept."""

    def broken(payload: ev.Payload) -> ev.RoomEvent:
        raise ValueError("unexpected shape")

    monkeypatch.setattr(ev.UserLeft, "parse", broken)
    event = parse({"action": "leave_channel", "user_id": 7})
    assert isinstance(event, ev.UnknownEvent)
    assert event.action == "leave_channel"
    assert event.problem == "unreadable (ValueError)"
    assert event.raw == {"action": "leave_channel", "user_id": 7}


def test_fields_are_read_and_converted() -> None:
    joined = parse({"action": "join_channel", "channel": "room1", "user_profile": PROFILE})
    assert isinstance(joined, ev.UserJoined)
    assert joined.channel == "room1"
    assert joined.user.user_id == 7
    assert joined.user.name == "Ann Example"
    assert joined.user.skintone == 2  # the other spelling fills the same field

    settings = parse(
        {"action": "change_handraise_settings", "is_enabled": "false", "handraise_permission": 3}
    )
    assert isinstance(settings, ev.HandraiseSettingsChanged)
    assert settings.is_enabled is False
    assert settings.handraise_permission is HandraisePermission.CLUB_MEMBERS

    invite = parse(
        {"action": "invite_to_new_channel", "from_user_id": "12", "channel_invite_id": 5},
        channel="users.7",
    )
    assert isinstance(invite, ev.NewRoomInvite)
    assert (invite.from_user_id, invite.channel_invite_id, invite.channel) == (12, 5, None)


def test_user_id_may_sit_inside_the_profile() -> None:
    left = parse({"action": "leave_channel", "user_profile": {"user_id": 9}})
    assert isinstance(left, ev.UserLeft)
    assert left.user_id == 9


def test_a_bare_user_id_still_gives_a_user() -> None:
    raised = parse({"action": "raise_hands", "user_id": 9}, channel="channel_speakers.room1")
    assert isinstance(raised, ev.HandRaised)
    assert raised.user.user_id == 9
    assert raised.channel == "room1"


def test_the_room_comes_from_the_pubnub_channel_when_the_payload_has_none() -> None:
    assert parse({"action": "mute_speaker"}, channel="channel_user.room1.7").channel == "room1"
    assert room_of_pubnub_channel("channel_user.a.b.7") == "a.b"
    assert room_of_pubnub_channel("channel_speakers.x") == "x"
    assert room_of_pubnub_channel("users.7") is None
    assert room_of_pubnub_channel(None) is None


def test_unknown_actions_are_kept() -> None:
    event = parse({"action": "post_to_chat", "text": "hi"})
    assert isinstance(event, ev.UnknownEvent)
    assert event.action == "post_to_chat"
    assert event.raw["text"] == "hi"
    assert event.problem is None


@pytest.mark.parametrize(
    "payload",
    [
        {"action": "leave_channel"},
        {"action": "invite_speaker", "from_name": "no id"},
        {"action": "change_handraise_settings"},
        {"action": "update_speaker_call_status", "user_id": 1},
        {"action": "invite_to_new_channel", "from_user_id": 1},
        {"action": "join_channel", "user_profile": {"name": "nobody"}},
    ],
)
def test_known_actions_missing_what_they_need_become_unknown(payload: dict[str, Any]) -> None:
    event = parse(payload)
    assert isinstance(event, ev.UnknownEvent)
    assert event.action == payload["action"]
    assert event.problem is not None and event.problem.startswith("missing")


@pytest.mark.parametrize("payload", [None, [1, 2], "text", 42, {"no": "action"}])
def test_anything_at_all_parses(payload: Any) -> None:
    event = parse(payload)
    assert isinstance(event, ev.UnknownEvent)
    assert event.action is None


def test_a_broken_profile_falls_back_to_the_id() -> None:
    event = parse({"action": "add_speaker", "user_profile": {"user_id": 4, "is_speaker": "maybe"}})
    assert isinstance(event, ev.SpeakerAdded)
    assert event.user.user_id == 4


def test_events_are_frozen_and_hide_raw_from_repr() -> None:
    event = parse({"action": "remove_speaker", "user_id": 3, "secret": "s3cr3t"})
    assert "s3cr3t" not in repr(event)
    with pytest.raises(AttributeError):
        event.timetoken = 5  # type: ignore[misc]


@pytest.mark.parametrize("channel", ["channel_user.room1.7", "users.7"])
def test_a_removal_on_a_users_own_channel_is_about_that_user(channel: str) -> None:
    """The official app's models for these channels have no user_id: it may be absent."""
    event = parse({"action": "remove_from_channel", "channel": "room1", "from_name": "Mo"}, channel)
    assert isinstance(event, ev.RemovedFromRoom)
    assert (event.user_id, event.from_name, event.channel) == (7, "Mo", "room1")
    named = parse({"action": "remove_from_channel", "user_id": 99}, channel)
    assert isinstance(named, ev.RemovedFromRoom) and named.user_id == 7


def test_a_removal_on_the_room_channel_needs_its_user_id() -> None:
    event = parse({"action": "remove_from_channel"}, "channel_all.room1")
    assert isinstance(event, ev.UnknownEvent) and event.problem == "missing user_id"


@pytest.mark.parametrize(
    ("channel", "owner"),
    [
        ("channel_user.room1.7", 7),
        ("users.42", 42),
        ("channel_all.room1", None),
        ("channel_speakers.room1", None),
        ("users.²", None),
        ("users.+7", None),
        ("channel_user.room1.x", None),
        (None, None),
    ],
)
def test_the_owner_of_a_per_user_channel(channel: str | None, owner: int | None) -> None:
    assert ev.owner_of_pubnub_channel(channel) == owner


def test_an_event_that_cannot_be_applied_becomes_unknown_alone() -> None:
    class Exploding(ev.RoomEvent):
        def apply_to(self, state: object) -> bool:
            raise KeyError("broken state")

    state = RoomState("room1", 7)
    event = ev.apply_event(state, Exploding(channel="room1", timetoken=5, raw={"action": "x"}))
    assert isinstance(event, ev.UnknownEvent)
    assert (event.problem, event.timetoken, event.raw) == (
        "not applied (KeyError)",
        5,
        {"action": "x"},
    )
    joined = ev.apply_event(state, parse({"action": "join_channel", "user_profile": PROFILE}))
    assert isinstance(joined, ev.UserJoined) and [u.user_id for u in state.users] == [7]
