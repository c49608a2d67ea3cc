"""The SDK over a socket sends what the official apps send (docs/protocol.md B and G),
as the emulator received it: headers from its request log, bodies from what it kept."""

from __future__ import annotations

import time

from aioclubhouse import AppIdentity, ClubhouseSession, ReportReason
from aioclubhouse.emulator import Emulator, ReceivedRequest

from .conftest import SessionFactory

PHONE = "+15550107777"
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(200)) + b"\xff\xd9"


def only(emulator: Emulator, endpoint: str) -> ReceivedRequest:
    (request,) = emulator.api_requests.to(endpoint)
    return request


def assert_carries_login(request: ReceivedRequest, user_id: int, scheme: str = "Token") -> None:
    assert request.authorization == scheme
    assert request.credential_owner == user_id
    assert request.headers["CH-UserID"] == str(user_id)


async def test_calls_that_work_logged_out_carry_the_login_once_there_is_one(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    ch = session_for("Logged In")
    user_id = ch.credentials.user_id
    assert user_id is not None
    update = await ch.check_for_update()
    assert update.has_update is False
    await ch.check_waitlist_status()
    assert_carries_login(only(clubhouse_emulator, "check_for_update"), user_id)
    waitlist = only(clubhouse_emulator, "check_waitlist_status")
    assert waitlist.method == "GET" and waitlist.status == 200
    assert_carries_login(waitlist, user_id)


async def test_a_renewal_goes_out_with_the_expired_login_and_is_answered(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    ch = session_for("Renewing", auth_mode="bearer")
    user_id = ch.credentials.user_id
    assert user_id is not None
    past_expiry = time.time() + clubhouse_emulator.config.access_token_ttl + 60
    clubhouse_emulator.world.clock = lambda: past_expiry

    await ch.me()

    refused, renewal, served = clubhouse_emulator.api_requests
    assert [r.endpoint for r in (refused, renewal, served)] == ["me", "refresh_token", "me"]
    assert (refused.status, renewal.status, served.status) == (401, 200, 200)
    # The refused JWT still names its owner: the renewal carried the user's login.
    assert_carries_login(renewal, user_id, "Bearer")
    assert_carries_login(served, user_id, "Bearer")


async def test_an_ios_login_from_the_first_code_to_me(clubhouse_emulator: Emulator) -> None:
    code = clubhouse_emulator.config.verification_code
    async with ClubhouseSession(base_url=clubhouse_emulator.base_url, rate_limit=None) as ch:
        await ch.start_phone_number_auth(PHONE)
        await ch.complete_phone_number_auth(PHONE, code)
        await ch.me()
        device_id = ch.credentials.device_id
        user_id = ch.credentials.user_id
        auth_token = ch.credentials.auth_token
    assert user_id is not None and auth_token is not None and device_id == device_id.upper()
    start, complete, me = clubhouse_emulator.api_requests
    for logged_out in (start, complete):
        assert logged_out.status == 200
        assert logged_out.authorization is None
        assert logged_out.headers["CH-UserID"] == "(null)"
    assert_carries_login(me, user_id)
    for request in (start, complete, me):
        assert request.headers["User-Agent"] == "clubhouse/434 (iPhone; iOS 14.4; Scale/2.00)"
        assert request.headers["CH-AppBuild"] == "434"
        assert request.headers["CH-DeviceId"] == device_id
    session = clubhouse_emulator.world.accounts.session(auth_token)
    assert session is not None and session.device_id == device_id


async def test_an_android_login_from_the_first_code_to_me(clubhouse_emulator: Emulator) -> None:
    android = AppIdentity.android()
    code = clubhouse_emulator.config.verification_code
    async with ClubhouseSession(
        base_url=clubhouse_emulator.base_url, rate_limit=None, identity=android
    ) as ch:
        await ch.start_phone_number_auth(PHONE)
        await ch.complete_phone_number_auth(PHONE, code, safety_net_nonce="nonce")
        await ch.check_for_update()
        me = await ch.me()
        device_id = ch.credentials.device_id
        user_id = ch.credentials.user_id
        assert ch.identity.pubnub_sdk == "PubNub-Java-Unified/4.36.0"
    assert me.user_profile is not None and me.user_profile.user_id == user_id
    assert user_id is not None and device_id == device_id.lower()
    start, complete, update, me_request = clubhouse_emulator.api_requests
    for logged_out in (start, complete):
        assert logged_out.status == 200
        assert logged_out.authorization is None
        assert "CH-UserID" not in logged_out.headers
    for logged_in in (update, me_request):
        assert_carries_login(logged_in, user_id)
    for request in clubhouse_emulator.api_requests:
        assert request.headers["User-Agent"] == "clubhouse/android/1890"
        assert (request.headers["CH-AppBuild"], request.headers["CH-AppVersion"]) == (
            "1890",
            "0.1.4",
        )
        assert request.headers["CH-DeviceId"] == device_id
        assert "Accept-Language" not in request.headers


async def test_a_report_goes_up_as_the_apps_form(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    reporter, reported = session_for("Rita Reporter"), session_for("Tom Troll")
    assert reported.credentials.user_id is not None
    result = await reporter.report_incident(
        reported.credentials.user_id,
        incident_type=ReportReason.TROLLING,
        email="rita@example.test",
        incident_description="kept interrupting",
        attachment=JPEG,
    )
    assert result.success is True
    request = only(clubhouse_emulator, "report_incident")
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    (report,) = clubhouse_emulator.world.state.reports
    assert (report.reporter_id, report.user_id) == (
        reporter.credentials.user_id,
        reported.credentials.user_id,
    )
    assert report.incident_type == "trolling"
    assert (report.email, report.description, report.channel) == (
        "rita@example.test",
        "kept interrupting",
        None,
    )
    assert (report.attachment_filename, report.attachment_type) == ("attachment.jpg", "image/jpeg")
    assert report.attachment_size == len(JPEG)


async def test_a_club_invite_is_listed_then_accepted_with_the_apps_body(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    admin, member = session_for("Ada Admin"), session_for("Mel Member")
    assert member.credentials.user_id is not None
    created = await admin.create_club("Engines Club")
    club_id = created.club_id
    assert club_id is not None
    await admin.add_club_member(club_id, member.credentials.user_id)

    pending = await member.get_actionable_notifications()

    assert [item.club.club_id for item in pending if item.club] == [club_id]
    assert only(clubhouse_emulator, "get_actionable_notifications").method == "GET"
    await member.accept_club_member_invite(club_id)
    club = clubhouse_emulator.world.clubs.club(club_id)
    assert member.credentials.user_id in club.members
    assert await member.get_actionable_notifications() == []


async def test_a_nomination_is_turned_down_naming_the_nominee(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    admin, member, guest = session_for("Ada Admin"), session_for("Mel"), session_for("Gus")
    assert member.credentials.user_id is not None and guest.credentials.user_id is not None
    club_id = (await admin.create_club("Nominees")).club_id
    assert club_id is not None
    await admin.add_club_member(club_id, member.credentials.user_id)
    await member.accept_club_member_invite(club_id)
    await member.add_club_member(club_id, guest.credentials.user_id, reason="funny")
    (nominee,) = (await admin.get_club_nominations(club_id)).from_users
    assert nominee.invite_nomination_id is not None

    await admin.reject_club_nomination(
        club_id, nominee.invite_nomination_id, user_id=guest.credentials.user_id
    )

    assert (await admin.get_club_nominations(club_id)).from_users == []
    club = clubhouse_emulator.world.clubs.club(club_id)
    assert guest.credentials.user_id not in club.members
