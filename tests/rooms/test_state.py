"""The live room state: events applied, snapshots taken, journals replayed (no network)."""

from __future__ import annotations

from typing import Any

from aioclubhouse.models.converter import structure
from aioclubhouse.models.rooms import Channel, HandraisePermission
from aioclubhouse.rooms.realtime_events import RoomEvent, parse_message
from aioclubhouse.rooms.state import RoomState

ME = 1


def profile(user_id: int, **flags: Any) -> dict[str, Any]:
    return {"user_id": user_id, "name": f"User {user_id}", **flags}


def snapshot(*users: dict[str, Any], **fields: Any) -> Channel:
    payload = {"channel": "room1", "users": list(users), **fields}
    return structure(payload, Channel)


def event(action: str, **fields: Any) -> RoomEvent:
    return parse_message({"action": action, "channel": "room1", **fields}, timetoken=1)


def ids(users: list[Any]) -> list[int]:
    return [user.user_id for user in users]


def fresh() -> RoomState:
    state = RoomState("room1", ME)
    state.reset(
        snapshot(
            profile(ME),
            profile(2, is_speaker=True, is_moderator=True),
            profile(3),
            is_handraise_enabled=True,
            handraise_permission=1,
        )
    )
    return state


def test_the_snapshot_fills_everything() -> None:
    state = fresh()
    assert ids(state.users) == [1, 2, 3]
    assert ids(state.speakers) == [2]
    assert ids(state.moderators) == [2]
    assert ids(state.listeners) == [1, 3]
    assert state.is_handraise_enabled
    assert state.handraise_permission is HandraisePermission.ALL
    assert state.role == (False, False)


def test_people_come_and_go() -> None:
    state = fresh()
    assert state.apply(event("join_channel", user_profile=profile(4)))
    assert ids(state.users) == [1, 2, 3, 4]
    assert state.apply(event("leave_channel", user_id=3))
    assert ids(state.users) == [1, 2, 4]
    assert not state.apply(event("leave_channel", user_id=99))


def test_the_stage() -> None:
    state = fresh()
    state.apply(event("raise_hands", user_profile=profile(3)))
    assert ids(state.raised_hands) == [3]
    state.apply(event("add_speaker", user_profile=profile(3)))  # the profile may lag
    assert ids(state.speakers) == [2, 3]
    assert state.raised_hands == []  # the service sends no unraise for that
    state.apply(event("make_moderator", user_id=3))
    assert ids(state.moderators) == [2, 3]
    state.apply(event("remove_speaker", user_id=3))
    assert ids(state.speakers) == [2]
    assert ids(state.moderators) == [2]
    user = state.user(3)
    assert user is not None and user.time_joined_as_speaker is None


def test_hands() -> None:
    state = fresh()
    state.apply(event("raise_hands", user_profile=profile(3)))
    state.apply(event("raise_hands", user_id=1))
    assert ids(state.raised_hands) == [3, 1]
    state.apply(event("unraise_hands", user_id=3))
    assert ids(state.raised_hands) == [1]
    state.apply(event("change_handraise_settings", is_enabled=False, handraise_permission=0))
    assert state.raised_hands == []  # turning hands off clears them, silently
    assert not state.is_handraise_enabled
    assert state.handraise_permission is HandraisePermission.OFF


def test_my_own_flags() -> None:
    state = fresh()
    state.apply(event("invite_speaker", from_user_id=2))
    me = state.me_user
    assert me is not None and me.is_invited_as_speaker
    state.apply(event("mute_speaker", from_user_id=2))
    me = state.me_user
    assert me is not None and me.is_muted
    state.apply(event("update_speaker_call_status", user_id=2, is_on_call=True))
    other = state.user(2)
    assert other is not None and other.is_on_call is True


def test_room_settings() -> None:
    state = fresh()
    state.apply(event("make_channel_social"))
    assert state.is_social_mode and not state.is_private
    state.apply(event("make_channel_public"))
    assert not state.is_social_mode
    state.apply(event("end_channel"))
    assert state.ended


def test_users_held_by_events_are_not_changed_afterwards() -> None:
    state = fresh()
    joined = event("join_channel", user_profile=profile(4))
    state.apply(joined)
    state.apply(event("add_speaker", user_profile=profile(4, is_speaker=True)))
    state.apply(event("make_moderator", user_id=4))
    assert joined.user.is_speaker is False  # type: ignore[attr-defined]
    assert joined.user.is_moderator is False  # type: ignore[attr-defined]
    now = state.user(4)
    assert now is not None and now.is_moderator


def test_a_snapshot_older_than_the_events_during_it_is_corrected_by_the_journal() -> None:
    state = fresh()
    state.start_journal()
    state.apply(event("join_channel", user_profile=profile(5)))
    state.apply(event("leave_channel", user_id=3))
    state.apply(event("add_speaker", user_profile=profile(1, is_speaker=True)))
    # The snapshot was taken before those three events.
    state.reset(snapshot(profile(ME), profile(2, is_speaker=True, is_moderator=True), profile(3)))
    assert ids(state.users) == [1, 2, 5]
    assert state.role == (True, False)


def test_a_snapshot_newer_than_the_journal_is_not_undone() -> None:
    state = fresh()
    state.start_journal()
    state.apply(event("join_channel", user_profile=profile(5)))
    # Taken after the join and after a leave that has not arrived yet.
    state.reset(snapshot(profile(ME), profile(2, is_speaker=True, is_moderator=True), profile(3)))
    assert ids(state.users) == [1, 2, 3, 5]  # the replayed join is back ...
    state.apply(event("leave_channel", user_id=5))  # ... until its leave arrives
    assert ids(state.users) == [1, 2, 3]


def test_raised_hands_survive_a_snapshot_only_for_listeners_still_there() -> None:
    state = fresh()
    state.apply(event("join_channel", user_profile=profile(4)))
    state.apply(event("raise_hands", user_id=3))
    state.apply(event("raise_hands", user_id=4))
    state.reset(
        snapshot(
            profile(ME),
            profile(2, is_speaker=True),
            profile(3, is_speaker=True),
            is_handraise_enabled=True,
        )
    )
    assert state.raised_hands == []


def test_set_role_before_the_event_confirms_it() -> None:
    state = fresh()
    state.apply(event("raise_hands", user_id=ME))
    assert state.set_role(is_speaker=True)
    assert state.role == (True, False)
    assert state.raised_hands == []
    assert not state.set_role(is_speaker=True)
