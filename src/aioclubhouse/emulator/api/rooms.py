"""Endpoints of docs/protocol.md A.3, rooms ("channels"), and the 2022 room additions of
A.5 (call status, pinned links, room chat)."""

from __future__ import annotations

from aioclubhouse.emulator import shapes
from aioclubhouse.emulator.api.fields import (
    Json,
    bool_field,
    int_field,
    int_list_field,
    object_field,
    str_field,
    text_field,
)
from aioclubhouse.emulator.api.routing import Call, RouteTable
from aioclubhouse.emulator.errors import RoomUnavailable
from aioclubhouse.emulator.models import Room

routes = RouteTable()

OK: Json = {"success": True}
ROOM = (str_field("channel"), int_field("channel_id"))
"""Every room endpoint names the room by ``channel`` (``channel_id`` also works)."""
ROOM_AND_USER = (*ROOM, int_field("user_id", required=True))
FEED_EVENTS = 5


def _room(call: Call) -> Room:
    return call.world.rooms.find(call.opt_str("channel"), call.opt_int("channel_id"))


def _in_room(call: Call, room: Room) -> Json:
    """What join_channel and create_channel answer: the room plus the user's tokens."""
    uid = call.me.user_id
    return {
        **shapes.channel_in_room(call.world, room, uid),
        **call.world.rooms.join_credentials(room, uid),
    }


# -- finding rooms -------------------------------------------------------------------------


@routes.get("get_channels")
def get_channels(call: Call) -> Json:
    world, uid = call.world, call.me.user_id
    events = (world.events.for_you(call.me) or world.events.upcoming())[:FEED_EVENTS]
    return {
        "channels": [shapes.channel_in_feed(world, r, uid) for r in world.rooms.feed(uid)],
        "events": [shapes.event(world, e, uid) for e in events],
        "featured_events": [],
        **OK,
    }


@routes.get("get_feed")
def get_feed(call: Call) -> Json:
    world, uid = call.world, call.me.user_id
    items = [{"channel": shapes.channel_in_feed(world, r, uid)} for r in world.rooms.feed(uid)]
    return {"items": items, **OK}


@routes.post("get_channel", *ROOM)
def get_channel(call: Call) -> Json:
    room = _room(call)
    uid = call.me.user_id
    if not call.world.rooms.can_see(room, uid) and uid not in room.ever_joined:
        raise RoomUnavailable()
    return shapes.channel_in_room(call.world, room, uid)


# -- being in a room -----------------------------------------------------------------------


@routes.post(
    "join_channel",
    str_field("channel", required=True),
    str_field("attribution_source"),
    str_field("attribution_details"),
    object_field("logging_context"),
)
def join_channel(call: Call) -> Json:
    room = call.world.rooms.join(call.me, call.need_str("channel"))
    return _in_room(call, room)


@routes.post("leave_channel", *ROOM)
def leave_channel(call: Call) -> Json:
    """Leaving a room that already ended is fine: the client is out either way."""
    try:
        room = _room(call)
    except RoomUnavailable:
        return OK
    call.world.rooms.leave(call.me.user_id, room)
    return OK


@routes.post(
    "active_ping",
    str_field("channel", required=True),
    int_field("channel_id"),
    int_field("chanel_id"),
)
def active_ping(call: Call) -> Json:
    should_leave = call.world.rooms.ping(call.me.user_id, call.need_str("channel"))
    return {"should_leave": should_leave, **OK}


@routes.post(
    "audience_reply",
    *ROOM,
    bool_field("raise_hands", default=False),
    bool_field("unraise_hands", default=False),
)
def audience_reply(call: Call) -> Json:
    room = _room(call)
    if call.flag("raise_hands"):
        call.world.rooms.raise_hand(call.me, room)
    elif call.flag("unraise_hands"):
        call.world.rooms.lower_hand(call.me, room)
    return OK


@routes.post("accept_speaker_invite", *ROOM, int_field("user_id"))
def accept_speaker_invite(call: Call) -> Json:
    rooms, uid = call.world.rooms, call.me.user_id
    room = _room(call)
    rooms.accept_speaker_invite(call.me, room)
    credentials = rooms.join_credentials(room, uid)
    keep = (
        "token",
        "rtm_token",
        "pubnub_token",
        "pubnub_origin",
        "pubnub_heartbeat_value",
        "pubnub_heartbeat_interval",
        "pubnub_enable",
    )
    return {**{key: credentials[key] for key in keep}, **OK}


