"""The emulator takes the requests the official app sends (docs/protocol.md G) and keeps
what a test needs to see that they crossed the socket as sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from aioclubhouse.emulator.api.account import REPORT_REASONS

from .api_support import IDENTITY, Api, open_api

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(100)) + b"\xff\xd9"


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    async with open_api() as api:
        yield api


def login(api: Api, name: str) -> dict[str, Any]:
    return api.emulator.login(name=name)


def report_form(**fields: str | bytes) -> aiohttp.FormData:
    form = aiohttp.FormData(default_to_multipart=True)
    for key, value in fields.items():
        if isinstance(value, bytes):
            form.add_field(key, value, filename="attachment.jpg", content_type="image/png")
        else:
            form.add_field(key, value)
    return form


# -- report_incident ----------------------------------------------------------------------


async def test_a_multipart_report_is_kept_with_its_attachment(api: Api) -> None:
    me, them = login(api, "Rita Reporter"), login(api, "Tom Troll")
    form = report_form(
        user_id=str(them["user_id"]),
        incident_type="self-harm_or_suicide",
        email="rita@example.test",
        incident_description="see the picture",
        attachment=JPEG,
    )
    assert await api.ok("report_incident", data=form, token=me["auth_token"]) == {"success": True}
    (report,) = api.emulator.world.state.reports
    assert (report.reporter_id, report.user_id) == (me["user_id"], them["user_id"])
    assert report.incident_type == "self-harm_or_suicide"
    assert (report.email, report.description, report.channel) == (
        "rita@example.test",
        "see the picture",
        None,
    )
    assert (report.attachment_filename, report.attachment_type) == ("attachment.jpg", "image/png")
    assert report.attachment_size == len(JPEG)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"incident_type": "spam"}, "Unknown incident_type"),
        ({"incident_type": ""}, "incident_type"),
        ({}, "Missing field: incident_type"),
    ],
    ids=["unknown-reason", "blank-reason", "no-reason"],
)
async def test_a_report_needs_a_reason_the_service_knows(
    api: Api, fields: dict[str, str], problem: str
) -> None:
    me, them = login(api, "Rita Reporter"), login(api, "Tom Troll")
    form = report_form(user_id=str(them["user_id"]), email="", **fields)
    status, answer = await api.call("report_incident", data=form, token=me["auth_token"])
    assert status == 400 and answer["success"] is False
    assert problem in answer["error_message"]
    assert api.emulator.world.state.reports == []


async def test_the_old_numeric_json_report_is_refused(api: Api) -> None:
    me, them = login(api, "Rita Reporter"), login(api, "Tom Troll")
    body = {"user_id": them["user_id"], "incident_type": 2, "incident_description": "x"}
    status, answer = await api.call("report_incident", body, token=me["auth_token"])
    assert status == 400 and "incident_type" in answer["error_message"]


def test_the_service_knows_the_apps_reasons_but_blank() -> None:
    assert len(REPORT_REASONS) == 18 and "" not in REPORT_REASONS
    assert "abuse__bullying__or_harassment" in REPORT_REASONS


# -- plain GETs ----------------------------------------------------------------------------


async def test_actionable_notifications_come_whole_without_parameters(api: Api) -> None:
    world = api.emulator.world
    admin, member = login(api, "Ada Admin"), login(api, "Mel Member")
    founder = world.state.users[admin["user_id"]]
    for number in range(3):
        club = world.clubs.create(founder, name=f"Club {number}")
        world.clubs.add_member(founder, club, member["user_id"], reason=None)
    answer = await api.ok("get_actionable_notifications", method="GET", token=member["auth_token"])
    assert len(answer["notifications"]) == 3
    assert (answer["count"], answer["next"], answer["previous"]) == (3, None, None)
    # Page parameters are not the app's; the whole list comes back regardless.
    paged = await api.ok(
        "get_actionable_notifications",
        method="GET",
        params={"page_size": "1", "page": "2"},
        token=member["auth_token"],
    )
    assert paged == answer


async def test_waitlist_status_is_a_get(api: Api) -> None:
    me = login(api, "Wendy Waiting")
    answer = await api.ok("check_waitlist_status", method="GET", token=me["auth_token"])
    assert answer == {"is_waitlisted": False, "is_onboarding": False, "success": True}


# -- nominations ---------------------------------------------------------------------------


async def test_a_nomination_named_twice_must_name_the_same_person(api: Api) -> None:
    world = api.emulator.world
    admin, member, guest, other = (
        login(api, name) for name in ("Ada Admin", "Mel Member", "Gus Guest", "Oz Other")
    )
    users = world.state.users
    club = world.clubs.create(users[admin["user_id"]], name="Nominations")
    world.clubs.enroll(club, member["user_id"])
    world.clubs.add_member(users[member["user_id"]], club, guest["user_id"], reason="fun")
    (nomination_id,) = club.nominations
    wrong = {
        "club_id": club.club_id,
        "user_id": other["user_id"],
        "invite_nomination_id": nomination_id,
    }
    status, answer = await api.call("reject_club_nomination", wrong, token=admin["auth_token"])
    assert status == 400 and "not for this user" in answer["error_message"]
    right = {**wrong, "user_id": guest["user_id"]}
    await api.ok("reject_club_nomination", right, token=admin["auth_token"])
    assert club.nominations == {} and guest["user_id"] not in club.members


# -- the request log -----------------------------------------------------------------------


async def test_the_request_log_keeps_headers_but_not_credentials(api: Api) -> None:
    me = login(api, "Lou Logged")
    headers = {**IDENTITY, "CH-UserID": str(me["user_id"]), "Cookie": "__cfduid=secret-cookie"}
    await api.ok("check_for_update", method="GET", token=me["auth_token"], headers=headers)
    await api.ok("get_channels", method="GET", bearer=me["access_token"], headers=dict(IDENTITY))
    await api.call("get_channels", method="GET", token="not-a-token")
    await api.ok("check_for_update", method="GET")
    by_token, by_bearer, by_nobody, logged_out = api.emulator.api_requests
    assert by_token.headers["CH-UserID"] == str(me["user_id"])
    assert by_token.headers["CH-AppBuild"] == IDENTITY["CH-AppBuild"]
    assert (by_token.authorization, by_token.credential_owner) == ("Token", me["user_id"])
    assert (by_bearer.authorization, by_bearer.credential_owner) == ("Bearer", me["user_id"])
    assert (by_nobody.authorization, by_nobody.credential_owner) == ("Token", None)
    assert by_nobody.status == 401
    assert (logged_out.authorization, logged_out.credential_owner) == (None, None)
    for request in api.emulator.api_requests:
        kept = {name.lower() for name in request.headers}
        assert "authorization" not in kept and "cookie" not in kept
        assert me["auth_token"] not in repr(request) and "secret-cookie" not in repr(request)
