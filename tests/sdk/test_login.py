"""Phone login, token renewal, logout and keeping credentials on disk."""

from __future__ import annotations

import errno
import json
import logging
import stat
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

from aioclubhouse.auth import CREDENTIALS_ENV, Credentials, default_credentials_path
from aioclubhouse.errors import (
    AuthenticationError,
    BadRequestError,
    ClubhouseError,
    CredentialsNotFoundError,
    InvalidArgumentError,
)
from aioclubhouse.redaction import live_secrets
from aioclubhouse.session import ClubhouseSession

BASE = "https://api.example.test/api/"
PHONE = "+14155550123"
THROTTLED = (
    "Our systems have detected high usage of this feature from your account. "
    "Please try again later."
)
LOGIN = {
    "success": True,
    "is_verified": True,
    "user_profile": {"user_id": 1234, "name": None, "photo_url": None, "username": None},
    "auth_token": "auth-token-after-login",
    "refresh_token": "refresh-jwt-after-login",
    "access_token": "access-jwt-after-login",
    "is_waitlisted": False,
    "is_onboarding": True,
}


def sent(mocked: aioresponses, path: str, method: str = "POST") -> list[Any]:
    """The calls made to ``path`` with ``method``, in order."""
    return list(mocked.requests.get((method, URL(BASE + path)), []))


def sent_json(call: Any) -> Any:
    return json.loads(call.kwargs["data"])


async def test_phone_login_updates_the_session_credentials(
    caplog: pytest.LogCaptureFixture,
) -> None:
    creds = Credentials(device_id="DEVICE-LOGIN")
    with aioresponses() as mocked:
        mocked.post(
            BASE + "start_phone_number_auth", payload={"success": True, "is_blocked": False}
        )
        mocked.post(BASE + "complete_phone_number_auth", payload=LOGIN)
        mocked.post(BASE + "me", payload={"user_profile": {"user_id": 1234}, "success": True})
        async with ClubhouseSession(creds, base_url=BASE, rate_limit=None) as session:
            started = await session.start_phone_number_auth(PHONE)
            assert started.is_blocked is False
            result = await session.complete_phone_number_auth(PHONE, "1234")
            await session.me()
            # The new tokens were handed to the log scrubber while the session lives.
            caplog.set_level(logging.INFO, logger="aioclubhouse")
            logging.getLogger("aioclubhouse").info("leaked %s", "auth-token-after-login")
    # ... and let go of when it closed.
    assert "auth-token-after-login" not in live_secrets

    assert result.user_id == 1234 and result.is_onboarding is True
    assert session.credentials is creds
    assert creds.user_id == 1234
    assert creds.auth_token == "auth-token-after-login"
    assert creds.access_token == "access-jwt-after-login"
    assert creds.refresh_token == "refresh-jwt-after-login"
    assert creds.device_id == "DEVICE-LOGIN"
    assert creds.is_logged_in

    (start,) = sent(mocked, "start_phone_number_auth")
    assert sent_json(start) == {"phone_number": PHONE}
    assert "Authorization" not in start.kwargs["headers"]
    (complete,) = sent(mocked, "complete_phone_number_auth")
    assert sent_json(complete)["verification_code"] == "1234"
    (me,) = sent(mocked, "me")
    assert me.kwargs["headers"]["Authorization"] == "Token auth-token-after-login"
    assert me.kwargs["headers"]["CH-UserID"] == "1234"
    assert me.kwargs["headers"]["CH-DeviceId"] == "DEVICE-LOGIN"

    assert "auth-token-after-login" not in caplog.text
    assert "<redacted>" in caplog.text
    assert "auth-token-after-login" not in repr(result)