@routes.post("reject_speaker_invite", *ROOM, int_field("user_id"))
def reject_speaker_invite(call: Call) -> Json:
    call.world.rooms.reject_speaker_invite(call.me, _room(call))
    return OK


# -- moderating ----------------------------------------------------------------------------


@routes.post("invite_speaker", *ROOM_AND_USER)
def invite_speaker(call: Call) -> Json:
    call.world.rooms.invite_speaker(call.me, _room(call), call.need_int("user_id"))
    return OK


@routes.post("uninvite_speaker", *ROOM_AND_USER)
def uninvite_speaker(call: Call) -> Json:
    call.world.rooms.uninvite_speaker(call.me, _room(call), call.need_int("user_id"))
    return OK


@routes.post("mute_speaker", *ROOM_AND_USER)
def mute_speaker(call: Call) -> Json:
    call.world.rooms.mute_speaker(call.me, _room(call), call.need_int("user_id"))
    return OK


@routes.post("make_moderator", *ROOM_AND_USER)
def make_moderator(call: Call) -> Json:
    call.world.rooms.make_moderator(call.me, _room(call), call.need_int("user_id"))
    return OK


@routes.post("block_from_channel", *ROOM_AND_USER)
def block_from_channel(call: Call) -> Json:
    call.world.rooms.block_from_channel(call.me, _room(call), call.need_int("user_id"))
    return OK


@routes.post("end_channel", *ROOM)
def end_channel(call: Call) -> Json:
    call.world.rooms.end_by(call.me, _room(call))
    return OK


@routes.post("make_channel_public", *ROOM)
def make_channel_public(call: Call) -> Json:
    call.world.rooms.make_public(call.me, _room(call))
    return OK


@routes.post("make_channel_social", *ROOM)
def make_channel_social(call: Call) -> Json:
    call.world.rooms.make_social(call.me, _room(call))
    return OK


@routes.post(
    "change_handraise_settings",
    *ROOM,
    bool_field("is_enabled", default=True),
    int_field("handraise_permission", default=1),
)
def change_handraise_settings(call: Call) -> Json:
    call.world.rooms.change_handraise_settings(
        call.me,
        _room(call),
        is_enabled=call.flag("is_enabled", True),
        permission=call.need_int("handraise_permission"),
    )
    return OK


@routes.post(
    "update_channel_flags",
    *ROOM,
    text_field("visibility"),
    str_field("flag_title"),
    str_field("unflag_title"),
)
def update_channel_flags(call: Call) -> Json:
    call.world.rooms.set_flags(
        call.me,
        _room(call),
        visibility=call.opt_str("visibility"),
        flag_title=call.opt_str("flag_title"),
        unflag_title=call.opt_str("unflag_title"),
    )
    return OK


# -- starting rooms and inviting -----------------------------------------------------------


@routes.post(
    "create_channel",
    bool_field("is_social_mode", default=False),
    bool_field("is_private", default=False),
    int_field("club_id"),
    int_list_field("user_ids"),
    int_field("event_id"),
    str_field("topic"),
)
def create_channel(call: Call) -> Json:
    room = call.world.rooms.create(
        call.me,
        topic=call.opt_str("topic"),
        is_private=call.flag("is_private"),
        is_social_mode=call.flag("is_social_mode"),
        club_id=call.opt_int("club_id"),
        event_id=call.opt_int("event_id"),
        invited_ids=call.ids("user_ids"),
    )
    return _in_room(call, room)


@routes.post("get_create_channel_targets")
def get_create_channel_targets(call: Call) -> Json:
    world, me = call.world, call.me
    return {
        "clubs": [shapes.club(world, c, me.user_id) for c in world.clubs.clubs_of(me.user_id)],
        "events": [shapes.event(world, e, me.user_id) for e in world.events.to_start(me)],
        **OK,
    }


