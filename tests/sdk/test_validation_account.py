"""Bad arguments to the 'account' endpoints are refused before anything is sent."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from aioclubhouse.identity import AppIdentity
from aioclubhouse.models.account import ReportReason
from aioclubhouse.session import ClubhouseSession

from .argument_checks import assert_rejected

PHONE = "+14155550123"

BAD_CALLS: list[tuple[str, Callable[[ClubhouseSession], Any], str]] = [
    ("phone-without-plus", lambda s: s.start_phone_number_auth("14155550123"), "phone_number"),
    ("phone-leading-zero", lambda s: s.start_phone_number_auth("+0415555012"), "phone_number"),
    ("phone-none", lambda s: s.start_phone_number_auth(None), "phone_number"),
    ("resend-bad-phone", lambda s: s.resend_phone_number_auth("415-555-0123"), "phone_number"),
    ("call-bad-phone", lambda s: s.call_phone_number_auth("+1"), "phone_number"),
    ("complete-bad-phone", lambda s: s.complete_phone_number_auth("555", "1234"), "phone_number"),
    (
        "complete-empty-code",
        lambda s: s.complete_phone_number_auth(PHONE, ""),
        "verification_code",
    ),
    (
        "complete-rc-token-not-text",
        lambda s: s.complete_phone_number_auth(PHONE, "1234", rc_token=5),
        "rc_token",
    ),
    ("refresh-without-token", lambda s: s.refresh_token(), "refresh"),
    ("refresh-empty", lambda s: s.refresh_token(""), "refresh"),
    ("me-flag-not-bool", lambda s: s.me(return_blocked_ids="yes"), "return_blocked_ids"),
    ("me-empty-timezone", lambda s: s.me(timezone_identifier=""), "timezone_identifier"),
    ("update-check-int-flag", lambda s: s.check_for_update(is_testflight=1), "is_testflight"),
    ("release-notes-zero", lambda s: s.get_release_notes(previous_build=0), "previous_build"),
    ("email-without-at", lambda s: s.add_email("ada.example.test"), "email"),
    ("email-empty", lambda s: s.add_email(""), "email"),
    ("photo-empty-bytes", lambda s: s.update_photo(b""), "photo"),
    ("photo-missing-file", lambda s: s.update_photo("/nonexistent/dir/me.jpg"), "photo"),
    ("photo-wrong-type", lambda s: s.update_photo(123), "photo"),
    ("name-blank", lambda s: s.update_name("   "), "name"),
    ("displayname-empty", lambda s: s.update_displayname(""), "name"),
    ("username-empty", lambda s: s.update_username(""), "username"),
    (
        "twitter-empty-token",
        lambda s: s.update_twitter_username("ada", twitter_token="", twitter_secret="x"),
        "twitter_token",
    ),
    ("instagram-empty-code", lambda s: s.update_instagram_username(""), "code"),
    ("bio-none", lambda s: s.update_bio(None), "bio"),
    ("skintone-0", lambda s: s.update_skintone(0), "skintone"),
    ("skintone-6", lambda s: s.update_skintone(6), "skintone"),
    ("skintone-bool", lambda s: s.update_skintone(True), "skintone"),
    ("notify-frequency-9", lambda s: s.update_notifications(frequency=9), "frequency"),
    ("notify-trending-3", lambda s: s.update_notifications(enable_trending=3), "enable_trending"),
    ("notify-pause-0", lambda s: s.update_notifications(pause_till=0), "pause_till"),
    ("notify-system-bool", lambda s: s.update_notifications(system_enabled=True), "system_enabled"),
    ("notify-sandbox-str", lambda s: s.update_notifications(is_sandbox="no"), "is_sandbox"),
    ("follow-notify-user-0", lambda s: s.update_follow_notifications(0), "user_id"),
    (
        "follow-notify-type-4",
        lambda s: s.update_follow_notifications(7, notification_type=4),
        "notification_type",
    ),
    ("add-topic-negative", lambda s: s.add_user_topic(-1), "topic_id"),
    ("add-topic-club-0", lambda s: s.add_user_topic(140, club_id=0), "club_id"),
    ("remove-topic-str", lambda s: s.remove_user_topic("140"), "topic_id"),
    ("trail-type-empty", lambda s: s.record_action_trails(trail_type=""), "trail_type"),
    (
        "trail-time-str",
        lambda s: s.record_action_trails(client_time_created="now"),
        "client_time_created",
    ),
    ("incident-type-int", lambda s: s.report_incident(7, incident_type=2), "incident_type"),
    ("incident-type-empty", lambda s: s.report_incident(7, incident_type=""), "incident_type"),
    (
        "incident-type-blank",
        lambda s: s.report_incident(7, incident_type=ReportReason.BLANK),
        "incident_type",
    ),
    (
        "incident-channel-empty",
        lambda s: s.report_incident(7, incident_type=ReportReason.OTHER, channel=""),
        "channel",
    ),
    ("incident-user-0", lambda s: s.report_incident(0, incident_type="other"), "user_id"),
    (
        "incident-email",
        lambda s: s.report_incident(7, incident_type="other", email="not-an-address"),
        "email",
    ),
    (
        "incident-attachment-empty",
        lambda s: s.report_incident(7, incident_type="other", attachment=b""),
        "attachment",
    ),
    (
        "incident-attachment-missing",
        lambda s: s.report_incident(7, incident_type="other", attachment="/nonexistent/x.jpg"),
        "attachment",
    ),
    (
        "incident-attachment-text-file",
        lambda s: s.report_incident(7, incident_type="other", attachment=io.StringIO("x")),
        "attachment",
    ),
    (
        "incident-attachment-content-type-empty",
        lambda s: s.report_incident(7, incident_type="other", attachment=b"x", attachment_type=""),
        "attachment_type",
    ),
    (
        "incident-attachment-type",
        lambda s: s.report_incident(7, incident_type="other", attachment=42),
        "attachment",
    ),
]


@pytest.mark.parametrize(
    ("call", "field"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_argument_is_refused_locally(
    call: Callable[[ClubhouseSession], Any], field: str
) -> None:
    await assert_rejected(call, field)


IOS, ANDROID = AppIdentity.ios(), AppIdentity.android()

# A value the identity's app never sends is refused: it would give the client away.
PLATFORM_BAD_CALLS: list[tuple[str, AppIdentity, Callable[[ClubhouseSession], Any], str]] = [
    (
        "ios-safety-net-nonce",
        IOS,
        lambda s: s.complete_phone_number_auth(PHONE, "1234", safety_net_nonce="n"),
        "safety_net_nonce",
    ),
    (
        "ios-safety-net-response",
        IOS,
        lambda s: s.complete_phone_number_auth(PHONE, "1234", safety_net_response="r"),
        "safety_net_response",
    ),
    (
        "android-device-token",
        ANDROID,
        lambda s: s.complete_phone_number_auth(PHONE, "1234", device_token="apns"),
        "device_token",
    ),
    (
        "android-testflight",
        ANDROID,
        lambda s: s.check_for_update(is_testflight=True),
        "is_testflight",
    ),
    ("android-apn-token", ANDROID, lambda s: s.update_notifications(apn_token="a"), "apn_token"),
    ("android-sandbox", ANDROID, lambda s: s.update_notifications(is_sandbox=True), "is_sandbox"),
    ("ios-fcm-token", IOS, lambda s: s.update_notifications(fcm_token="f"), "fcm_token"),
]


@pytest.mark.parametrize(
    ("identity", "call", "field"),
    [c[1:] for c in PLATFORM_BAD_CALLS],
    ids=[c[0] for c in PLATFORM_BAD_CALLS],
)
async def test_other_platforms_fields_are_refused_locally(
    identity: AppIdentity, call: Callable[[ClubhouseSession], Any], field: str
) -> None:
    await assert_rejected(call, field, identity)
