"""Endpoints of docs/protocol.md A.4 about clubs (plus the 2022 ``join_club``/``leave_club``)."""

from __future__ import annotations

from aioclubhouse.emulator import shapes
from aioclubhouse.emulator.api.fields import (
    Json,
    bool_field,
    file_field,
    int_field,
    int_list_field,
    object_list_field,
    str_field,
)
from aioclubhouse.emulator.api.routing import Call, RouteTable
from aioclubhouse.emulator.errors import WorldError
from aioclubhouse.emulator.models import Club, User

routes = RouteTable()

OK: Json = {"success": True}
CLUB = (int_field("club_id", required=True), int_field("source_topic_id"))
CLUB_AND_USER = (int_field("club_id", required=True), int_field("user_id", required=True))


def _club(call: Call) -> Club:
    return call.world.clubs.find(
        call.opt_int("club_id"), call.opt_str("slug"), call.opt_str("invite_code")
    )


def _sees_members(call: Call, club: Club) -> bool:
    return not club.is_membership_private or call.me.user_id in club.members


@routes.post(
    "get_club",
    int_field("club_id"),
    str_field("slug"),
    str_field("invite_code"),
    int_field("source_topic_id"),
    str_field("query_id"),
    int_field("query_result_position"),
)
def get_club(call: Call) -> Json:
    world, uid = call.world, call.me.user_id
    club = _club(call)
    inviter_id = club.pending_invites.get(uid)
    inviter = world.state.users.get(inviter_id) if inviter_id is not None else None
    nominated = any(n.user_id == uid for n in club.nominations.values())
    topics = [world.state.topics[t] for t in club.topic_ids if t in world.state.topics]
    return {
        "club": shapes.club(world, club, uid),
        "is_admin": uid in club.admins,
        "is_member": uid in club.members,
        "is_follower": uid in club.followers,
        "is_pending_accept": inviter is not None,
        "is_pending_approval": nominated,
        "added_by_user_profile": shapes.user_mini(inviter) if inviter else None,
        "member_user_ids": sorted(club.members) if _sees_members(call, club) else [],
        "num_invites": call.me.num_invites if uid in club.members else 0,
        "invite_link": f"{shapes.SITE}/join/{club.slug}/{club.invite_code}"
        if uid in club.admins
        else None,
        "topics": [shapes.topic(t) for t in topics],
        **OK,
    }


@routes.get(
    "get_club_members",
    int_field("club_id", required=True),
    bool_field("return_followers", default=False),
    bool_field("return_members", default=True),
    page_size=50,
)
def get_club_members(call: Call) -> Json:
    social = call.world.social
    club = _club(call)
    wanted: set[int] = set()
    if call.flag("return_members", True) and _sees_members(call, club):
        wanted |= club.members
    if call.flag("return_followers"):
        wanted |= club.followers

    def listed(user: User) -> Json:
        return {**shapes.user_listed(user), "is_admin": user.user_id in club.admins}

    return call.page("users", social.users(wanted), listed)


@routes.post("get_clubs", bool_field("is_startable_only", default=False))
def get_clubs(call: Call) -> Json:
    world, uid = call.world, call.me.user_id
    clubs = world.clubs.clubs_of(uid)
    return {"clubs": [shapes.club(world, c, uid) for c in clubs], **OK}


@routes.post("follow_club", *CLUB, int_field("source"))
def follow_club(call: Call) -> Json:
    call.world.clubs.follow(call.me, _club(call))
    return OK


@routes.post("unfollow_club", *CLUB, int_field("source"))
def unfollow_club(call: Call) -> Json:
    call.world.clubs.unfollow(call.me, _club(call))
    return OK


# -- membership ----------------------------------------------------------------------------


@routes.post("add_club_admin", *CLUB_AND_USER)
def add_club_admin(call: Call) -> Json:
    call.world.clubs.add_admin(call.me, _club(call), call.need_int("user_id"))
    return OK