async def test_wrong_code_raises_and_leaves_credentials_alone() -> None:
    creds = Credentials(user_id=7, auth_token="old-token", device_id="DEVICE-1")
    answer = {"success": True, "is_verified": False, "number_of_attempts_remaining": 2}
    with aioresponses() as mocked:
        mocked.post(BASE + "complete_phone_number_auth", payload=answer)
        async with ClubhouseSession(creds, base_url=BASE, rate_limit=None) as session:
            with pytest.raises(AuthenticationError) as info:
                await session.complete_phone_number_auth(PHONE, "0000")
    assert "2 attempts remaining" in str(info.value)
    assert info.value.body == answer
    assert (creds.user_id, creds.auth_token) == (7, "old-token")


async def test_throttled_start_raises_with_the_service_message() -> None:
    answer = {"success": False, "is_blocked": False, "error_message": THROTTLED}
    with aioresponses() as mocked:
        mocked.post(BASE + "start_phone_number_auth", payload=answer)
        async with ClubhouseSession(base_url=BASE, rate_limit=None) as session:
            with pytest.raises(BadRequestError) as info:
                await session.start_phone_number_auth(PHONE)
    assert info.value.message == THROTTLED
    assert THROTTLED in str(info.value)
    assert info.value.endpoint == "start_phone_number_auth"
    assert info.value.body["is_blocked"] is False


async def test_blocked_number_is_reported_not_raised() -> None:
    with aioresponses() as mocked:
        mocked.post(BASE + "start_phone_number_auth", payload={"success": True, "is_blocked": True})
        async with ClubhouseSession(base_url=BASE, rate_limit=None) as session:
            result = await session.start_phone_number_auth(PHONE)
    assert result.is_blocked is True and result.success is True


async def test_refresh_token_defaults_to_the_stored_one() -> None:
    creds = Credentials(user_id=7, access_token="a-1", refresh_token="r-1", auth_mode="bearer")
    with aioresponses() as mocked:
        mocked.post(BASE + "refresh_token", payload={"access": "a-2", "refresh": "r-2"})
        async with ClubhouseSession(creds, base_url=BASE, rate_limit=None) as session:
            pair = await session.refresh_token()
    (call,) = sent(mocked, "refresh_token")
    assert sent_json(call) == {"refresh": "r-1"}
    # Logged in, the renewal goes out with the login, as every other request does.
    assert call.kwargs["headers"]["Authorization"] == "Bearer a-1"
    assert call.kwargs["headers"]["CH-UserID"] == "7"
    assert (pair.access, pair.refresh) == ("a-2", "r-2")
    assert (creds.access_token, creds.refresh_token) == ("a-2", "r-2")


async def test_expired_bearer_token_is_renewed_and_saved(tmp_path: Path) -> None:
    path = tmp_path / "creds.json"
    Credentials(
        user_id=7, access_token="a-old", refresh_token="r-old", auth_mode="bearer", device_id="D-7"
    ).save(path)
    expired = {"detail": "Token is invalid or expired", "code": "token_not_valid"}
    with aioresponses() as mocked:
        mocked.post(BASE + "me", status=401, payload=expired)
        mocked.post(BASE + "refresh_token", payload={"access": "a-new", "refresh": "r-new"})
        mocked.post(BASE + "me", payload={"user_profile": {"user_id": 7}, "success": True})
        async with ClubhouseSession.from_file(path, base_url=BASE, rate_limit=None) as session:
            me = await session.me()
    assert me.user_profile is not None and me.user_profile.user_id == 7
    first, second = sent(mocked, "me")
    assert first.kwargs["headers"]["Authorization"] == "Bearer a-old"
    assert second.kwargs["headers"]["Authorization"] == "Bearer a-new"
    stored = Credentials.load(path)
    assert (stored.access_token, stored.refresh_token, stored.device_id) == (
        "a-new",
        "r-new",
        "D-7",
    )