@routes.post("get_suggested_speakers", *ROOM)
def get_suggested_speakers(call: Call) -> Json:
    channel = call.opt_str("channel")
    room = _room(call) if channel or call.opt_int("channel_id") is not None else None
    users = call.world.rooms.suggested_speakers(call.me, room)
    return call.whole("users", users, shapes.user_listed, clubs=[])


@routes.post("hide_channel", *ROOM, bool_field("hide", default=True))
def hide_channel(call: Call) -> Json:
    call.world.rooms.hide(call.me, _room(call), hide=call.flag("hide", True))
    return OK


@routes.post("invite_to_existing_channel", *ROOM_AND_USER)
def invite_to_existing_channel(call: Call) -> Json:
    call.world.rooms.invite_to_existing(call.me, _room(call), call.need_int("user_id"))
    return {
        "notifications_enabled": True,
        "fallback_number_hash": None,
        "fallback_message": None,
        **OK,
    }


@routes.post(
    "invite_to_new_channel", int_field("user_id"), str_field("username"), str_field("channel")
)
def invite_to_new_channel(call: Call) -> Json:
    target = call.world.find_user(call.opt_int("user_id"), call.opt_str("username"))
    invite = call.world.rooms.invite_to_new(call.me, target)
    return {"channel_invite_id": invite.channel_invite_id, **OK}


@routes.post("accept_new_channel_invite", int_field("channel_invite_id", required=True))
def accept_new_channel_invite(call: Call) -> Json:
    room = call.world.rooms.accept_new(call.me, call.need_int("channel_invite_id"))
    return {"channel": room.channel, **OK}


@routes.post("reject_new_channel_invite", int_field("channel_invite_id", required=True))
def reject_new_channel_invite(call: Call) -> Json:
    call.world.rooms.reject_new(call.me, call.need_int("channel_invite_id"))
    return OK


@routes.post("cancel_new_channel_invite", int_field("channel_invite_id", required=True))
def cancel_new_channel_invite(call: Call) -> Json:
    call.world.rooms.cancel_new(call.me, call.need_int("channel_invite_id"))
    return OK


@routes.get("get_welcome_channel", waitlist_ok=True)
def get_welcome_channel(call: Call) -> Json:
    room = call.world.rooms.welcome_room(call.me)
    if room is None:
        return {"is_empty": True, **OK}
    return shapes.channel_in_room(call.world, room, call.me.user_id)


@routes.get("reject_welcome_channel", waitlist_ok=True)
def reject_welcome_channel(call: Call) -> Json:
    call.world.rooms.reject_welcome(call.me)
    return OK


# -- 2022 additions ------------------------------------------------------------------------


@routes.post(
    "update_channel_user_status",
    *ROOM,
    int_field("audio_profile"),
    bool_field("is_on_call", default=False),
)
def update_channel_user_status(call: Call) -> Json:
    call.world.rooms.update_user_status(
        call.me,
        _room(call),
        audio_profile=call.opt_int("audio_profile"),
        is_on_call=call.flag("is_on_call"),
    )
    return OK


@routes.post("add_channel_link", *ROOM, str_field("link", required=True))
def add_channel_link(call: Call) -> Json:
    link = call.world.rooms.add_link(call.me, _room(call), call.need_str("link"))
    return {"link": shapes.room_link(link), **OK}


@routes.post("remove_channel_link", *ROOM, text_field("link", required=True))
def remove_channel_link(call: Call) -> Json:
    call.world.rooms.remove_link(call.me, _room(call), call.need_str("link"))
    return OK


@routes.get("get_channel_messages", *ROOM, bool_field("is_chronological_order", default=False))
def get_channel_messages(call: Call) -> Json:
    room = _room(call)
    if not call.world.rooms.can_see(room, call.me.user_id):
        raise RoomUnavailable()
    messages = list(room.messages)
    if not call.flag("is_chronological_order"):
        messages.reverse()
    return {"messages": [shapes.room_message(call.world, m) for m in messages], **OK}


@routes.post("send_channel_message", *ROOM, str_field("message", required=True))
def send_channel_message(call: Call) -> Json:
    message = call.world.rooms.send_message(call.me, _room(call), call.need_str("message"))
    return {"message": shapes.room_message(call.world, message), **OK}
