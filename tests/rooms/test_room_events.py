"""Every action the emulator produces reaches a joined room as its typed event.

Actions are made through other users' sessions (real HTTP calls); events come back
through the emulator's PubNub hub and the real `pubnub` client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aioclubhouse.models.rooms import HandraisePermission
from aioclubhouse.rooms import (
    Connected,
    HandLowered,
    HandRaised,
    HandraiseSettingsChanged,
    LeaveReason,
    Left,
    ModeratorAdded,
    Muted,
    NewRoomInvite,
    NewRoomInviteAccepted,
    NewRoomInviteCancelled,
    NewRoomInviteRejected,
    RoomEnded,
    RoomEvent,
    RoomMadePublic,
    RoomMadeSocial,
    SpeakerAdded,
    SpeakerCallStatusChanged,
    SpeakerInviteAccepted,
    SpeakerInvited,
    SpeakerInviteRejected,
    SpeakerRemoved,
    SpeakerUninvited,
    UserJoined,
    UserLeft,
    WelcomeRoomRejected,
    user_events,
)
from aioclubhouse.rooms.room import Room
from aioclubhouse.rooms.user_events import UserEvents

from .helpers import People, until, until_polling

E = TypeVar("E", bound=RoomEvent)


class Seen:
    """Everything a room (or stream) delivered to a handler, searchable."""

    def __init__(self, source: Room | UserEvents) -> None:
        self.events: list[RoomEvent] = []
        source.on(RoomEvent, self.events.append)

    async def first(self, kind: type[E], check: Callable[[E], bool] = lambda e: True) -> E:
        def found() -> E | None:
            for event in self.events:
                if isinstance(event, kind) and check(event):
                    return event
            return None

        await until(lambda: found() is not None, what=kind.__name__)
        event = found()
        assert event is not None
        return event

    def count(self, kind: type[RoomEvent], check: Callable[[Any], bool] = lambda e: True) -> int:
        return sum(1 for e in self.events if isinstance(e, kind) and check(e))


async def test_people_and_the_stage(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    mod = await people.join(mod_session, channel)
    listener = await people.join(listener_session, channel)
    assert mod.is_moderator and not listener.is_speaker
    at_mod, at_listener = Seen(mod), Seen(listener)
    mod_id, lee = mod.user_id, listener.user_id

    visitor_session = await people.session("Vic Visitor")
    await visitor_session.join_channel(channel)
    joined = await at_listener.first(UserJoined, lambda e: e.user.user_id != lee)
    assert joined.user.name == "Vic Visitor"
    assert joined.channel == channel
    assert joined.pubnub_channel == f"channel_all.{channel}"
    assert joined.timetoken > 0
    await visitor_session.leave_channel(channel)
    gone = await at_listener.first(UserLeft)
    assert gone.user_id == joined.user.user_id

    await listener.raise_hand()
    raised = await at_mod.first(HandRaised)
    assert raised.user.user_id == lee
    assert raised.pubnub_channel == f"channel_speakers.{channel}"
    assert [u.user_id for u in mod.raised_hands] == [lee]
    await listener.lower_hand()
    assert (await at_mod.first(HandLowered)).user_id == lee

    await mod.invite_speaker(lee)
    invited = await at_listener.first(SpeakerInvited)
    assert (invited.from_user_id, invited.from_name) == (mod_id, "Mia Moderator")
    assert invited.pubnub_channel == f"channel_user.{channel}.{lee}"
    await listener.reject_speaker_invite(invited.from_user_id)
    rejected = await at_mod.first(SpeakerInviteRejected)
    assert rejected.user_id == lee

    await mod.invite_speaker(lee)
    await until(lambda: at_listener.count(SpeakerInvited) == 2, what="second invitation")
    await listener.accept_speaker_invite(mod_id)
    accepted = await at_mod.first(SpeakerInviteAccepted)
    assert accepted.user_id == lee
    added = await at_mod.first(SpeakerAdded)
    assert added.user.user_id == lee and added.user.is_speaker
    await at_listener.first(SpeakerAdded)
    assert listener.is_speaker
    assert {u.user_id for u in mod.speakers} == {mod_id, lee}

    await mod.mute_speaker(lee)
    muted = await at_listener.first(Muted)
    assert (muted.from_user_id, muted.from_name) == (mod_id, "Mia Moderator")
    me = listener.me
    assert me is not None and me.is_muted

    await listener_session.update_channel_user_status(channel, is_on_call=False)
    call = await at_mod.first(SpeakerCallStatusChanged)
    assert (call.user_id, call.is_on_call) == (lee, False)

    await mod.make_moderator(lee)
    promoted = await at_listener.first(ModeratorAdded)
    assert promoted.user_id == lee
    assert listener.is_moderator

    await mod.uninvite_speaker(lee)
    uninvited = await at_listener.first(SpeakerUninvited)
    assert uninvited.from_user_id == mod_id
    removed = await at_mod.first(SpeakerRemoved)
    assert removed.user_id == lee
    await at_listener.first(SpeakerRemoved)
    assert not listener.is_speaker and not listener.is_moderator


async def test_room_settings_and_the_end(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    mod = await people.join(mod_session, channel)
    listener = await people.join(listener_session, channel)
    seen = Seen(listener)

    await mod.set_handraise(True, HandraisePermission.FOLLOWED_BY_SPEAKERS)
    settings = await seen.first(HandraiseSettingsChanged)
    assert settings.is_enabled
    assert settings.handraise_permission is HandraisePermission.FOLLOWED_BY_SPEAKERS
    assert listener.handraise_permission is HandraisePermission.FOLLOWED_BY_SPEAKERS

    await mod_session.make_channel_social(channel)
    await seen.first(RoomMadeSocial)
    assert listener.state.is_social_mode
    await mod_session.make_channel_public(channel)
    await seen.first(RoomMadePublic)
    assert not listener.state.is_social_mode

    await until_polling(people.emu, listener)
    await mod.end()
    assert mod.left_reason is LeaveReason.ENDED
    assert await listener.wait_left() is LeaveReason.ENDED
    ended = await seen.first(RoomEnded)
    assert ended.channel == channel
    final = await seen.first(Left)
    assert final.reason is LeaveReason.ENDED
    assert seen.events[-1] is final


async def test_the_first_event_is_connected(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    room = await people.join(mod_session, channel)
    first = await anext(aiter(room.events()))
    assert isinstance(first, Connected)
    assert room.connected


async def test_invitations_to_new_rooms_outside_rooms(people: People) -> None:
    inviter = await people.session("Ivy Inviter")
    invitee = await people.session("Ian Invitee")
    async with (
        user_events(inviter, pool=people.pool) as inviter_stream,
        user_events(invitee, pool=people.pool) as invitee_stream,
    ):
        at_inviter, at_invitee = Seen(inviter_stream), Seen(invitee_stream)
        assert invitee.user_id is not None and inviter.user_id is not None

        sent = await inviter.invite_to_new_channel(invitee.user_id)
        invite = await at_invitee.first(NewRoomInvite)
        assert invite.channel_invite_id == sent.channel_invite_id
        assert (invite.from_user_id, invite.from_name) == (inviter.user_id, "Ivy Inviter")
        assert invite.pubnub_channel == f"users.{invitee.user_id}"
        await invitee.reject_new_channel_invite(invite.channel_invite_id)
        rejected = await at_inviter.first(NewRoomInviteRejected)
        assert rejected.channel_invite_id == sent.channel_invite_id
        assert rejected.from_user_id == invitee.user_id

        second = await inviter.invite_to_new_channel(invitee.user_id)
        await inviter.cancel_new_channel_invite(second.channel_invite_id)
        cancelled = await at_invitee.first(NewRoomInviteCancelled)
        assert cancelled.channel_invite_id == second.channel_invite_id

        third = await inviter.invite_to_new_channel(invitee.user_id)
        answer = await invitee.accept_new_channel_invite(third.channel_invite_id)
        accepted = await at_inviter.first(NewRoomInviteAccepted)
        assert accepted.channel == answer.channel
        assert accepted.channel_invite_id == third.channel_invite_id
    assert inviter_stream.left_reason is LeaveReason.USER


async def test_iterating_a_user_stream_directly(people: People) -> None:
    inviter = await people.session("Ivy Inviter")
    invitee = await people.session("Ian Invitee")
    assert invitee.user_id is not None
    stream = user_events(invitee, pool=people.pool)
    received: list[RoomEvent] = []
    async for event in stream:
        received.append(event)
        if isinstance(event, Connected):
            await inviter.invite_to_new_channel(invitee.user_id)
        if isinstance(event, NewRoomInvite):
            break
    assert [type(e) for e in received] == [Connected, NewRoomInvite]
    # Leaving the loop closes the stream (asynchronously: `async with` is immediate).
    await until(lambda: stream.left_reason is LeaveReason.USER, what="the stream to close")
    await until(lambda: people.pool.connection_count == 0, what="the connection to close")


async def test_a_declined_welcome_room(people: People) -> None:
    newcomer_session = await people.session("Nora Newcomer")
    newcomer = people.user(newcomer_session)
    newcomer.is_onboarding = True
    welcome = people.emu.world.rooms.welcome_room(newcomer)
    assert welcome is not None
    room = await people.join(newcomer_session, welcome.channel)
    seen = Seen(room)
    await until_polling(people.emu, room)
    await newcomer_session.reject_welcome_channel()
    rejected = await seen.first(WelcomeRoomRejected)
    assert rejected.user.user_id == newcomer.user_id
    assert await room.wait_left() is LeaveReason.ENDED