async def test_logout_forgets_tokens_but_keeps_the_device() -> None:
    creds = Credentials(
        user_id=7, auth_token="t-1", access_token="a-1", refresh_token="r-1", device_id="D-1"
    )
    with aioresponses() as mocked:
        mocked.post(BASE + "logout", payload={"success": True})
        async with ClubhouseSession(creds, base_url=BASE, rate_limit=None) as session:
            await session.logout()
    (call,) = sent(mocked, "logout")
    assert sent_json(call) == {}
    assert call.kwargs["headers"]["Authorization"] == "Token t-1"
    assert (creds.auth_token, creds.access_token, creds.refresh_token) == (None, None, None)
    assert (creds.user_id, creds.device_id) == (7, "D-1")
    assert not creds.is_logged_in


def test_credentials_round_trip_with_owner_only_mode(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "credentials.json"
    original = Credentials(
        user_id=1234,
        auth_token="t-secret",
        access_token="a-secret",
        refresh_token="r-secret",
        device_id="DEVICE-XYZ",
        auth_mode="bearer",
    )
    written = original.save(path)
    assert written == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = Credentials.load(path)
    assert loaded == original
    assert "t-secret" not in repr(loaded)

    # Saving over an existing, looser file tightens it again.
    path.chmod(0o644)
    loaded.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_default_path_is_configured_in_one_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CREDENTIALS_ENV, raising=False)
    assert default_credentials_path().name == "credentials.json"
    configured = tmp_path / "elsewhere" / "login.json"
    monkeypatch.setenv(CREDENTIALS_ENV, str(configured))
    assert default_credentials_path() == configured
    written = Credentials(user_id=9, auth_token="env-token", device_id="ENV-DEVICE").save()
    assert written == configured and configured.exists()
    assert Credentials.load().device_id == "ENV-DEVICE"
    session = ClubhouseSession.from_file()
    assert session.credentials.user_id == 9 and session.credentials_path == configured


def test_loading_a_missing_or_broken_file_names_the_problem(tmp_path: Path) -> None:
    absent = tmp_path / "absent.json"
    with pytest.raises(CredentialsNotFoundError) as missing:
        Credentials.load(absent)
    assert isinstance(missing.value, FileNotFoundError)
    assert isinstance(missing.value, ClubhouseError)
    assert missing.value.filename == str(absent) == missing.value.path
    assert missing.value.errno == errno.ENOENT and missing.value.field == "path"
    assert isinstance(missing.value, InvalidArgumentError)  # what a missing file used to raise
    assert str(absent) in str(missing.value) and "aioclubhouse login" in str(missing.value)
    with pytest.raises(FileNotFoundError, match="aioclubhouse login"):
        ClubhouseSession.from_file(absent)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidArgumentError):
        Credentials.load(broken)


async def test_session_from_file_uses_the_stored_login(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    Credentials(user_id=55, auth_token="stored-token", device_id="STORED-DEVICE").save(path)
    with aioresponses() as mocked:
        mocked.get(BASE + "check_waitlist_status", payload={"is_waitlisted": False})
        async with ClubhouseSession.from_file(path, base_url=BASE, rate_limit=None) as session:
            status = await session.check_waitlist_status()
            assert session.user_id == 55
    assert status.is_waitlisted is False
    (call,) = sent(mocked, "check_waitlist_status", "GET")
    headers = call.kwargs["headers"]
    assert headers["Authorization"] == "Token stored-token"
    assert headers["CH-UserID"] == "55"
    assert headers["CH-DeviceId"] == "STORED-DEVICE"


async def test_login_then_save_then_from_file(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    with aioresponses() as mocked:
        mocked.post(BASE + "complete_phone_number_auth", payload=LOGIN)
        async with ClubhouseSession(base_url=BASE, rate_limit=None) as session:
            await session.complete_phone_number_auth(PHONE, "1234")
            session.save_credentials(path)
            device = session.credentials.device_id
    restored = ClubhouseSession.from_file(path, base_url=BASE)
    try:
        assert restored.user_id == 1234
        assert restored.credentials.auth_token == "auth-token-after-login"
        assert restored.credentials.device_id == device
    finally:
        await restored.close()
