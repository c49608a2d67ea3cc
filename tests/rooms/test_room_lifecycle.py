"""Leaving (by choice, by the room's end, by removal, by the service's word), the
speaker flow, handlers and slow consumers, all against the emulator."""

from __future__ import annotations

import asyncio

import pytest

from aioclubhouse.errors import ForbiddenError
from aioclubhouse.rooms import (
    HandRaised,
    LeaveReason,
    Left,
    RemovedFromRoom,
    RoleChange,
    Room,
    RoomClosedError,
    RoomEnded,
    RoomEvent,
    SpeakerInvited,
    UserJoined,
    join_room,
)

from .helpers import People, between_polls, until, until_polling


def room_tasks(room: Room) -> list[asyncio.Task[object]]:
    """Tasks the room started that are still running."""
    prefix = f"room {room.channel} user {room.user_id} "
    return [t for t in asyncio.all_tasks() if t.get_name().startswith(prefix) and not t.done()]


def in_world(people: People, room: Room) -> bool:
    live = people.emu.world.state.rooms.get(room.channel)
    return live is not None and room.user_id in live.users


async def test_leaving_by_choice(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    async with await join_room(listener_session, channel, pool=people.pool) as room:
        assert in_world(people, room)
        assert room_tasks(room)
        reader = asyncio.ensure_future(_collect(room))
    assert room.left_reason is LeaveReason.USER
    assert not in_world(people, room)  # leave_channel was called
    assert room_tasks(room) == []
    assert people.pool.connection_count == 0
    events = await reader
    assert isinstance(events[-1], Left) and events[-1].reason is LeaveReason.USER
    await room.leave()  # again: nothing happens
    with pytest.raises(RoomClosedError):
        await room.wait_for(UserJoined)


async def _collect(room: Room) -> list[RoomEvent]:
    return [event async for event in room.events()]


async def test_removed_by_a_moderator(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    mod = await people.join(mod_session, channel)
    room = await people.join(listener_session, channel)
    removed = asyncio.ensure_future(room.wait_for(RemovedFromRoom))
    await until_polling(people.emu, room)
    await mod.remove_user(room.user_id)
    assert await room.wait_left() is LeaveReason.REMOVED
    event = await removed
    assert (event.user_id, event.from_user_id) == (room.user_id, mod.user_id)
    assert room_tasks(room) == []
    assert not in_world(people, room)


async def test_removals_right_after_joining_are_all_heard(people: People) -> None:
    """No waiting for open polls: the removal message comes through whichever poll
    is next, since the revoked token still reads what was sent before revoking it."""
    mod_session, channel = await people.room_with_moderator()
    rooms = []
    for i in range(4):
        session = await people.session(f"Listener {i}")
        rooms.append(await people.join(session, channel))
    mod = await people.join(mod_session, channel)
    removals = [asyncio.ensure_future(room.wait_for(RemovedFromRoom)) for room in rooms]
    for room in rooms:
        await mod.remove_user(room.user_id)
    for room, removal in zip(rooms, removals, strict=True):
        assert await asyncio.wait_for(room.wait_left(), 20) is LeaveReason.REMOVED
        assert (await removal).user_id == room.user_id
        assert room_tasks(room) == []


async def test_a_removal_between_two_polls_is_heard(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    mod = await people.join(mod_session, channel)
    room = await people.join(listener_session, channel)
    removed = asyncio.ensure_future(room.wait_for(RemovedFromRoom))
    await between_polls(people.emu, room)
    await mod.remove_user(room.user_id)  # the token is revoked while no poll is open
    people.emu.faults.stall_polls = 0.0
    assert await asyncio.wait_for(room.wait_left(), 20) is LeaveReason.REMOVED
    assert (await removed).from_user_id == mod.user_id
    final = [e async for e in room.events()][-1]
    assert isinstance(final, Left) and final.error is None


async def test_the_end_between_two_polls_is_heard(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    mod = await people.join(mod_session, channel)
    room = await people.join(listener_session, channel)
    ended = asyncio.ensure_future(room.wait_for(RoomEnded))
    await between_polls(people.emu, room)
    await mod.end()
    people.emu.faults.stall_polls = 0.0
    assert await asyncio.wait_for(room.wait_left(), 20) is LeaveReason.ENDED
    assert (await ended).channel == channel  # heard, not guessed after a refusal
    final = [e async for e in room.events()][-1]
    assert isinstance(final, Left) and final.error is None


@pytest.mark.parametrize(
    ("act", "reason"),
    [("end", LeaveReason.ENDED), ("remove", LeaveReason.SHOULD_LEAVE)],
)
async def test_a_service_without_a_grace_still_gets_the_reason_right(
    people: People, act: str, reason: LeaveReason
) -> None:
    """Where the revocation cuts the final message off, the refusal is explained by
    ``get_channel``: the room is gone (ended), or you are no longer in it."""
    people.emu.hub.config.revocation_grace = 0.0
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    mod = await people.join(mod_session, channel)
    room = await people.join(listener_session, channel)
    await between_polls(people.emu, room)
    if act == "end":
        await mod.end()
    else:
        await mod.remove_user(room.user_id)
    people.emu.faults.stall_polls = 0.0
    assert await asyncio.wait_for(room.wait_left(), 20) is reason
    events = [e async for e in room.events()]
    assert not any(isinstance(e, (RoomEnded, RemovedFromRoom)) for e in events)
    final = events[-1]
    assert isinstance(final, Left) and final.error is not None and "403" in final.error


async def test_the_service_says_you_left(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    room = await people.join(listener_session, channel)
    await until_polling(people.emu, room)
    world = people.emu.world
    world.rooms.leave(room.user_id, world.rooms.room(channel))  # e.g. another device left
    assert await room.wait_left() is LeaveReason.SELF_LEFT


async def test_active_ping_says_should_leave(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    room = await people.join(listener_session, channel, ping_interval=0.1)
    # The service forgets the member without telling anyone.
    del people.emu.world.rooms.room(channel).users[room.user_id]
    assert await asyncio.wait_for(room.wait_left(), 20) is LeaveReason.SHOULD_LEAVE
    assert room_tasks(room) == []


async def test_a_refused_token_while_the_room_lives(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    room = await people.join(listener_session, channel)
    token = people.emu.world.rooms.room(channel).pubnub_tokens[room.user_id]
    people.emu.hub.revoke(token)
    people.emu.hub.publish(f"channel_all.{channel}", {"action": "nudge"})  # wake the poll
    assert await asyncio.wait_for(room.wait_left(), 20) is LeaveReason.REALTIME_ERROR
    assert not in_world(people, room)  # it told the service it left
    final = [e async for e in room.events()][-1]
    assert isinstance(final, Left) and final.error is not None and "403" in final.error


async def test_the_speaker_flow(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    other_session = await people.session("Olga Other")
    roles: list[RoleChange] = []

    async def on_role_change(room: Room, role: RoleChange) -> None:
        roles.append(role)

    mod = await people.join(mod_session, channel)
    room = await people.join(listener_session, channel, on_role_change=on_role_change)
    other = await people.join(other_session, channel)
    join_token = room.rtc_token
    assert f"channel_speakers.{channel}" not in room.pubnub_channels

    await room.raise_hand()
    invited = asyncio.ensure_future(room.wait_for(SpeakerInvited))
    await mod.wait_for(HandRaised, check=lambda e: e.user.user_id == room.user_id, timeout=10)
    await mod.invite_speaker(room.user_id)
    invitation = await invited
    answer = await room.accept_speaker_invite(invitation.from_user_id)
    assert answer.token and answer.token.startswith("006")
    assert room.is_speaker
    assert room.rtc_token == answer.token != join_token
    await until(lambda: bool(roles), what="the role hook")
    assert roles[-1].is_speaker and roles[-1].rtc_token == answer.token
    assert f"channel_speakers.{channel}" in room.pubnub_channels

    # As a speaker it now hears about hands.
    await other.raise_hand()
    raised = await room.wait_for(HandRaised, timeout=10)
    assert raised.user.user_id == other.user_id
    assert [u.user_id for u in room.raised_hands] == [other.user_id]

    # Back to the audience: the speakers' channel is dropped, the hook called again.
    await mod.uninvite_speaker(room.user_id)
    await until(lambda: not room.is_speaker, what="the move to the audience")
    await until(lambda: not roles[-1].is_speaker, what="the second role change")
    assert f"channel_speakers.{channel}" not in room.pubnub_channels
    assert room.raised_hands == []


async def test_moderator_actions_from_a_listener_fail_but_the_room_lives(
    people: People,
) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    mod = await people.join(mod_session, channel)
    room = await people.join(listener_session, channel)
    with pytest.raises(ForbiddenError):
        await room.invite_speaker(mod.user_id)
    with pytest.raises(ForbiddenError):
        await room.end()
    assert not room.is_left
    visitor = await people.session("Vic Visitor")
    joined = asyncio.ensure_future(room.wait_for(UserJoined, timeout=10))
    await asyncio.sleep(0)
    await visitor.join_channel(channel)
    assert (await joined).user.user_id == visitor.user_id


async def test_failing_handlers_do_not_stop_delivery(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    room = await people.join(mod_session, channel)
    received: list[int] = []

    def broken(event: UserJoined) -> None:
        raise RuntimeError("handler bug")

    async def record(event: UserJoined) -> None:
        received.append(event.user.user_id)

    room.on(UserJoined, broken)
    room.on(UserJoined, record)
    world = people.emu.world
    crowd = [world.create_user(name=f"Person {i}") for i in range(10)]
    for user in crowd:
        world.rooms.join(user, channel, keepalive=False)
    await until(lambda: len(received) == 10, what="ten joins")
    assert received == [u.user_id for u in crowd]
    assert room.handler_errors == 10


async def test_a_slow_consumer_does_not_stall_other_rooms(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    stuck = asyncio.Event()

    async def never_returns(event: RoomEvent) -> None:
        await stuck.wait()

    slow = await people.join(mod_session, channel, max_queue=5)  # nobody reads its events
    slow.on(RoomEvent, never_returns)
    fast = await people.join(listener_session, channel)
    seen: list[int] = []
    fast.on(UserJoined, lambda event: seen.append(event.user.user_id))
    world = people.emu.world
    crowd = [world.create_user(name=f"Person {i}") for i in range(40)]
    for user in crowd:
        world.rooms.join(user, channel, keepalive=False)
        await asyncio.sleep(0)
    crowd_ids = [u.user_id for u in crowd]
    await until(lambda: set(crowd_ids) <= set(seen), what="all joins in the fast room")
    assert [uid for uid in seen if uid in crowd_ids] == crowd_ids
    await until(lambda: len(slow.users) == len(fast.users), what="the slow room's state")
    assert slow.dropped_events > 0  # its queue overflowed ...
    assert {u.user_id for u in slow.users} == {u.user_id for u in fast.users}  # ... not its state
    stuck.set()
