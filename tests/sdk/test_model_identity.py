"""Models of things with an id compare and hash by that id, and only within their kind."""

from __future__ import annotations

from typing import Any

import pytest

from aioclubhouse.models import (
    ActionableNotification,
    Channel,
    ChannelInFeed,
    Chat,
    Club,
    ClubMember,
    Event,
    Notification,
    RoomUser,
    Topic,
    UserProfile,
    UserShort,
)
from aioclubhouse.models.base import IdentifiedModel
from aioclubhouse.models.converter import structure

# model, its id field, and the id value to use
KINDS: list[tuple[type[IdentifiedModel], str, Any]] = [
    (Chat, "chat_id", "c-1"),
    (Club, "club_id", 1),
    (ClubMember, "user_id", 1),
    (Notification, "notification_id", 1),
    (ActionableNotification, "actionable_notification_id", 1),
    (RoomUser, "user_id", 1),
    (Channel, "channel", "abcdefgh"),
    (Event, "event_id", 1),
    (Topic, "id", 1),
    (UserShort, "user_id", 1),
]


@pytest.mark.parametrize(("model", "field", "value"), KINDS, ids=[k[0].__name__ for k in KINDS])
def test_equal_by_id_whatever_else_differs(
    model: type[IdentifiedModel], field: str, value: Any
) -> None:
    first = structure({field: value, "name": "first"}, model)
    again = structure({field: value, "name": "second"}, model)
    other = structure({field: value * 2 if isinstance(value, int) else value + "x"}, model)
    assert first == again and hash(first) == hash(again)
    assert first != other
    assert len({first, again, other}) == 2


def test_kinds_with_the_same_id_are_not_equal() -> None:
    things = [structure({field: value}, model) for model, field, value in KINDS]
    users = {UserShort, ClubMember}
    for one in things:
        for another in things:
            same_kind = type(one) is type(another) or {type(one), type(another)} <= users
            assert (one == another) is same_kind, (one, another)


def test_a_user_is_one_user_in_every_listing() -> None:
    short = structure({"user_id": 7, "name": "Ada"}, UserShort)
    member = structure({"user_id": 7, "is_admin": True}, ClubMember)
    profile = structure({"user_id": 7, "num_followers": 3}, UserProfile)
    assert short == member == profile and member == short
    assert len({short, member, profile}) == 1
    room = structure({"channel": "abcdefgh", "topic": "x"}, ChannelInFeed)
    assert room == structure({"channel": "abcdefgh"}, Channel)
