"""Endpoints of docs/protocol.md A.2: profiles, the social graph, suggestions, search,
invitations, topics and notifications (plus the 2022 ``search``)."""

from __future__ import annotations

from aioclubhouse.emulator import shapes
from aioclubhouse.emulator.api.fields import (
    Json,
    bool_field,
    int_field,
    int_list_field,
    object_list_field,
    str_field,
    str_list_field,
)
from aioclubhouse.emulator.api.routing import Call, RouteTable
from aioclubhouse.emulator.models import User

routes = RouteTable()

OK: Json = {"success": True}
SEARCH_FIELDS = (
    str_field("query", required=True),
    bool_field("cofollows_only", default=False),
    bool_field("following_only", default=False),
    bool_field("followers_only", default=False),
)


def _target(call: Call) -> User:
    return call.world.find_user(call.opt_int("user_id"), call.opt_str("username"))


@routes.post(
    "get_profile",
    int_field("user_id"),
    str_field("username"),
    str_field("query_id"),
    int_field("query_result_position"),
    waitlist_ok=True,
)
def get_profile(call: Call) -> Json:
    profile = shapes.user_profile(call.world, call.me.user_id, _target(call))
    return {"user_profile": profile, **OK}


# -- following and blocking ----------------------------------------------------------------


@routes.post(
    "follow",
    int_field("user_id"),
    int_list_field("user_ids"),
    int_field("source"),
    int_field("source_topic_id"),
    str_field("rc_token"),
)
def follow(call: Call) -> Json:
    targets = call.ids("user_ids") or [call.need_int("user_id")]
    for target in targets:
        call.world.social.follow(call.me, target)
    return OK


@routes.post(
    "follow_multiple",
    int_list_field("user_ids", required=True),
    int_field("user_id"),
    int_field("source"),
    int_field("source_topic_id"),
)
def follow_multiple(call: Call) -> Json:
    for target in call.ids("user_ids"):
        call.world.social.follow(call.me, target)
    return OK


@routes.post("unfollow", int_field("user_id", required=True))
def unfollow(call: Call) -> Json:
    call.world.social.unfollow(call.me, call.need_int("user_id"))
    return OK


@routes.post("block", int_field("user_id", required=True))
def block(call: Call) -> Json:
    call.world.social.block(call.me, call.need_int("user_id"))
    return OK


@routes.post("unblock", int_field("user_id", required=True))
def unblock(call: Call) -> Json:
    call.world.social.unblock(call.me, call.need_int("user_id"))
    return OK


@routes.post("ignore_suggested_follow", int_field("user_id", required=True))
def ignore_suggested_follow(call: Call) -> Json:
    call.world.social.ignore_suggestion(call.me, call.need_int("user_id"))
    return OK


# -- lists of people -----------------------------------------------------------------------


@routes.get("get_following", int_field("user_id", required=True), page_size=50, waitlist_ok=True)
def get_following(call: Call) -> Json:
    social = call.world.social
    target = call.world.user(call.need_int("user_id"))
    users = social.users(social.following_of(target.user_id))
    first_page = call.need_int("page") == 1
    clubs = call.world.clubs.followed_by(target.user_id) if first_page else []
    listed = [shapes.club(call.world, c, call.me.user_id) for c in clubs]
    return call.page("users", users, shapes.user_listed, clubs=listed)


@routes.get(
    "get_followers",
    int_field("user_id"),
    int_field("notification_id"),
    page_size=50,
    waitlist_ok=True,
)
def get_followers(call: Call) -> Json:
    social = call.world.social
    user_id = call.opt_int("user_id")
    target = call.me if user_id is None else call.world.user(user_id)
    return call.page("users", social.users(social.followers_of(target.user_id)), shapes.user_listed)


@routes.get("get_mutual_follows", int_field("user_id", required=True), page_size=50)
def get_mutual_follows(call: Call) -> Json:
    target = call.world.user(call.need_int("user_id"))
    mutuals = call.world.social.mutual_follows(call.me.user_id, target.user_id)
    return call.page("users", mutuals, shapes.user_listed)


@routes.get(
    "get_suggested_follows_all", bool_field("in_onboarding"), page_size=50, waitlist_ok=True
)
def get_suggested_follows_all(call: Call) -> Json:
    suggestions = call.world.social.suggested_follows(call.me)
    return call.page("users", suggestions, shapes.user_listed)


@routes.post(
    "get_suggested_follows_friends_only",
    int_field("club_id"),
    bool_field("upload_contacts"),
    object_list_field("contacts"),
    waitlist_ok=True,
)
def get_suggested_follows_friends_only(call: Call) -> Json:
    accounts, me = call.world.accounts, call.me
    found = []
    for contact in call.objects("contacts"):
        phone = contact.get("phone_number")
        user = accounts.by_phone(phone) if isinstance(phone, str) else None
        if user is not None and user.user_id != me.user_id and not user.is_deactivated:
            found.append(user)
    return {"users": [shapes.user_listed(u) for u in found], **OK}


@routes.post(
    "get_suggested_follows_similar",
    int_field("user_id"),
    str_field("username"),
    str_field("query_id"),
    int_field("query_result_position"),
)
def get_suggested_follows_similar(call: Call) -> Json:
    similar = call.world.social.similar_to(call.me, _target(call))
    return {"users": [shapes.user_listed(u) for u in similar], **OK}


@routes.post("get_online_friends")
def get_online_friends(call: Call) -> Json:
    world, me = call.world, call.me
    users = []
    for friend in world.social.online_friends(me):
        room = world.rooms.room_of(friend.user_id)
        visible = room is not None and world.rooms.can_see(room, me.user_id)
        users.append(
            {
                **shapes.user_mini(friend),
                "last_active_minutes": 0,
                "channel": room.channel if room is not None and visible else None,
                "topic": room.topic if room is not None and visible else None,
            }
        )
    clubs = [c for c in world.clubs.clubs_of(me.user_id) if world.clubs.num_online(c)]
    return {"users": users, "clubs": [shapes.club(world, c, me.user_id) for c in clubs], **OK}


