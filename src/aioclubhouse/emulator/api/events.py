"""Endpoints of docs/protocol.md A.4 about scheduled events."""

from __future__ import annotations

from aioclubhouse.emulator import shapes
from aioclubhouse.emulator.api.fields import Json, bool_field, int_field, int_list_field, str_field
from aioclubhouse.emulator.api.routing import Call, RouteTable
from aioclubhouse.emulator.errors import WorldError
from aioclubhouse.emulator.models import Event

routes = RouteTable()

OK: Json = {"success": True}
EVENT = (int_field("event_id"), str_field("event_hashid"), str_field("invite_code"))
EVENT_FIELDS = (
    str_field("name"),
    str_field("description"),
    int_field("time_start_epoch", minimum=0, maximum=2**40),
    int_list_field("user_ids"),
    int_field("club_id"),
    bool_field("is_member_only"),
)


def _event(call: Call) -> Event:
    return call.world.events.find(call.opt_int("event_id"), call.opt_str("event_hashid"))


def _listed(call: Call, events: list[Event]) -> Json:
    world, uid = call.world, call.me.user_id
    return call.page("events", events, lambda e: shapes.event(world, e, uid))


@routes.post("get_event", *EVENT)
def get_event(call: Call) -> Json:
    return {"event": shapes.event(call.world, _event(call), call.me.user_id), **OK}


@routes.post("create_event", *EVENT_FIELDS)
def create_event(call: Call) -> Json:
    world = call.world
    start = call.opt_int("time_start_epoch")
    if start is None:
        raise WorldError("Missing field: time_start_epoch")
    if start < world.now() - 3600:
        raise WorldError("An event must start in the future.")
    event = world.events.create(
        call.me,
        name=call.opt_str("name") or "",
        time_start=float(start),
        description=call.opt_str("description") or "",
        host_ids=call.ids("user_ids"),
        club_id=call.opt_int("club_id"),
        is_member_only=call.flag("is_member_only"),
    )
    return {
        "event_id": event.event_id,
        "event_hashid": event.event_hashid,
        "event": shapes.event(world, event, call.me.user_id),
        **OK,
    }


@routes.post("edit_event", *EVENT, *EVENT_FIELDS)
def edit_event(call: Call) -> Json:
    start = call.opt_int("time_start_epoch")
    call.world.events.edit(
        call.me,
        _event(call),
        name=call.opt_str("name"),
        description=call.opt_str("description"),
        time_start=None if start is None else float(start),
        host_ids=call.args["user_ids"],
        club_id=call.opt_int("club_id"),
        is_member_only=call.opt_flag("is_member_only"),
    )
    return OK


@routes.post("delete_event", int_field("event_id", required=True))
def delete_event(call: Call) -> Json:
    call.world.events.delete(call.me, _event(call))
    return OK


@routes.post(
    "rsvp_event", int_field("event_id", required=True), bool_field("is_attending", default=True)
)
def rsvp_event(call: Call) -> Json:
    call.world.events.rsvp(call.me, _event(call), attending=call.flag("is_attending", True))
    return OK


@routes.get("get_events", bool_field("is_filtered", default=True), page_size=25)
def get_events(call: Call) -> Json:
    events = call.world.events
    found = events.for_you(call.me) if call.flag("is_filtered", True) else events.upcoming()
    return _listed(call, found)


@routes.get("get_events_for_user", int_field("user_id", required=True), page_size=25)
def get_events_for_user(call: Call) -> Json:
    user = call.world.user(call.need_int("user_id"))
    return _listed(call, call.world.events.hosted_by(user.user_id))


@routes.post(
    "get_events_for_club",
    int_field("club_id"),
    str_field("slug"),
    int_field("source_topic_id"),
)
def get_events_for_club(call: Call) -> Json:
    world, uid = call.world, call.me.user_id
    club = world.clubs.find(call.opt_int("club_id"), call.opt_str("slug"))
    return call.whole(
        "events", world.events.of_club(club.club_id), lambda e: shapes.event(world, e, uid)
    )


@routes.get("get_events_to_start")
def get_events_to_start(call: Call) -> Json:
    world, me = call.world, call.me
    return {"events": [shapes.event(world, e, me.user_id) for e in world.events.to_start(me)], **OK}
