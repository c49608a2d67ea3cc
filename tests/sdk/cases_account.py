"""Request-shape cases for the 'account' endpoints."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from aioclubhouse.identity import AppIdentity
from aioclubhouse.models.account import (
    LoginResult,
    MeResult,
    NotificationSettings,
    PhoneAuthResult,
    PhotoResult,
    ReleaseNotes,
    ReportReason,
    TokenPair,
    UpdateCheck,
    WaitlistStatus,
)
from aioclubhouse.models.base import SuccessResponse
from aioclubhouse.session import ClubhouseSession

from .endpoint_cases import EndpointCase

PHONE = "+14155550123"
ANDROID = AppIdentity.android()
JPEG = b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9"
OK = {"success": True}


def is_success(result: Any) -> None:
    assert isinstance(result, SuccessResponse)
    assert result.success is True


# -- phone login ------------------------------------------------------------------------


def check_start(result: PhoneAuthResult) -> None:
    assert isinstance(result, PhoneAuthResult)
    assert result.is_blocked is False
    assert result.number_of_attempts_remaining == 3
    assert result.send_rc_token is True and result.num_digits == 4


def check_blocked(result: PhoneAuthResult) -> None:
    assert result.success is True and result.is_blocked is True


def check_resend(result: PhoneAuthResult) -> None:
    assert result.success is True and result.error_message is None


def check_call(result: PhoneAuthResult) -> None:
    assert result.is_verified is False and result.number_of_attempts_remaining == 2


async def complete_and_check_credentials(session: ClubhouseSession) -> LoginResult:
    device = session.credentials.device_id
    result = await session.complete_phone_number_auth(PHONE, "1234")
    creds = session.credentials
    assert creds.user_id == 1234
    assert creds.auth_token == "new-auth-token"
    assert creds.access_token == "new-access-jwt"
    assert creds.refresh_token == "new-refresh-jwt"
    assert creds.device_id == device
    assert "new-auth-token" not in repr(result)
    return result


def check_login(result: LoginResult) -> None:
    assert isinstance(result, LoginResult)
    assert result.user_id == 1234
    assert result.is_waitlisted is True and result.is_onboarding is True
    assert result.user_profile is not None and result.user_profile.username is None


LOGIN_ANSWER = {
    "success": True,
    "is_verified": True,
    "user_profile": {"user_id": 1234, "name": None, "photo_url": None, "username": None},
    "auth_token": "new-auth-token",
    "refresh_token": "new-refresh-jwt",
    "access_token": "new-access-jwt",
    "is_waitlisted": True,
    "is_onboarding": True,
}


async def refresh_and_check(session: ClubhouseSession) -> TokenPair:
    result = await session.refresh_token("old-refresh")
    assert session.credentials.access_token == "fresh-access"
    assert session.credentials.refresh_token == "fresh-refresh"
    return result


def check_token_pair(result: TokenPair) -> None:
    assert result.access == "fresh-access" and result.refresh == "fresh-refresh"
    assert "fresh-access" not in repr(result)


async def logout_and_check(session: ClubhouseSession) -> SuccessResponse:
    session.credentials.refresh_token = "some-refresh"
    result = await session.logout()
    creds = session.credentials
    assert creds.auth_token is None and creds.access_token is None and creds.refresh_token is None
    assert creds.user_id == 42 and creds.device_id == "DEVICE-1"
    return result


# -- account state ------------------------------------------------------------------------


def check_update(result: UpdateCheck) -> None:
    assert result.has_update is True and result.is_mandatory is True
    assert result.app_build == 262 and result.app_version == "0.1.24"


def check_no_update(result: UpdateCheck) -> None:
    assert result.has_update is False and result.app_build is None


def check_waitlist(result: WaitlistStatus) -> None:
    assert result.is_waitlisted is True and result.is_onboarding is False


def check_me(result: MeResult) -> None:
    assert isinstance(result, MeResult)
    assert result.user_profile is not None and result.user_profile.user_id == 42
    assert result.following_ids == [1, 2] and result.blocked_ids == []
    assert result.actionable_notifications_count == 3
    assert result.feature_flags == ["a"]
    assert "me-token" not in repr(result)


def check_me_blocked_ids(result: MeResult) -> None:
    assert result.blocked_ids == [9] and result.following_ids == []


def check_release_notes(result: ReleaseNotes) -> None:
    assert result.should_display is True and result.action == "See What's New"


def check_no_release_notes(result: ReleaseNotes) -> None:
    assert result.should_display is False and result.title is None


def check_photo(result: PhotoResult) -> None:
    assert result.photo_url == "https://cdn.example.test/42.jpg"


async def upload_from_path(session: ClubhouseSession) -> PhotoResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "me.jpg"
        path.write_bytes(JPEG)
        return await session.update_photo(path)


def check_settings(result: NotificationSettings) -> None:
    assert result.notifications_enable_trending is True
    assert result.notifications_frequency == 3
    assert result.notifications_is_paused is False


CASES: list[EndpointCase] = [
    EndpointCase(
        name="start_phone_number_auth",
        call=lambda s: s.start_phone_number_auth(PHONE),
        body={"phone_number": PHONE},
        response={
            "success": True,
            "is_blocked": False,
            "number_of_attempts_remaining": 3,
            "send_rc_token": True,
            "num_digits": 4,
        },
        check=check_start,
    ),
    EndpointCase(
        name="start_phone_number_auth",
        id="start_phone_number_auth-blocked",
        call=lambda s: s.start_phone_number_auth(PHONE),
        body={"phone_number": PHONE},
        response={"success": True, "is_blocked": True},
        check=check_blocked,
    ),
    EndpointCase(
        name="resend_phone_number_auth",
        call=lambda s: s.resend_phone_number_auth(PHONE),
        body={"phone_number": PHONE},
        response={"success": True, "error_message": None},
        check=check_resend,
    ),
    EndpointCase(
        name="call_phone_number_auth",
        call=lambda s: s.call_phone_number_auth(PHONE),
        body={"phone_number": PHONE},
        response={"success": True, "is_verified": False, "number_of_attempts_remaining": 2},
        check=check_call,
    ),
    # iOS 434 (clubhouse-py 434.0.1): four keys, no SafetyNet.
    EndpointCase(
        name="complete_phone_number_auth",
        call=complete_and_check_credentials,
        body={
            "device_token": None,
            "rc_token": None,
            "phone_number": PHONE,
            "verification_code": "1234",
        },
        response=LOGIN_ANSWER,
        check=check_login,
    ),
    EndpointCase(
        name="complete_phone_number_auth",
        id="complete_phone_number_auth-rc-token",
        call=lambda s: s.complete_phone_number_auth(PHONE, "9876", rc_token="rc-1"),
        body={
            "device_token": None,
            "rc_token": "rc-1",
            "phone_number": PHONE,
            "verification_code": "9876",
        },
        response=LOGIN_ANSWER,
        check=check_login,
    ),
    EndpointCase(
        name="complete_phone_number_auth",
        id="complete_phone_number_auth-ios-device-token",
        call=lambda s: s.complete_phone_number_auth(PHONE, "9876", device_token="apns-1"),
        body={
            "device_token": "apns-1",
            "rc_token": None,
            "phone_number": PHONE,
            "verification_code": "9876",
        },
        response=LOGIN_ANSWER,
        check=check_login,
    ),
    # Android 0.1.4: five keys, nulls included, no device_token.
    EndpointCase(
        name="complete_phone_number_auth",
        id="complete_phone_number_auth-android",
        identity=ANDROID,
        call=complete_and_check_credentials,
        body={
            "verification_code": "1234",
            "phone_number": PHONE,
            "safety_net_nonce": None,
            "safety_net_response": None,
            "rc_token": None,
        },
        response=LOGIN_ANSWER,
        check=check_login,
    ),
    EndpointCase(
        name="complete_phone_number_auth",
        id="complete_phone_number_auth-android-safety-net",
        identity=ANDROID,
        call=lambda s: s.complete_phone_number_auth(
            PHONE, "9876", safety_net_nonce="nonce-1", safety_net_response="jws-1"
        ),
        body={
            "verification_code": "9876",
            "phone_number": PHONE,
            "safety_net_nonce": "nonce-1",
            "safety_net_response": "jws-1",
            "rc_token": None,
        },
        response=LOGIN_ANSWER,
        check=check_login,
    ),
    EndpointCase(
        name="check_for_update",
        id="check_for_update-android",
        identity=ANDROID,
        call=lambda s: s.check_for_update(),
        response={"has_update": False, "success": True},
        check=check_no_update,
    ),
    EndpointCase(
        name="check_for_update",
        call=lambda s: s.check_for_update(),
        query={"is_testflight": "0"},
        response={
            "has_update": True,
            "is_mandatory": True,
            "app_url": "https://apps.apple.com/us/app/id1503133294",
            "app_version": "0.1.24",
            "app_build": 262,
            "success": True,
        },
        check=check_update,
    ),
    EndpointCase(
        name="check_for_update",
        id="check_for_update-testflight",
        call=lambda s: s.check_for_update(is_testflight=True),
        query={"is_testflight": "1"},
        response={"has_update": False, "success": True},
        check=check_no_update,
    ),
    EndpointCase(
        name="refresh_token",
        call=refresh_and_check,
        body={"refresh": "old-refresh"},
        response={"access": "fresh-access", "refresh": "fresh-refresh"},
        check=check_token_pair,
    ),
    EndpointCase(name="logout", call=logout_and_check, body={}, check=is_success),
    EndpointCase(
        name="deactivate_account", call=lambda s: s.deactivate_account(), check=is_success
    ),
    EndpointCase(
        name="check_waitlist_status",
        call=lambda s: s.check_waitlist_status(),
        response={"is_waitlisted": True, "is_onboarding": False, "success": True},
        check=check_waitlist,
    ),
    EndpointCase(
        name="me",
        call=lambda s: s.me(),
        body={
            "return_blocked_ids": False,
            "timezone_identifier": "UTC",
            "return_following_ids": False,
        },
        response={
            "has_unread_notifications": True,
            "actionable_notifications_count": 3,
            "num_invites": 0,
            "auth_token": "me-token",
            "notifications_enabled": False,
            "user_profile": {"user_id": 42, "name": "Ada", "photo_url": None, "username": "ada"},
            "following_ids": [1, 2],
            "blocked_ids": None,
            "is_admin": False,
            "email": None,
            "feature_flags": ["a"],
            "success": True,
        },
        check=check_me,
    ),
    EndpointCase(
        name="me",
        id="me-with-ids",
        call=lambda s: s.me(
            return_blocked_ids=True,
            timezone_identifier="America/Los_Angeles",
            return_following_ids=True,
        ),
        body={
            "return_blocked_ids": True,
            "timezone_identifier": "America/Los_Angeles",
            "return_following_ids": True,
        },
        response={"user_profile": {"user_id": 42}, "blocked_ids": [9], "success": True},
        check=check_me_blocked_ids,
    ),
    EndpointCase(
        name="get_release_notes",
        call=lambda s: s.get_release_notes(),
        response={
            "should_display": True,
            "title": "You are now using the latest update",
            "action": "See What's New",
            "url": "https://whatsnew.example.test",
        },
        check=check_release_notes,
    ),
    EndpointCase(
        name="get_release_notes",
        id="get_release_notes-builds",
        call=lambda s: s.get_release_notes(previous_build=304, current_build=434),
        body={"previous_build": 304, "current_build": 434},
        response={"should_display": False},
        check=check_no_release_notes,
    ),
    EndpointCase(
        name="add_email",
        call=lambda s: s.add_email("ada@example.test"),
        body={"email": "ada@example.test"},
        check=is_success,
    ),
    EndpointCase(
        name="update_photo",
        id="update_photo-bytes",
        call=lambda s: s.update_photo(JPEG),
        multipart=True,
        response={"success": True, "photo_url": "https://cdn.example.test/42.jpg"},
        check=check_photo,
    ),
    EndpointCase(
        name="update_photo",
        id="update_photo-path",
        call=upload_from_path,
        multipart=True,
        response={"success": True, "photo_url": "https://cdn.example.test/42.jpg"},
        check=check_photo,
    ),
    EndpointCase(
        name="update_name",
        call=lambda s: s.update_name("Ada Lovelace"),
        body={"name": "Ada Lovelace"},
        response={"success": True, "error_message": None},
        check=is_success,
    ),
    EndpointCase(
        name="update_displayname",
        call=lambda s: s.update_displayname("Ada"),
        body={"name": "Ada"},
        check=is_success,
    ),
    EndpointCase(
        name="update_username",
        call=lambda s: s.update_username("ada"),
        body={"username": "ada"},
        response={"success": True, "error_message": None},
        check=is_success,
    ),
    EndpointCase(
        name="update_username",
        id="update_username-twitter",
        call=lambda s: s.update_username("ada", twitter_token="tt", twitter_secret="ts"),
        body={"username": "ada", "twitter_token": "tt", "twitter_secret": "ts"},
        check=is_success,
    ),
    EndpointCase(
        name="update_twitter_username",
        call=lambda s: s.update_twitter_username("ada", twitter_token="tt", twitter_secret="ts"),
        body={"username": "ada", "twitter_token": "tt", "twitter_secret": "ts"},
        check=is_success,
    ),
    EndpointCase(
        name="update_instagram_username",
        call=lambda s: s.update_instagram_username("oauth-code"),
        body={"code": "oauth-code"},
        check=is_success,
    ),
    EndpointCase(
        name="update_bio",
        call=lambda s: s.update_bio("Counting engines"),
        body={"bio": "Counting engines"},
        check=is_success,
    ),
    EndpointCase(
        name="update_bio",
        id="update_bio-clear",
        call=lambda s: s.update_bio(""),
        body={"bio": ""},
        check=is_success,
    ),
    EndpointCase(
        name="update_skintone",
        call=lambda s: s.update_skintone(),
        body={"skintone": 1},
        check=is_success,
    ),
    EndpointCase(
        name="update_skintone",
        id="update_skintone-5",
        call=lambda s: s.update_skintone(5),
        body={"skintone": 5},
        check=is_success,
    ),
    EndpointCase(
        name="update_notifications",
        call=lambda s: s.update_notifications(),
        body={
            "enable_trending": -1,
            "pause_till": -1,
            "is_sandbox": False,
            "apn_token": None,
            "system_enabled": 2,
            "frequency": -1,
        },
        check=is_success,
    ),
    EndpointCase(
        name="update_notifications",
        id="update_notifications-apns",
        call=lambda s: s.update_notifications(is_sandbox=True, apn_token="apns-token"),
        body={
            "enable_trending": -1,
            "pause_till": -1,
            "is_sandbox": True,
            "apn_token": "apns-token",
            "system_enabled": 2,
            "frequency": -1,
        },
        check=is_success,
    ),
    EndpointCase(
        name="update_notifications",
        id="update_notifications-android",
        identity=ANDROID,
        call=lambda s: s.update_notifications(fcm_token="fcm-token"),
        body={
            "enable_trending": -1,
            "pause_till": -1,
            "fcm_token": "fcm-token",
            "system_enabled": 2,
            "frequency": -1,
        },
        check=is_success,
    ),
    EndpointCase(
        name="update_notifications",
        id="update_notifications-set",
        call=lambda s: s.update_notifications(enable_trending=1, pause_till=5, frequency=3),
        body={
            "enable_trending": 1,
            "pause_till": 5,
            "is_sandbox": False,
            "apn_token": None,
            "system_enabled": 2,
            "frequency": 3,
        },
        check=is_success,
    ),
    EndpointCase(
        name="get_settings",
        call=lambda s: s.get_settings(),
        response={
            "notifications_enable_trending": True,
            "notifications_frequency": 3,
            "notifications_is_paused": False,
            "success": True,
        },
        check=check_settings,
    ),
    EndpointCase(
        name="update_follow_notifications",
        call=lambda s: s.update_follow_notifications(7),
        body={"user_id": 7, "notification_type": 2},
        check=is_success,
    ),
    EndpointCase(
        name="update_follow_notifications",
        id="update_follow_notifications-never",
        call=lambda s: s.update_follow_notifications(7, notification_type=3),
        body={"user_id": 7, "notification_type": 3},
        check=is_success,
    ),
    EndpointCase(
        name="add_user_topic",
        call=lambda s: s.add_user_topic(140),
        body={"club_id": None, "topic_id": 140},
        check=is_success,
    ),
    EndpointCase(
        name="add_user_topic",
        id="add_user_topic-club",
        call=lambda s: s.add_user_topic(140, club_id=12),
        body={"club_id": 12, "topic_id": 140},
        check=is_success,
    ),
    EndpointCase(
        name="remove_user_topic",
        call=lambda s: s.remove_user_topic(140),
        body={"club_id": None, "topic_id": 140},
        check=is_success,
    ),
    EndpointCase(
        name="record_action_trails",
        call=lambda s: s.record_action_trails(client_time_created=1612971962),
        body={
            "action_trails": [
                {"blob_data": {}, "trail_type": "app_opened", "client_time_created": 1612971962}
            ]
        },
        check=is_success,
    ),
    EndpointCase(
        name="report_incident",
        call=lambda s: s.report_incident(
            7,
            incident_type=ReportReason.TROLLING,
            incident_description="spam",
            channel="abcdefgh",
            email="ada@example.test",
        ),
        multipart=True,
        check=is_success,
    ),
    EndpointCase(
        name="report_incident",
        id="report_incident-attachment",
        call=lambda s: s.report_incident(7, incident_type="other", attachment=JPEG),
        multipart=True,
        check=is_success,
    ),
]
