"""Endpoints of docs/protocol.md A.1: phone login, tokens, the account and its settings."""

from __future__ import annotations

from aioclubhouse.emulator import shapes
from aioclubhouse.emulator.api.fields import (
    Json,
    bool_field,
    file_field,
    int_field,
    object_list_field,
    str_field,
    text_field,
)
from aioclubhouse.emulator.api.routing import (
    TOKEN_NOT_VALID,
    Call,
    HttpRefusal,
    RouteTable,
    bad_request,
)
from aioclubhouse.emulator.models import IncidentReport

routes = RouteTable()

IDENTITY_HEADERS = ("CH-AppBuild", "CH-AppVersion", "CH-DeviceId")
OK: Json = {"success": True}


def _has_identity(call: Call) -> bool:
    """The service blocks sign-ins from clients that do not say which app they are."""
    return all(call.request.headers.get(name, "").strip() for name in IDENTITY_HEADERS)


# -- login ---------------------------------------------------------------------------------


@routes.post("start_phone_number_auth", str_field("phone_number", required=True), auth=False)
def start_phone_number_auth(call: Call) -> Json:
    phone_number = call.need_str("phone_number")
    existing = call.world.accounts.by_phone(phone_number)
    if not _has_identity(call) or (existing is not None and existing.is_banned):
        return {"success": True, "is_blocked": True, "error_message": None}
    remaining = call.world.accounts.send_code(phone_number)
    return {
        "success": True,
        "is_blocked": False,
        "error_message": None,
        "number_of_attempts_remaining": remaining,
        "send_rc_token": False,
        "num_digits": len(call.world.config.verification_code),
    }


@routes.post("resend_phone_number_auth", str_field("phone_number", required=True), auth=False)
def resend_phone_number_auth(call: Call) -> Json:
    remaining = call.world.accounts.send_code(call.need_str("phone_number"))
    return {"success": True, "error_message": None, "number_of_attempts_remaining": remaining}


@routes.post("call_phone_number_auth", str_field("phone_number", required=True), auth=False)
def call_phone_number_auth(call: Call) -> Json:
    remaining = call.world.accounts.send_code(call.need_str("phone_number"))
    return {"success": True, "is_verified": False, "number_of_attempts_remaining": remaining}


@routes.post(
    "complete_phone_number_auth",
    str_field("phone_number", required=True),
    text_field("verification_code", required=True),
    str_field("rc_token"),
    str_field("device_token"),
    str_field("safety_net_nonce"),
    str_field("safety_net_response"),
    auth=False,
)
def complete_phone_number_auth(call: Call) -> Json:
    world = call.world
    user, session, _ = world.accounts.complete_phone_auth(
        call.need_str("phone_number"),
        call.need_str("verification_code").strip(),
        device_id=call.request.headers.get("CH-DeviceId"),
    )
    inviter = world.state.users.get(user.invited_by) if user.invited_by else None
    return {
        "success": True,
        "is_verified": True,
        "number_of_attempts_remaining": world.config.max_auth_attempts,
        "user_profile": shapes.user_mini(user),
        "auth_token": session.auth_token,
        "refresh_token": session.refresh_token,
        "access_token": session.access_token,
        "is_waitlisted": user.is_waitlisted,
        "is_onboarding": user.is_onboarding,
        "enable_twitter": False,
        "invited_by_user_profile": shapes.user_mini(inviter) if inviter else None,
        "club": None,
        "num_preselect_follows": 0,
    }


@routes.get("check_for_update", bool_field("is_testflight"), auth=False)
def check_for_update(call: Call) -> Json:
    return {"has_update": False, "success": True}


@routes.post("refresh_token", str_field("refresh", required=True), auth=False)
def refresh_token(call: Call) -> Json:
    pair = call.world.accounts.refresh(call.need_str("refresh"))
    if pair is None:
        raise HttpRefusal(401, TOKEN_NOT_VALID)
    access, refresh = pair
    return {"access": access, "refresh": refresh}


@routes.post("logout", waitlist_ok=True)
def logout(call: Call) -> Json:
    if call.session is not None:
        call.world.accounts.logout(call.session)
    return OK


