"""One switch, ``AppIdentity.ios()`` or ``.android()``, changes everything platform-bound.

Headers, user agent, the logged-out ``CH-UserID``, the form of a new device id, the
login body and PubNub's ``pnsdk`` must all belong to the same app (docs/protocol.md B).
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest

from aioclubhouse import AppIdentity, ClubhouseSession, Credentials, InvalidArgumentError
from aioclubhouse.identity import Platform

from .scripted_server import Reply, scripted_server

PHONE = "+14155550123"
UPPER_UUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$")
LOWER_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
LOGIN = {
    "success": True,
    "user_profile": {"user_id": 1234},
    "auth_token": "auth-after-login",
    "access_token": "access-after-login",
    "refresh_token": "refresh-after-login",
}


def test_the_default_is_the_ios_app_build_434() -> None:
    identity = AppIdentity()
    assert identity == AppIdentity.ios() == AppIdentity(platform="ios")
    assert identity.platform is Platform.IOS
    assert (identity.build, identity.version) == ("434", "0.1.40")
    assert identity.effective_user_agent == "clubhouse/434 (iPhone; iOS 14.4; Scale/2.00)"
    assert identity.logged_out_user_id == "(null)"
    assert identity.login_fields == (
        "device_token",
        "rc_token",
        "phone_number",
        "verification_code",
    )
    assert identity.asks_testflight is True
    assert identity.pubnub_sdk == "PubNub-ObjC-iOS/4.15.11"
    assert identity.headers()["Accept-Language"] == "en-US;q=1"


def test_the_android_identity_is_the_official_app_0_1_4() -> None:
    identity = AppIdentity.android()
    assert identity == AppIdentity(platform=Platform.ANDROID) == AppIdentity(platform="android")
    assert (identity.build, identity.version) == ("1890", "0.1.4")
    assert identity.effective_user_agent == "clubhouse/android/1890"
    assert identity.logged_out_user_id is None
    assert identity.login_fields == (
        "verification_code",
        "phone_number",
        "safety_net_nonce",
        "safety_net_response",
        "rc_token",
    )
    assert identity.asks_testflight is False
    assert identity.pubnub_sdk == "PubNub-Java-Unified/4.36.0"
    assert identity.headers() == {
        "User-Agent": "clubhouse/android/1890",
        "CH-AppBuild": "1890",
        "CH-AppVersion": "0.1.4",
        "CH-Locale": "en_US",
        "CH-Languages": "en-US",
        "Accept": "application/json",
    }


def test_parts_can_be_overridden_but_the_platform_stays_whole() -> None:
    later = AppIdentity.android(
        build="4734", version="1.0.8", pubnub_sdk="PubNub-Java-Unified/5.2.0", locale="de_DE"
    )
    assert later.effective_user_agent == "clubhouse/android/4734"
    assert later.headers()["CH-AppBuild"] == "4734" and later.headers()["CH-Locale"] == "de_DE"
    assert later.pubnub_sdk == "PubNub-Java-Unified/5.2.0"
    assert later.login_fields == AppIdentity.android().login_fields
    houseclub = AppIdentity.ios(
        build="304", version="0.1.28", user_agent="clubhouse/304 (iPhone; iOS 13.5.1; Scale/3.00)"
    )
    assert houseclub.effective_user_agent.startswith("clubhouse/304 (iPhone")
    assert houseclub.pubnub_sdk == AppIdentity().pubnub_sdk


def test_an_unknown_platform_is_refused() -> None:
    with pytest.raises(InvalidArgumentError) as info:
        AppIdentity(platform="windows")
    assert info.value.field == "platform"
    assert "'ios'" in str(info.value) and "'android'" in str(info.value)


@pytest.mark.parametrize(
    ("identity", "form"),
    [(AppIdentity.ios(), UPPER_UUID), (AppIdentity.android(), LOWER_UUID)],
    ids=["ios", "android"],
)
async def test_a_new_login_gets_a_device_id_in_the_platforms_form(
    identity: AppIdentity, form: re.Pattern[str]
) -> None:
    assert form.match(identity.new_device_id())
    assert identity.new_device_id() != identity.new_device_id()
    async with ClubhouseSession(identity=identity) as session:
        device_id = session.credentials.device_id
    assert form.match(device_id)
    assert uuid.UUID(device_id).version == 4
    assert session.identity.pubnub_sdk == identity.pubnub_sdk


async def test_existing_credentials_keep_their_device_id(tmp_path: Path) -> None:
    """The form applies to new credentials only: a login's device id never changes."""
    path = tmp_path / "credentials.json"
    Credentials(user_id=5, auth_token="tok", device_id="0A1B2C3D-STORED-UPPER").save(path)
    session = ClubhouseSession.from_file(path, identity=AppIdentity.android())
    try:
        assert session.credentials.device_id == "0A1B2C3D-STORED-UPPER"
    finally:
        await session.close()
    given = Credentials(device_id="lower-given")
    async with ClubhouseSession(given, identity=AppIdentity.ios()) as session:
        assert session.credentials.device_id == "lower-given"


@pytest.mark.parametrize(
    "identity", [AppIdentity.ios(), AppIdentity.android()], ids=["ios", "android"]
)
async def test_the_login_request_is_the_platforms_from_headers_to_body(
    identity: AppIdentity,
) -> None:
    """Logged out, over a socket: identity headers, CH-UserID, device id and the body's
    keys in the app's order."""
    async with (
        scripted_server(Reply(json=LOGIN)) as server,
        ClubhouseSession(base_url=server.url, rate_limit=None, identity=identity) as session,
    ):
        await session.complete_phone_number_auth(PHONE, "1234", rc_token="rc")
        device_id = session.credentials.device_id
    (seen,) = server.seen
    body = json.loads(seen.body)
    assert list(body) == list(identity.login_fields)
    assert {k: v for k, v in body.items() if v is not None} == {
        "phone_number": PHONE,
        "verification_code": "1234",
        "rc_token": "rc",
    }
    for name, value in identity.headers().items():
        assert seen.headers[name] == value
    assert seen.headers["CH-DeviceId"] == device_id
    assert "Authorization" not in seen.headers
    if identity.platform is Platform.IOS:
        assert seen.headers["CH-UserID"] == "(null)"
        assert device_id == device_id.upper()
    else:
        assert "CH-UserID" not in seen.headers and "Accept-Language" not in seen.headers
        assert device_id == device_id.lower()
