"""Accounts in the world: phone login, sessions, token rotation, profile edits."""

from __future__ import annotations

import base64
import json

import pytest

from aioclubhouse.emulator.errors import THROTTLED, WorldError

from .world_support import make_world

PHONE = "+14155550100"


def test_codes_count_down_then_throttle() -> None:
    world = make_world(max_auth_attempts=3).world
    assert [world.accounts.send_code(PHONE) for _ in range(3)] == [2, 1, 0]
    with pytest.raises(WorldError) as refusal:
        world.accounts.send_code(PHONE)
    assert refusal.value.message == THROTTLED
    assert refusal.value.status == 200


@pytest.mark.parametrize("number", ["4155550100", "+0123456789", "+1 415 555", "phone", "+1"])
def test_only_e164_numbers_are_accepted(number: str) -> None:
    world = make_world().world
    with pytest.raises(WorldError, match="valid phone number"):
        world.accounts.send_code(number)


def test_complete_creates_the_user_once() -> None:
    setup = make_world()
    world = setup.world
    world.accounts.send_code(PHONE)
    user, session, is_new = world.accounts.complete_phone_auth(PHONE, "123456", device_id="D1")
    assert is_new and user.is_onboarding and not user.is_waitlisted
    assert user.phone_number == PHONE and user.name is None
    assert setup.hub.grants[session.auth_token] == {f"users.{user.user_id}"}
    world.accounts.send_code(PHONE)
    again, second, is_new = world.accounts.complete_phone_auth(PHONE, "123456", device_id="D2")
    assert again is user and not is_new
    assert second.auth_token != session.auth_token


def test_wrong_codes_count_down_and_a_code_must_be_requested_first() -> None:
    world = make_world(max_auth_attempts=2).world
    with pytest.raises(WorldError, match="request a verification code"):
        world.accounts.complete_phone_auth(PHONE, "123456", device_id=None)
    world.accounts.send_code(PHONE)
    with pytest.raises(WorldError) as first:
        world.accounts.complete_phone_auth(PHONE, "000000", device_id=None)
    assert first.value.extra == {"is_verified": False, "number_of_attempts_remaining": 1}
    with pytest.raises(WorldError) as second:
        world.accounts.complete_phone_auth(PHONE, "000000", device_id=None)
    assert second.value.message == THROTTLED
    with pytest.raises(WorldError, match="request a verification code"):
        world.accounts.complete_phone_auth(PHONE, "123456", device_id=None)


def test_new_users_can_start_on_the_waitlist_unless_invited() -> None:
    world = make_world(new_users_waitlisted=True).world
    host = world.create_user(name="Ina Inviter")
    world.social.invite_to_app(host, "+14155550199")
    for phone in (PHONE, "+14155550199"):
        world.accounts.send_code(phone)
    waiting, _, _ = world.accounts.complete_phone_auth(PHONE, "123456", device_id=None)
    invited, _, _ = world.accounts.complete_phone_auth("+14155550199", "123456", device_id=None)
    assert waiting.is_waitlisted and not invited.is_waitlisted
    assert invited.invited_by == host.user_id
    world.social.invite_from_waitlist(host, waiting.user_id)
    assert not waiting.is_waitlisted


def test_access_tokens_are_jwts_that_expire() -> None:
    setup = make_world(access_token_ttl=60.0)
    world = setup.world
    user = world.create_user(name="Jo Jwt")
    tokens = world.issue_tokens(user.user_id)
    payload = tokens["access_token"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["token_type"] == "access" and claims["user_id"] == user.user_id
    grant = world.accounts.access_grant(tokens["access_token"])
    assert grant is not None and grant.expires_at == setup.clock.now + 60.0


def test_refresh_rotates_and_the_old_refresh_token_stops_working() -> None:
    world = make_world().world
    user = world.create_user(name="Ray Refresh")
    tokens = world.issue_tokens(user.user_id)
    pair = world.accounts.refresh(tokens["refresh_token"])
    assert pair is not None
    access, refresh = pair
    assert access != tokens["access_token"] and refresh != tokens["refresh_token"]
    assert world.accounts.refresh(tokens["refresh_token"]) is None
    assert world.accounts.refresh(refresh) is not None
    assert world.accounts.refresh("not-a-token") is None


def test_logout_kills_every_token_of_the_session() -> None:
    setup = make_world()
    world = setup.world
    user = world.create_user(name="Lou Logout")
    tokens = world.issue_tokens(user.user_id)
    other = world.issue_tokens(user.user_id)
    session = world.accounts.session(tokens["auth_token"])
    assert session is not None
    world.accounts.logout(session)
    assert world.accounts.session(tokens["auth_token"]) is None
    assert world.accounts.access_grant(tokens["access_token"]) is None
    assert world.accounts.refresh(tokens["refresh_token"]) is None
    assert tokens["auth_token"] in setup.hub.revoked
    assert world.accounts.session(other["auth_token"]) is not None


def test_username_rules() -> None:
    world = make_world().world
    first = world.create_user(name="Uma User", username="uma")
    second = world.create_user(name="Uma Other")
    assert second.username == "umaother"
    with pytest.raises(WorldError, match="already been taken"):
        world.accounts.update_username(second, "UMA")
    with pytest.raises(WorldError, match="not allowed"):
        world.accounts.update_username(second, "")
    world.accounts.update_username(first, "uma_2")
    assert world.accounts.by_username("uma") is None
    assert world.accounts.by_username("@Uma_2") is first


def test_onboarding_ends_with_name_and_username() -> None:
    world = make_world().world
    world.accounts.send_code(PHONE)
    user, _, _ = world.accounts.complete_phone_auth(PHONE, "123456", device_id=None)
    world.accounts.update_name(user, "Olu Onboard")
    assert user.is_onboarding
    world.accounts.update_username(user, "olu")
    assert not user.is_onboarding


def test_deactivation_logs_out_and_leaves_the_room() -> None:
    setup = make_world()
    world = setup.world
    moe = world.create_user(name="Moe M")
    quitter = world.create_user(name="Quin Quit")
    tokens = world.issue_tokens(quitter.user_id)
    room = world.rooms.create(moe)
    world.rooms.join(quitter, room.channel)
    world.accounts.deactivate(quitter)
    assert quitter.user_id not in room.users
    assert world.accounts.session(tokens["auth_token"]) is None
    with pytest.raises(WorldError):
        world.user(quitter.user_id)


def test_expired_tokens_are_forgotten_by_the_sweep() -> None:
    setup = make_world(access_token_ttl=10.0)
    world = setup.world
    tokens = world.issue_tokens(world.create_user(name="Eve Expire").user_id)
    setup.clock.advance(11)
    world.sweep()
    assert tokens["access_token"] not in world.state.access_tokens
    assert tokens["refresh_token"] in world.state.refresh_tokens


def test_tokens_never_show_in_reprs() -> None:
    world = make_world().world
    moe = world.create_user(name="Moe M")
    tokens = world.issue_tokens(moe.user_id)
    room = world.rooms.create(moe)
    room_token = world.rooms.pubnub_token(room, moe.user_id)
    session = world.accounts.session(tokens["auth_token"])
    grant = world.accounts.access_grant(tokens["access_token"])
    shown = repr(world.state) + repr(session) + repr(grant) + repr(room)
    for secret in (*tokens.values(), room_token, world.state.secret):
        assert secret not in shown