@routes.post("deactivate_account", waitlist_ok=True)
def deactivate_account(call: Call) -> Json:
    call.world.accounts.deactivate(call.me)
    return OK


@routes.get("check_waitlist_status", waitlist_ok=True)
def check_waitlist_status(call: Call) -> Json:
    user = call.me
    return {"is_waitlisted": user.is_waitlisted, "is_onboarding": user.is_onboarding, **OK}


# -- the account ---------------------------------------------------------------------------


@routes.post(
    "me",
    bool_field("return_blocked_ids"),
    str_field("timezone_identifier"),
    bool_field("return_following_ids"),
    waitlist_ok=True,
)
def me(call: Call) -> Json:
    world, user = call.world, call.me
    session = call.session
    actionable = world.social.actionable_of(user.user_id)
    by_type: dict[str, int] = {}
    for item in actionable:
        by_type[str(item.type)] = by_type.get(str(item.type), 0) + 1
    following = sorted(world.social.following_of(user.user_id))
    blocked = sorted(world.social.blocked_by(user.user_id))
    return {
        "has_unread_notifications": world.social.has_unread(user.user_id),
        "actionable_notifications_count": len(actionable),
        "actionable_notifications_count_by_type": by_type,
        "num_invites": user.num_invites,
        "auth_token": session.auth_token if session else None,
        "refresh_token": session.refresh_token if session else None,
        "access_token": session.access_token if session else None,
        "notifications_enabled": not world.accounts.notifications_paused(user),
        "user_profile": shapes.user_mini(user),
        "following_ids": following if call.flag("return_following_ids") else None,
        "blocked_ids": blocked if call.flag("return_blocked_ids") else None,
        "is_admin": False,
        "email": user.email,
        "feature_flags": [],
        **OK,
    }


@routes.post(
    "get_release_notes", int_field("previous_build"), int_field("current_build"), waitlist_ok=True
)
def get_release_notes(call: Call) -> Json:
    return {
        "should_display": False,
        "title": "🕹 You are now using the latest update of Clubhouse!",
        "action": "See What's New",
        "url": "https://whatsnew.joinclubhouse.com",
        **OK,
    }


@routes.post("add_email", str_field("email", required=True), waitlist_ok=True)
def add_email(call: Call) -> Json:
    call.world.accounts.add_email(call.me, call.need_str("email"))
    return OK


@routes.post("update_photo", file_field("file", required=True), waitlist_ok=True, multipart=True)
def update_photo(call: Call) -> Json:
    photo = call.args["file"].content
    return {"photo_url": call.world.accounts.update_photo(call.me, photo), **OK}


@routes.post("update_name", str_field("name", required=True), waitlist_ok=True)
def update_name(call: Call) -> Json:
    call.world.accounts.update_name(call.me, call.need_str("name"))
    return {"error_message": None, **OK}


@routes.post("update_displayname", str_field("name", required=True), waitlist_ok=True)
def update_displayname(call: Call) -> Json:
    call.world.accounts.update_displayname(call.me, call.need_str("name"))
    return {"error_message": None, **OK}


@routes.post(
    "update_username",
    str_field("username", required=True),
    str_field("twitter_token"),
    str_field("twitter_secret"),
    waitlist_ok=True,
)
def update_username(call: Call) -> Json:
    call.world.accounts.update_username(call.me, call.need_str("username"))
    return {"error_message": None, **OK}


@routes.post(
    "update_twitter_username",
    str_field("username", required=True),
    str_field("twitter_token"),
    str_field("twitter_secret"),
    waitlist_ok=True,
)
def update_twitter_username(call: Call) -> Json:
    call.me.twitter = call.need_str("username").lstrip("@") or None
    return OK


@routes.post("update_instagram_username", text_field("code", required=True), waitlist_ok=True)
def update_instagram_username(call: Call) -> Json:
    user = call.me
    user.instagram = user.username or f"user{user.user_id}"
    return OK


@routes.post("update_bio", str_field("bio", required=True), waitlist_ok=True)
def update_bio(call: Call) -> Json:
    call.world.accounts.update_bio(call.me, call.need_str("bio"))
    return OK