@routes.post("remove_club_admin", *CLUB_AND_USER)
def remove_club_admin(call: Call) -> Json:
    call.world.clubs.remove_admin(call.me, _club(call), call.need_int("user_id"))
    return OK


@routes.post("remove_club_member", *CLUB_AND_USER)
def remove_club_member(call: Call) -> Json:
    call.world.clubs.remove_member(call.me, _club(call), call.need_int("user_id"))
    return OK


@routes.post(
    "add_club_member",
    int_field("club_id", required=True),
    int_field("user_id"),
    str_field("name"),
    str_field("phone_number"),
    str_field("message"),
    str_field("reason"),
)
def add_club_member(call: Call) -> Json:
    world = call.world
    user_id = call.opt_int("user_id")
    phone = call.opt_str("phone_number")
    if user_id is None and phone is not None:
        found = world.accounts.by_phone(phone)
        if found is None:
            raise WorldError("This person is not on Clubhouse yet.")
        user_id = found.user_id
    if user_id is None:
        raise WorldError("Missing field: user_id")
    outcome = world.clubs.add_member(call.me, _club(call), user_id, reason=call.opt_str("reason"))
    return {"outcome": outcome, **OK}


@routes.post(
    "accept_club_member_invite",
    *CLUB,
    str_field("invite_code"),
    str_field("query_id"),
    int_field("query_result_position"),
    str_field("slug"),
)
def accept_club_member_invite(call: Call) -> Json:
    call.world.clubs.accept_invite(call.me, _club(call))
    return OK


@routes.post("join_club", *CLUB)
def join_club(call: Call) -> Json:
    call.world.clubs.join(call.me, _club(call))
    return OK


@routes.post("leave_club", *CLUB)
def leave_club(call: Call) -> Json:
    call.world.clubs.leave(call.me, _club(call))
    return OK


@routes.post("get_club_nominations", *CLUB)
def get_club_nominations(call: Call) -> Json:
    world = call.world
    nominations = world.clubs.nominations(call.me, _club(call))
    from_users = []
    for nomination in nominations:
        nominee = world.state.users.get(nomination.user_id)
        nominator = world.state.users.get(nomination.nominated_by)
        if nominee is None:
            continue
        from_users.append(
            {
                "invite_nomination_id": nomination.invite_nomination_id,
                "user_profile": shapes.user_listed(nominee),
                "nominated_by_user_profile": shapes.user_mini(nominator) if nominator else None,
                "reason": nomination.reason,
                "time_created": shapes.iso(nomination.time_created),
            }
        )
    return {
        "from_users": from_users,
        "from_contacts": [],
        "num_invites": call.me.num_invites,
        **OK,
    }


def _nomination_id(call: Call, club: Club) -> int:
    """The nomination named by id or by the nominee (A8 sends both: they must agree)."""
    nomination_id = call.opt_int("invite_nomination_id")
    user_id = call.opt_int("user_id")
    if nomination_id is not None:
        named = club.nominations.get(nomination_id)
        if named is not None and user_id is not None and named.user_id != user_id:
            raise WorldError("That nomination is not for this user.")
        return nomination_id
    for nomination in club.nominations.values():
        if user_id is not None and nomination.user_id == user_id:
            return nomination.invite_nomination_id
    raise WorldError("Missing field: invite_nomination_id")


NOMINATION = (*CLUB, int_field("invite_nomination_id"), int_field("user_id"))


@routes.post("approve_club_nomination", *NOMINATION)
def approve_club_nomination(call: Call) -> Json:
    club = _club(call)
    call.world.clubs.approve_nomination(call.me, club, _nomination_id(call, club))
    return OK


@routes.post("reject_club_nomination", *NOMINATION)
def reject_club_nomination(call: Call) -> Json:
    club = _club(call)
    call.world.clubs.reject_nomination(call.me, club, _nomination_id(call, club))
    return OK