# -- search --------------------------------------------------------------------------------


def _search_people(call: Call) -> list[User]:
    return call.world.social.search_users(
        call.me,
        call.need_str("query"),
        cofollows_only=call.flag("cofollows_only"),
        following_only=call.flag("following_only"),
        followers_only=call.flag("followers_only"),
    )


@routes.post("search_users", *SEARCH_FIELDS, page_size=25)
def search_users(call: Call) -> Json:
    return call.page("users", _search_people(call), shapes.user_listed)


@routes.post("search_clubs", *SEARCH_FIELDS, page_size=25)
def search_clubs(call: Call) -> Json:
    clubs = call.world.clubs.search(call.need_str("query"))
    return call.page("clubs", clubs, lambda c: shapes.club(call.world, c, call.me.user_id))


@routes.post("search", *SEARCH_FIELDS, str_list_field("limit_to_object_types"), page_size=25)
def search(call: Call) -> Json:
    kinds = set(call.args["limit_to_object_types"] or ["users", "clubs"])
    users = _search_people(call) if kinds & {"user", "users"} else []
    clubs = call.world.clubs.search(call.need_str("query")) if kinds & {"club", "clubs"} else []
    return {
        "users": [shapes.user_listed(u) for u in users[: call.need_int("page_size")]],
        "clubs": [shapes.club(call.world, c, call.me.user_id) for c in clubs[:10]],
        "count": len(users) + len(clubs),
        **OK,
    }


# -- invitations ---------------------------------------------------------------------------


def _suggested_invites(call: Call) -> list[Json]:
    accounts = call.world.accounts
    invites = []
    for contact in call.objects("contacts"):
        phone = contact.get("phone_number")
        if not isinstance(phone, str):
            continue
        in_app = accounts.by_phone(phone)
        invites.append(
            {
                "phone_number": phone,
                "in_app": in_app is not None,
                "is_invited": phone in call.world.state.app_invites,
                "num_friends": 0,
            }
        )
    return invites


@routes.post(
    "get_suggested_invites",
    int_field("club_id"),
    bool_field("upload_contacts"),
    object_list_field("contacts"),
)
def get_suggested_invites(call: Call) -> Json:
    return {
        "num_invites": call.me.num_invites,
        "suggested_invites": _suggested_invites(call),
        **OK,
    }


@routes.post(
    "get_suggested_club_invites",
    int_field("club_id"),
    bool_field("upload_contacts"),
    object_list_field("contacts"),
)
def get_suggested_club_invites(call: Call) -> Json:
    return {
        "num_invites": call.me.num_invites,
        "suggested_invites": _suggested_invites(call),
        **OK,
    }


@routes.post(
    "invite_to_app",
    str_field("name"),
    str_field("phone_number", required=True),
    str_field("message"),
)
def invite_to_app(call: Call) -> Json:
    call.world.social.invite_to_app(call.me, call.need_str("phone_number"))
    return OK


@routes.post("invite_from_waitlist", int_field("user_id", required=True))
def invite_from_waitlist(call: Call) -> Json:
    call.world.social.invite_from_waitlist(call.me, call.need_int("user_id"))
    return OK


# -- topics --------------------------------------------------------------------------------


@routes.get("get_all_topics", waitlist_ok=True)
def get_all_topics(call: Call) -> Json:
    return {"topics": shapes.topic_tree(call.world), **OK}


@routes.post(
    "get_topic", int_field("topic_id", required=True), int_field("club_id"), waitlist_ok=True
)
def get_topic(call: Call) -> Json:
    topic = call.world.social.topic(call.need_int("topic_id"))
    return {"topic": shapes.topic(topic), **OK}


@routes.get("get_users_for_topic", int_field("topic_id", required=True), page_size=25)
def get_users_for_topic(call: Call) -> Json:
    users = call.world.social.users_for_topic(call.need_int("topic_id"))
    return call.page("users", users, shapes.user_listed)


@routes.get("get_clubs_for_topic", int_field("topic_id", required=True), page_size=25)
def get_clubs_for_topic(call: Call) -> Json:
    clubs = call.world.clubs.for_topic(call.need_int("topic_id"))
    return call.page("clubs", clubs, lambda c: shapes.club(call.world, c, call.me.user_id))


# -- notifications -------------------------------------------------------------------------


@routes.get("get_notifications", int_field("user_id"), page_size=20, waitlist_ok=True)
def get_notifications(call: Call) -> Json:
    world = call.world
    notifications = world.social.notifications_of(call.me.user_id)
    answer = call.page(
        "notifications", notifications, lambda n: shapes.notification(world, n), disabled=False
    )
    start = (call.need_int("page") - 1) * call.need_int("page_size")
    world.social.mark_read(notifications[start : start + call.need_int("page_size")])
    return answer


@routes.get("get_actionable_notifications", waitlist_ok=True)
def get_actionable_notifications(call: Call) -> Json:
    """Every client calls it without parameters, and gets the whole list."""
    world = call.world
    items = world.social.actionable_of(call.me.user_id)
    return call.whole("notifications", items, lambda n: shapes.actionable_notification(world, n))


@routes.post(
    "ignore_actionable_notification", int_field("actionable_notification_id", required=True)
)
def ignore_actionable_notification(call: Call) -> Json:
    call.world.social.ignore_actionable(call.me, call.need_int("actionable_notification_id"))
    return OK