@routes.post("update_skintone", int_field("skintone", required=True), waitlist_ok=True)
def update_skintone(call: Call) -> Json:
    call.world.accounts.update_skintone(call.me, call.need_int("skintone"))
    return OK


@routes.post(
    "update_notifications",
    int_field("enable_trending"),
    int_field("pause_till"),
    bool_field("is_sandbox"),
    str_field("apn_token"),
    str_field("fcm_token"),
    int_field("system_enabled"),
    int_field("frequency"),
)
def update_notifications(call: Call) -> Json:
    call.world.accounts.update_notifications(
        call.me,
        enable_trending=call.opt_int("enable_trending"),
        frequency=call.opt_int("frequency"),
        pause_till=call.opt_int("pause_till"),
    )
    return OK


@routes.get("get_settings", waitlist_ok=True)
def get_settings(call: Call) -> Json:
    user = call.me
    return {
        "notifications_enable_trending": user.notifications_enable_trending,
        "notifications_frequency": user.notifications_frequency,
        "notifications_is_paused": call.world.accounts.notifications_paused(user),
        **OK,
    }


@routes.post(
    "update_follow_notifications",
    int_field("user_id", required=True),
    int_field("notification_type", default=2),
)
def update_follow_notifications(call: Call) -> Json:
    call.world.social.set_follow_notifications(
        call.me, call.need_int("user_id"), call.need_int("notification_type")
    )
    return OK


def _change_topic(call: Call, *, add: bool) -> Json:
    club_id = call.opt_int("club_id")
    topic_id = call.need_int("topic_id")
    if club_id is None:
        call.world.accounts.set_topic(call.me, topic_id, add=add)
    else:
        club = call.world.clubs.club(club_id)
        call.world.clubs.change_topic(call.me, club, topic_id, add=add)
    return OK


@routes.post(
    "add_user_topic", int_field("club_id"), int_field("topic_id", required=True), waitlist_ok=True
)
def add_user_topic(call: Call) -> Json:
    return _change_topic(call, add=True)


@routes.post(
    "remove_user_topic",
    int_field("club_id"),
    int_field("topic_id", required=True),
    waitlist_ok=True,
)
def remove_user_topic(call: Call) -> Json:
    return _change_topic(call, add=False)


@routes.post("record_action_trails", object_list_field("action_trails"), waitlist_ok=True)
def record_action_trails(call: Call) -> Json:
    return OK


REPORT_REASONS = frozenset(
    {
        "abuse__bullying__or_harassment",
        "discrimination_or_hateful_conduct",
        "inappropriate_or_harmful_content",
        "trolling",
        "false_information",
        "platform_manipulation",
        "encouraging_users_to_violate_rules",
        "real_name_and_identity",
        "age_requirement",
        "illegal_activities",
        "violence_or_harm",
        "sharing_of_others__private_information",
        "fake_badges",
        "intellectual_property__copyright__or_trademark",
        "recording__transcribing__or_reproducing_content",
        "synthetic_or_manipulated_media",
        "self-harm_or_suicide",
        "other",
    }
)
"""The reasons a report may give: the Android app's list (docs/protocol.md A,
*Enumerations*) without its blank "nothing picked yet"."""


@routes.post(
    "report_incident",
    int_field("user_id", required=True),
    str_field("incident_type", required=True),
    str_field("email"),
    str_field("channel"),
    str_field("incident_description"),
    file_field("attachment"),
    multipart=True,
)
def report_incident(call: Call) -> Json:
    """The app sends a multipart form; the reason must be one the service knows."""
    reported = call.world.user(call.need_int("user_id"))
    reason = call.need_str("incident_type")
    if reason not in REPORT_REASONS:
        raise bad_request(f"Unknown incident_type: {reason[:64]!r}")
    attachment = call.file("attachment")
    call.world.state.reports.append(
        IncidentReport(
            reporter_id=call.me.user_id,
            user_id=reported.user_id,
            channel=call.opt_str("channel"),
            incident_type=reason,
            description=call.opt_str("incident_description"),
            email=call.opt_str("email"),
            attachment_filename=attachment.filename if attachment else None,
            attachment_type=attachment.content_type if attachment else None,
            attachment_size=len(attachment.content) if attachment else 0,
            time_created=call.world.now(),
        )
    )
    return OK
