"""The SDK against the emulator over real sockets: login, reads, pagination, rooms, errors."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from aioclubhouse import (
    AuthenticationError,
    BadRequestError,
    BannedError,
    ClubhouseSession,
    Credentials,
    ForbiddenError,
    InvalidArgumentError,
    RateLimitedError,
    RetryPolicy,
    RoomNotAvailableError,
    ServerError,
)
from aioclubhouse.emulator import Emulator

from .conftest import FAST_RETRY, SessionFactory

PHONE = "+15550104242"


async def test_phone_login_flow_then_saved_credentials(
    clubhouse_emulator: Emulator, tmp_path: Path
) -> None:
    async with ClubhouseSession(base_url=clubhouse_emulator.base_url, rate_limit=None) as ch:
        started = await ch.start_phone_number_auth(PHONE)
        assert started.success and not started.is_blocked
        with pytest.raises(BadRequestError, match="code"):
            await ch.complete_phone_number_auth(PHONE, "000000")
        assert ch.credentials.auth_token is None
        result = await ch.complete_phone_number_auth(
            PHONE, clubhouse_emulator.config.verification_code
        )
        assert result.user_profile is not None
        assert ch.credentials.user_id == result.user_profile.user_id
        assert ch.credentials.auth_token
        me = await ch.me()
        assert me.user_profile is not None
        assert me.user_profile.user_id == ch.credentials.user_id
        device_id = ch.credentials.device_id
        path = ch.credentials.save(tmp_path / "creds.json")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    async with ClubhouseSession.from_file(path, base_url=clubhouse_emulator.base_url) as again:
        assert again.credentials.device_id == device_id
        me_again = await again.me()
        assert me_again.user_profile is not None
        assert me_again.user_profile.user_id == result.user_profile.user_id


async def test_bad_phone_number_never_reaches_the_server(clubhouse_emulator: Emulator) -> None:
    async with ClubhouseSession(base_url=clubhouse_emulator.base_url) as ch:
        with pytest.raises(InvalidArgumentError, match="phone_number"):
            await ch.start_phone_number_auth("555-0104")


async def test_feed_profiles_and_pagination(session_for: SessionFactory) -> None:
    ch = session_for("Reader")
    feed = await ch.get_channels()
    assert feed.channels, "the sample world has live rooms"
    busiest = max(feed.channels, key=lambda room: room.num_all or 0)
    room = await ch.get_channel(busiest.channel)
    assert room.channel == busiest.channel and room.users

    # The most followed of the room's first users has more followers than fit on a page.
    followed = max(
        [await ch.get_profile(u.user_id) for u in room.users[:8]],
        key=lambda p: p.user_profile.num_followers or 0,
    ).user_profile
    assert (followed.num_followers or 0) > 10
    first = await ch.get_followers(followed.user_id, page_size=5)
    assert len(first.items) == 5 and first.next == 2
    every = [u async for u in ch.get_followers(followed.user_id, page_size=5)]
    assert len(every) == first.count == followed.num_followers
    assert len({u.user_id for u in every}) == len(every)
    limited = [u async for u in ch.get_followers(followed.user_id, page_size=3, limit=7)]
    assert [u.user_id for u in limited] == [u.user_id for u in every[:7]]


async def test_follow_and_unfollow_show_in_following(session_for: SessionFactory) -> None:
    alice, bob = session_for("Alice"), session_for("Bob")
    bob_id = bob.credentials.user_id
    assert bob_id is not None and alice.credentials.user_id is not None
    await alice.follow(bob_id)
    following = [u.user_id async for u in alice.get_following(alice.credentials.user_id)]
    assert bob_id in following
    followers = [u.user_id async for u in bob.get_followers(bob_id)]
    assert alice.credentials.user_id in followers
    await alice.unfollow(bob_id)
    following = [u.user_id async for u in alice.get_following(alice.credentials.user_id)]
    assert bob_id not in following


async def test_create_join_and_moderate_a_room(session_for: SessionFactory) -> None:
    host, guest = session_for("Host"), session_for("Guest")
    created = await host.create_channel(topic="Testing the SDK end to end")
    channel = created.channel
    assert created.pubnub_token and created.token and created.pubnub_enable
    assert created.pubnub_origin  # the emulator's own host:port

    joined = await guest.join_channel(channel)
    assert joined.pubnub_token and joined.pubnub_token != created.pubnub_token
    guest_id = guest.credentials.user_id
    assert guest_id is not None

    with pytest.raises(ForbiddenError):
        await guest.invite_speaker(channel, host.credentials.user_id or 0)

    await guest.audience_reply(channel, raise_hands=True, unraise_hands=False)
    await host.invite_speaker(channel, guest_id)
    accepted = await guest.accept_speaker_invite(channel, host.credentials.user_id or 0)
    assert accepted.token and accepted.pubnub_token
    room = await host.get_channel(channel)
    assert room.user(guest_id) is not None and room.user(guest_id).is_speaker  # type: ignore[union-attr]

    await host.make_moderator(channel, guest_id)
    room = await host.get_channel(channel)
    assert room.user(guest_id).is_moderator  # type: ignore[union-attr]

    ping = await guest.active_ping(channel)
    assert ping.should_leave is False
    await host.block_from_channel(channel, guest_id)
    ping = await guest.active_ping(channel)
    assert ping.should_leave is True

    await host.end_channel(channel)
    with pytest.raises(RoomNotAvailableError):
        await guest.join_channel(channel)


async def test_bearer_mode_refreshes_an_expired_access_token(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    ch = session_for("Jwt", auth_mode="bearer")
    old_access = ch.credentials.access_token
    past_expiry = time.time() + clubhouse_emulator.config.access_token_ttl + 60
    clubhouse_emulator.world.clock = lambda: past_expiry  # the access token has expired

    me = await ch.me()

    assert me.user_profile is not None
    assert ch.credentials.access_token != old_access
    assert [r.status for r in clubhouse_emulator.api_requests] == [401, 200, 200]
    assert [r.endpoint for r in clubhouse_emulator.api_requests] == ["me", "refresh_token", "me"]


async def test_forced_429s_are_retried_when_retry_after_allows(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    ch = session_for("Patient")
    clubhouse_emulator.faults.retry_after = 0
    clubhouse_emulator.faults.force_429 = 2

    feed = await ch.get_channels()

    assert feed.channels
    seen = clubhouse_emulator.api_requests.to("get_channels")
    assert [request.status for request in seen] == [429, 429, 200]


async def test_a_retry_waits_the_announced_retry_after(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    ch = session_for("Waiting")  # its own backoff is at most 0.05 s: the wait is the server's
    clubhouse_emulator.faults.retry_after = 1
    clubhouse_emulator.faults.force_429 = 1

    await ch.get_channels()

    refused, served = clubhouse_emulator.api_requests.to("get_channels")
    assert (refused.status, served.status) == (429, 200)
    assert served.received_at - refused.received_at >= 1.0


async def test_long_retry_after_raises(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    ch = session_for("Impatient", retry=RetryPolicy(max_retries=3, max_retry_after=1.0))
    clubhouse_emulator.faults.retry_after = 30
    clubhouse_emulator.faults.force_429 = 1
    with pytest.raises(RateLimitedError) as info:
        await ch.get_channels()
    assert info.value.retry_after == 30
    assert [r.status for r in clubhouse_emulator.api_requests.to("get_channels")] == [429]


async def test_server_errors_are_retried_then_raised(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    ch = session_for("Unlucky")
    clubhouse_emulator.faults.error_rate = 1.0
    with pytest.raises(ServerError):
        await ch.get_channels()
    failed = [r.status for r in clubhouse_emulator.api_requests.to("get_channels")]
    assert len(failed) == 1 + FAST_RETRY.max_retries
    assert set(failed) <= {500, 502, 503}

    clubhouse_emulator.faults.error_rate = 0.0
    assert (await ch.get_channels()).channels
    assert len(clubhouse_emulator.api_requests.to("get_channels")) == len(failed) + 1


async def test_banned_account_gets_banned_error(
    clubhouse_emulator: Emulator, session_for: SessionFactory
) -> None:
    ch = session_for("Troll")
    assert ch.credentials.user_id is not None
    clubhouse_emulator.world.user(ch.credentials.user_id).is_banned = True
    with pytest.raises(BannedError):
        await ch.me()


async def test_wrong_token_is_an_authentication_error(clubhouse_emulator: Emulator) -> None:
    creds = Credentials(user_id=1, auth_token="not-a-real-token")
    async with ClubhouseSession(
        creds, base_url=clubhouse_emulator.base_url, retry=FAST_RETRY
    ) as ch:
        with pytest.raises(AuthenticationError) as info:
            await ch.me()
    assert info.value.status == 401
    assert "not-a-real-token" not in str(info.value)
