"""Tokens go only where they belong: the account's API token never to a third-party
PubNub origin, and room tokens leave the log scrubber with their rooms."""

from __future__ import annotations

import asyncio

import pytest

from aioclubhouse.auth import Credentials
from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.redaction import live_secrets
from aioclubhouse.rooms import Connected, RealtimePool, join_room, user_events
from aioclubhouse.rooms.realtime import RealtimeAccess, is_api_origin
from aioclubhouse.session import ClubhouseSession

from .helpers import People

REAL_API = "https://www.clubhouseapi.com/api/"


def real_service_session() -> ClubhouseSession:
    return ClubhouseSession(
        Credentials(user_id=1234, auth_token="api-token-of-the-account", device_id="device"),
        base_url=REAL_API,
    )


class NoNetworkPool(RealtimePool):
    """A pool that fails the test if anything tries to subscribe through it."""

    def subscribe(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        raise AssertionError("a subscription was attempted")


async def test_the_api_token_is_not_sent_to_a_foreign_pubnub_origin() -> None:
    session = real_service_session()
    try:
        with pytest.raises(InvalidArgumentError) as refused:
            user_events(session, pool=NoNetworkPool())
        assert refused.value.field == "pubnub_token"
        assert "api-token-of-the-account" not in str(refused.value)
        with pytest.raises(InvalidArgumentError):
            session.user_events(pool=NoNetworkPool())
        with pytest.raises(InvalidArgumentError):
            user_events(session, pubnub_origin="pubsub.example.net", pool=NoNetworkPool())
    finally:
        await session.close()


async def test_another_port_of_the_api_host_does_not_get_the_api_token() -> None:
    session = ClubhouseSession(
        Credentials(user_id=1234, auth_token="api-token-of-the-account", device_id="device"),
        base_url="http://127.0.0.1:8080/api/",
    )
    try:
        for elsewhere in ("127.0.0.1:8081", "127.0.0.1", "localhost:8080"):
            with pytest.raises(InvalidArgumentError) as refused:
                user_events(session, pubnub_origin=elsewhere, pool=NoNetworkPool())
            assert refused.value.field == "pubnub_token", elsewhere
        same = user_events(session, pubnub_origin="127.0.0.1:8080").access()
        assert same.auth_token == "api-token-of-the-account"
    finally:
        await session.close()


@pytest.mark.parametrize(
    ("origin", "ssl", "api", "same"),
    [
        ("127.0.0.1:8080", False, "http://127.0.0.1:8080/api/", True),
        ("127.0.0.1:8081", False, "http://127.0.0.1:8080/api/", False),
        ("127.0.0.1:8080", True, "http://127.0.0.1:8080/api/", False),  # another scheme
        ("api.example.com", True, "https://api.example.com/api/", True),
        ("api.example.com:443", True, "https://api.example.com:443/api/", True),
        ("api.example.com:8443", True, "https://api.example.com/api/", False),
        ("api.example.com", False, "http://api.example.com:80/", True),
        ("API.example.com", True, "https://api.example.com/", True),
        ("api.example.com:notaport", True, "https://api.example.com/", False),
        ("", True, "https://api.example.com/", False),
    ],
)
def test_the_api_origin_is_scheme_host_and_port(
    origin: str, ssl: bool, api: str, same: bool
) -> None:
    assert is_api_origin(origin, ssl, api) is same


async def test_an_explicit_pubnub_token_is_used_at_the_named_origin() -> None:
    session = real_service_session()
    try:
        stream = user_events(
            session, pubnub_token="pubnub-token", pubnub_origin="pubsub.example.net:8443"
        )
        access = stream.access()
        assert access.auth_token == "pubnub-token"
        assert (access.origin, access.ssl) == ("pubsub.example.net:8443", True)
        assert access.user_id == 1234
        default = user_events(session, pubnub_token="pubnub-token").access()
        assert default.origin == "clubhouse.pubnub.com"
        assert default.auth_token == "pubnub-token"
    finally:
        await session.close()


async def test_the_emulator_still_takes_the_api_token(people: People) -> None:
    session = await people.session("Una User")
    async with session.user_events(pool=people.pool) as stream:
        assert stream.access().auth_token == session.credentials.auth_token
        delivered = stream.events()
        assert isinstance(await anext(delivered), Connected)
        await delivered.aclose()  # type: ignore[attr-defined]
    assert people.pool.connection_count == 0
    # The API token is the session's to scrub: closing the stream keeps it scrubbed.
    assert session.credentials.auth_token in live_secrets


async def test_room_tokens_leave_the_log_scrubber_with_their_rooms(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    before = len(live_secrets)
    tokens = set()
    for _ in range(20):
        async with await join_room(session, channel, pool=people.pool) as room:
            assert room.joined.pubnub_token in live_secrets
            tokens.add(room.joined.pubnub_token)
    assert len(tokens) == 20
    assert len(live_secrets) == before
    assert session.credentials.auth_token in live_secrets


async def test_a_token_stays_scrubbed_while_another_connection_uses_it(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    other_pool = RealtimePool(people.pool.options)
    try:
        room = await join_room(session, channel, pool=people.pool)
        token = room.joined.pubnub_token
        access = room._link.access()
        assert access is not None
        twin = other_pool.subscribe(access, [f"channel_all.{channel}"], room)
        await twin.wait_connected()
        await room.leave()
        assert token in live_secrets  # the twin connection still uses it
        await twin.close()
        assert token not in live_secrets
    finally:
        await other_pool.close()


class Quiet:
    """A listener that ignores everything (the cycles below only open and close links)."""

    def realtime_messages(self, messages: object) -> None:
        return None

    def realtime_status(self, change: object) -> None:
        return None

    def realtime_failed(self, error: object) -> None:
        return None


async def test_a_thousand_links_leave_the_registry_where_it_started(people: People) -> None:
    """Every connection holds its token while it lives and releases it when it closes,
    whether it got as far as a request, a confirmed subscription or a new token."""
    emu = people.emu
    pool = people.pool
    before = len(live_secrets)
    tokens: list[str] = []

    def access(number: int) -> RealtimeAccess:
        token = f"cycle-token-{number:04d}-abcdefgh"
        tokens.append(token)
        emu.hub.grant(token, 4242, ["cycle"])
        return RealtimeAccess(origin=emu.origin, ssl=False, auth_token=token, user_id=4242)

    for number in range(1000):
        subscription = pool.subscribe(access(number), ["cycle"], Quiet())
        assert tokens[-1] in live_secrets
        if number % 50 == 0:  # some get as far as an accepted subscription ...
            await asyncio.wait_for(subscription.wait_connected(), 10)
        if number % 100 == 0:  # ... and some move to a new token first
            await subscription.reauthorize(access(-number - 1))
            assert tokens[-2] not in live_secrets and tokens[-1] in live_secrets
        else:
            await asyncio.sleep(0)  # let the link's task start its request
        await subscription.close()
        assert pool.connection_count == 0
    assert len(live_secrets) == before
    assert not any(token in live_secrets for token in tokens)