# -- settings ------------------------------------------------------------------------------


@routes.post(
    "add_club_topic", int_field("club_id", required=True), int_field("topic_id", required=True)
)
def add_club_topic(call: Call) -> Json:
    call.world.clubs.change_topic(call.me, _club(call), call.need_int("topic_id"), add=True)
    return OK


@routes.post(
    "remove_club_topic", int_field("club_id", required=True), int_field("topic_id", required=True)
)
def remove_club_topic(call: Call) -> Json:
    call.world.clubs.change_topic(call.me, _club(call), call.need_int("topic_id"), add=False)
    return OK


@routes.post(
    "update_club_topics",
    int_field("club_id", required=True),
    int_list_field("topic_ids", required=True),
)
def update_club_topics(call: Call) -> Json:
    call.world.clubs.set_topics(call.me, _club(call), call.ids("topic_ids"))
    return OK


@routes.post(
    "update_is_follow_allowed",
    int_field("club_id", required=True),
    bool_field("is_follow_allowed", default=True),
)
def update_is_follow_allowed(call: Call) -> Json:
    allowed = call.flag("is_follow_allowed", True)
    call.world.clubs.update_flags(call.me, _club(call), is_follow_allowed=allowed)
    return OK


@routes.post(
    "update_is_membership_private",
    int_field("club_id", required=True),
    bool_field("is_membership_private", default=False),
)
def update_is_membership_private(call: Call) -> Json:
    private = call.flag("is_membership_private")
    call.world.clubs.update_flags(call.me, _club(call), is_membership_private=private)
    return OK


@routes.post(
    "update_is_community",
    int_field("club_id", required=True),
    bool_field("is_community", default=False),
)
def update_is_community(call: Call) -> Json:
    community = call.flag("is_community")
    call.world.clubs.update_flags(call.me, _club(call), is_community=community)
    return OK


@routes.post(
    "update_club_description",
    int_field("club_id", required=True),
    str_field("description", required=True),
)
def update_club_description(call: Call) -> Json:
    call.world.clubs.update_description(call.me, _club(call), call.need_str("description"))
    return OK


@routes.post(
    "update_club_rules",
    int_field("club_id", required=True),
    object_list_field("rules", required=True),
)
def update_club_rules(call: Call) -> Json:
    call.world.clubs.update_rules(call.me, _club(call), call.objects("rules"))
    return OK


@routes.get("can_create_club")
def can_create_club(call: Call) -> Json:
    allowed, title, message = call.world.clubs.can_create(call.me)
    return {
        "can_create_club": allowed,
        "reason_title": title,
        "reason_message": message,
        **OK,
    }


@routes.post(
    "create_club",
    str_field("name", required=True),
    str_field("description", default=""),
    bool_field("is_follow_allowed", default=True),
    bool_field("is_membership_private", default=False),
    bool_field("is_community", default=False),
    int_list_field("topic_ids"),
    file_field("file"),
    multipart=True,
)
def create_club(call: Call) -> Json:
    world, me = call.world, call.me
    club = world.clubs.create(
        me,
        name=call.need_str("name"),
        description=call.opt_str("description") or "",
        is_follow_allowed=call.flag("is_follow_allowed", True),
        is_membership_private=call.flag("is_membership_private"),
        is_community=call.flag("is_community"),
        topic_ids=call.ids("topic_ids"),
    )
    photo = call.file("file")
    if photo is not None and photo.content:
        world.clubs.update_photo(me, club, photo.content)
    return {"club_id": club.club_id, "club": shapes.club(world, club, me.user_id), **OK}


@routes.post(
    "update_club_photo",
    int_field("club_id", required=True),
    file_field("file", required=True),
    multipart=True,
)
def update_club_photo(call: Call) -> Json:
    photo = call.args["file"].content
    photo_url = call.world.clubs.update_photo(call.me, _club(call), photo)
    return {"photo_url": photo_url, **OK}
