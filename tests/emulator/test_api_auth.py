"""Logging in over HTTP, and the 401/403 answers of the service."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from aioclubhouse.emulator.errors import THROTTLED, WAITLISTED

from .api_support import Api, open_api

PHONE = "+14155550123"
NOT_PROVIDED = {"detail": "Authentication credentials were not provided."}
TOKEN_NOT_VALID = {"detail": "Token is invalid or expired", "code": "token_not_valid"}


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    async with open_api(max_auth_attempts=3) as api:
        yield api


async def test_phone_login_flow(api: Api) -> None:
    started = await api.ok("start_phone_number_auth", {"phone_number": PHONE})
    assert started["success"] is True and started["is_blocked"] is False
    assert started["number_of_attempts_remaining"] == 2
    wrong = await api.ok(
        "complete_phone_number_auth", {"phone_number": PHONE, "verification_code": "999999"}
    )
    assert wrong["success"] is False and wrong["is_verified"] is False
    assert wrong["number_of_attempts_remaining"] == 2
    login = await api.ok(
        "complete_phone_number_auth", {"phone_number": PHONE, "verification_code": "123456"}
    )
    assert login["success"] is True and login["is_verified"] is True
    assert set(login["user_profile"]) == {"user_id", "name", "photo_url", "username"}
    assert login["is_onboarding"] is True and login["is_waitlisted"] is False
    uid = login["user_profile"]["user_id"]
    assert api.emulator.hub.is_allowed(login["auth_token"], f"users.{uid}")

    me = await api.ok("me", {"return_following_ids": True}, token=login["auth_token"])
    assert me["user_profile"]["user_id"] == uid
    assert me["following_ids"] == [] and me["blocked_ids"] is None
    assert me["auth_token"] == login["auth_token"]
    by_bearer = await api.ok("check_waitlist_status", bearer=login["access_token"])
    assert by_bearer == {"is_waitlisted": False, "is_onboarding": True, "success": True}
    await api.ok("update_name", {"name": "Ada Lovelace"}, token=login["auth_token"])
    await api.ok("update_username", {"username": "ada"}, token=login["auth_token"])
    status = await api.ok("check_waitlist_status", token=login["auth_token"])
    assert status["is_onboarding"] is False


async def test_code_requests_are_throttled(api: Api) -> None:
    for remaining in (2, 1):
        answer = await api.ok("start_phone_number_auth", {"phone_number": PHONE})
        assert answer["number_of_attempts_remaining"] == remaining
    await api.ok("resend_phone_number_auth", {"phone_number": PHONE})
    throttled = await api.ok("start_phone_number_auth", {"phone_number": PHONE})
    assert throttled["success"] is False
    assert throttled["error_message"] == THROTTLED


async def test_missing_identity_headers_block_the_sign_in(api: Api) -> None:
    answer = await api.ok("start_phone_number_auth", {"phone_number": PHONE}, headers={})
    assert answer["success"] is True and answer["is_blocked"] is True


async def test_numbers_must_be_e164(api: Api) -> None:
    status, answer = await api.call("start_phone_number_auth", {"phone_number": "4155550123"})
    assert status == 400 and answer["success"] is False
    assert "phone number" in answer["error_message"]


async def test_no_or_bad_credentials_get_401(api: Api) -> None:
    assert await api.call("me") == (401, NOT_PROVIDED)
    assert await api.call("me", token="nonsense") == (401, NOT_PROVIDED)
    assert await api.call("get_channels", method="GET", bearer="a.b.c") == (401, TOKEN_NOT_VALID)


async def test_expired_access_token_then_refresh(api: Api) -> None:
    world = api.emulator.world
    tokens = api.emulator.login()
    ttl = api.emulator.config.access_token_ttl
    world.clock = lambda: time.time() + ttl + 60
    assert await api.call("me", bearer=tokens["access_token"]) == (401, TOKEN_NOT_VALID)
    fresh = await api.ok("refresh_token", {"refresh": tokens["refresh_token"]}, headers={})
    assert set(fresh) == {"access", "refresh"}
    me = await api.ok("me", bearer=fresh["access"])
    assert me["user_profile"]["user_id"] == tokens["user_id"]
    reused = await api.call("refresh_token", {"refresh": tokens["refresh_token"]})
    assert reused == (401, TOKEN_NOT_VALID)


async def test_banned_accounts_get_403(api: Api) -> None:
    tokens = api.emulator.login()
    api.emulator.world.state.users[tokens["user_id"]].is_banned = True
    forbidden = {"detail": "You do not have permission to perform this action."}
    assert await api.call("me", token=tokens["auth_token"]) == (403, forbidden)
    assert await api.call("get_channels", method="GET", token=tokens["auth_token"]) == (
        403,
        forbidden,
    )


async def test_logout_ends_the_session(api: Api) -> None:
    tokens = api.emulator.login()
    await api.ok("logout", {}, token=tokens["auth_token"])
    assert await api.call("me", token=tokens["auth_token"]) == (401, NOT_PROVIDED)
    assert await api.call("me", bearer=tokens["access_token"]) == (401, TOKEN_NOT_VALID)


async def test_waitlisted_accounts_may_only_onboard() -> None:
    async with open_api(new_users_waitlisted=True) as api:
        await api.ok("start_phone_number_auth", {"phone_number": PHONE})
        login = await api.ok(
            "complete_phone_number_auth", {"phone_number": PHONE, "verification_code": "123456"}
        )
        assert login["is_waitlisted"] is True
        token = login["auth_token"]
        await api.ok("me", token=token)
        await api.ok("update_name", {"name": "Wai Tlist"}, token=token)
        refused = await api.call("get_channels", method="GET", token=token)
        assert refused == (400, {"success": False, "error_message": WAITLISTED})
        host = api.emulator.login()
        uid = login["user_profile"]["user_id"]
        await api.ok("invite_from_waitlist", {"user_id": uid}, token=host["auth_token"])
        await api.ok("get_channels", method="GET", token=token)
