"""Code a user writes, checked with ``mypy --strict`` by ``test_typing.py`` (never run).

A line ending in ``# error: CODE`` must get exactly that error; every other line must
check clean. ``assert_type`` pins what the checker infers.
"""

from __future__ import annotations

from typing import assert_type

from aioclubhouse import ClubhouseSession, Page, RetryNotice, Timeout, TransportStats
from aioclubhouse.models import MeResult, UserShort
from aioclubhouse.rooms import HandRaised, Room, RoomEvent, UserJoined


async def options_are_checked() -> None:
    ClubhouseSession.from_file(base_url="http://127.0.0.1:8080/api/", timeout=3)
    ClubhouseSession.from_file(timeout=Timeout(total=10, connect=2, read=5))
    ClubhouseSession.from_file(base_url="http://127.0.0.1:8080/api/", timout=3)  # error: call-arg
    ClubhouseSession.from_file(timeout="3")  # error: arg-type
    ClubhouseSession(timeout=Timeout(read="5"))  # error: arg-type


async def a_session(ch: ClubhouseSession) -> None:
    me = await ch.me()
    assert_type(me, MeResult)
    assert_type(me.user_profile, UserShort)  # a logged-in me() always has a profile
    page = await ch.get_followers(me.user_profile.user_id)
    assert_type(page, Page[UserShort])
    for user in page:
        assert_type(user, UserShort)
    async for follower in ch.get_following(1, limit=10):
        assert_type(follower, UserShort)
    quick = ch.with_options(timeout=5, deadline=10)
    assert_type(quick, ClubhouseSession)
    assert_type(quick.stats, TransportStats)
    ch.with_options(timout=5)  # error: call-arg


async def a_room(ch: ClubhouseSession) -> None:
    room = await ch.join_room("abcdefgh", ping_interval=10.0)
    await ch.join_room("abcdefgh", ping_intervall=10.0)  # error: call-arg
    assert_type(room, Room)

    def on_joined(event: UserJoined) -> None: ...
    def on_any(event: RoomEvent) -> None: ...
    def on_hand(event: HandRaised) -> None: ...
    async def on_joined_later(event: UserJoined) -> None: ...

    room.on(UserJoined, on_joined)
    room.on(UserJoined, on_any)
    room.on(UserJoined, on_joined_later)
    room.on(UserJoined, on_hand)  # error: arg-type
    room.off(UserJoined, on_joined)
    room.off(UserJoined, on_hand)  # error: arg-type

    @room.on(HandRaised)
    def hand_up(event: HandRaised) -> None: ...

    @room.on(HandRaised)  # error: arg-type
    def wrong_event(event: UserJoined) -> None: ...

    joined = await room.wait_for(UserJoined, check=lambda event: event.user.user_id == 1)
    assert_type(joined, UserJoined)
    await room.wait_for(UserJoined, check=lambda e: e.from_user_id == 1)  # error: attr-defined


def hooks(notice: RetryNotice) -> None:
    assert_type(notice.delay, float)
    assert_type(notice.status, int | None)
