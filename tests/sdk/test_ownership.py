"""Who owns what: one closed state whoever owns the pool, and secrets held only while in use.

Both API sessions run here over real sockets (the scripted server), with their own
HTTP pool and with one lent by the caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest

from aioclubhouse import (
    ClubhouseAPI,
    ClubhouseSession,
    Credentials,
    RateLimit,
    SessionClosedError,
)
from aioclubhouse.clarity import ClaritySession
from aioclubhouse.lifecycle import ApiSession
from aioclubhouse.redaction import live_secrets

from .scripted_server import Reply, ScriptedServer, scripted_server


@asynccontextmanager
async def pool(lent: bool) -> AsyncIterator[aiohttp.ClientSession | None]:
    """A caller's pool to lend, or None for a session that makes its own."""
    if not lent:
        yield None
        return
    async with aiohttp.ClientSession() as http:
        yield http


def clubhouse(server: ScriptedServer, http: aiohttp.ClientSession | None, **kw: Any) -> ApiSession:
    creds = Credentials(user_id=7, auth_token="ownership-auth-token")
    kw.setdefault("rate_limit", None)
    return ClubhouseSession(creds, base_url=server.url, http_session=http, **kw)


def clarity(server: ScriptedServer, http: aiohttp.ClientSession | None, **kw: Any) -> ApiSession:
    kw.setdefault("rate_limit", None)
    return ClaritySession("ownership-oauth-token", base_url=server.url, http_session=http, **kw)


async def one_request(session: ApiSession) -> None:
    if isinstance(session, ClubhouseSession):
        await session.get_channels()
    else:
        assert isinstance(session, ClaritySession)
        await session.me()


SESSIONS = pytest.mark.parametrize("make", [clubhouse, clarity], ids=["clubhouse", "clarity"])
POOLS = pytest.mark.parametrize("lent", [False, True], ids=["owned-pool", "lent-pool"])


# -- one notion of closed ------------------------------------------------------------------
@SESSIONS
@POOLS
async def test_a_closed_session_sends_nothing_whoever_owns_the_pool(
    make: Callable[..., ApiSession], lent: bool
) -> None:
    async with scripted_server() as server, pool(lent) as http:
        session = make(server, http)
        async with session:
            await one_request(session)
            assert not session.closed
        assert session.closed
        with pytest.raises(SessionClosedError):
            await one_request(session)
        with pytest.raises(SessionClosedError):
            await session.__aenter__()
        assert len(server.seen) == 1  # nothing left the client after close
        if http is not None:
            assert not http.closed  # the caller's pool is still theirs
            async with http.get(server.url + "still-open") as response:
                assert response.status == 200


@SESSIONS
async def test_a_session_closed_before_its_first_request_never_sends(
    make: Callable[..., ApiSession],
) -> None:
    async with scripted_server() as server:
        session = make(server, None)
        await session.close()
        assert session.closed
        with pytest.raises(SessionClosedError):
            await one_request(session)
    assert server.seen == []


@SESSIONS
@POOLS
async def test_closing_while_a_request_waits_for_the_rate_limit_stops_it(
    make: Callable[..., ApiSession], lent: bool
) -> None:
    waiting = asyncio.Event()
    release = asyncio.Event()

    async def sleep(delay: float) -> None:  # the rate limit's wait, under the test's control
        waiting.set()
        await release.wait()

    async with scripted_server() as server, pool(lent) as http:
        session = make(server, http, rate_limit=RateLimit(per_second=0.01, burst=1), sleep=sleep)
        async with session:
            await one_request(session)  # spends the only slot
            second = asyncio.ensure_future(one_request(session))
            await waiting.wait()
        release.set()
        with pytest.raises(SessionClosedError):
            await second
    assert len(server.seen) == 1


@SESSIONS
async def test_a_lent_pool_closed_by_its_owner_is_a_closed_session(
    make: Callable[..., ApiSession],
) -> None:
    async with scripted_server() as server:
        http = aiohttp.ClientSession()
        session = make(server, http)
        await one_request(session)
        await http.close()
        assert session.closed
        with pytest.raises(SessionClosedError):
            await one_request(session)
        await session.close()
    assert len(server.seen) == 1


# -- secrets held while in use -------------------------------------------------------------
LOGIN = {
    "success": True,
    "is_verified": True,
    "user_profile": {"user_id": 8, "name": "Eight"},
    "auth_token": "login-auth-token-8",
    "access_token": "login-access-token-8",
    "refresh_token": "login-refresh-token-8",
}


async def test_clubhouse_tokens_are_held_while_open_and_swapped_by_login_refresh_logout() -> None:
    before = len(live_secrets)
    creds = Credentials(user_id=7, auth_token="first-auth-token-7", auth_mode="bearer")
    async with scripted_server(
        Reply(json=LOGIN),
        Reply(json={"access": "renewed-access-token-8", "refresh": "renewed-refresh-token-8"}),
        Reply(json={"success": True}),
    ) as server:
        session = ClubhouseSession(creds, base_url=server.url, rate_limit=None)
        assert "first-auth-token-7" not in live_secrets  # nothing held before it opens
        async with session:
            assert "first-auth-token-7" in live_secrets
            await session.complete_phone_number_auth("+14155550123", "1234")
            assert "first-auth-token-7" not in live_secrets
            tokens = ("login-auth-token-8", "login-access-token-8", "login-refresh-token-8")
            assert len(held(*tokens)) == 3
            await session.refresh_token()
            assert "login-access-token-8" not in live_secrets
            assert "login-refresh-token-8" not in live_secrets
            assert len(held("login-auth-token-8", "renewed-access-token-8")) == 2
            await session.logout()  # the tokens die with the login
            assert not held(
                "login-auth-token-8", "renewed-access-token-8", "renewed-refresh-token-8"
            )
            assert len(live_secrets) == before
    assert len(live_secrets) == before


async def test_a_new_clarity_token_replaces_the_old_one_in_the_scrubber() -> None:
    before = len(live_secrets)
    async with scripted_server() as server:
        async with ClaritySession("first-oauth-token", base_url=server.url) as session:
            assert "first-oauth-token" in live_secrets
            session.oauth_token = "second-oauth-token"
            assert "first-oauth-token" not in live_secrets
            assert "second-oauth-token" in live_secrets
            session.oauth_token = None
            assert "second-oauth-token" not in live_secrets
        session.oauth_token = "after-close-oauth-token"  # a closed session holds nothing
        assert "after-close-oauth-token" not in live_secrets
    assert len(live_secrets) == before


async def test_a_thousand_session_cycles_leave_the_registry_as_they_found_it() -> None:
    """Open, use and close sessions of both APIs, logging in and out and renewing on the way."""
    before = len(live_secrets)
    used: set[str] = set()
    async with scripted_server() as server, aiohttp.ClientSession() as lent:
        for number in range(1000):
            http = None if number % 50 == 0 else lent  # now and then a pool of its own
            if number % 2:
                token = f"clarity-token-{number:06d}"
                async with ClaritySession(
                    token, base_url=server.url, http_session=http, rate_limit=None
                ) as clarity_session:
                    await clarity_session.me()
                    if number % 10 == 1:
                        clarity_session.oauth_token = token + "-new"
                        used.add(token + "-new")
                        await clarity_session.me()
                used.add(token)
                continue
            creds = Credentials(
                user_id=number + 1,
                auth_token=f"auth-token-{number:06d}",
                access_token=f"access-token-{number:06d}",
                refresh_token=f"refresh-token-{number:06d}",
                auth_mode="bearer",
            )
            used.update(token for token in creds.secrets() if token)
            async with ClubhouseSession(
                creds, base_url=server.url, http_session=http, rate_limit=None
            ) as session:
                await session.get_channels()
                if number % 10 == 0:
                    login = {
                        **LOGIN,
                        "auth_token": f"login-auth-{number:06d}",
                        "access_token": f"login-access-{number:06d}",
                        "refresh_token": f"login-refresh-{number:06d}",
                    }
                    server.replies.append(Reply(json=login))
                    await session.complete_phone_number_auth("+14155550123", "1234")
                    used.update(
                        login[key] for key in ("auth_token", "access_token", "refresh_token")
                    )
                    renewed = {"access": f"new-access-{number:06d}", "refresh": f"new-r-{number}"}
                    server.replies.append(Reply(json=renewed))
                    await session.refresh_token()
                    used.update(renewed.values())
                if number % 20 == 0:
                    server.replies.append(Reply(json={"success": True}))
                    await session.logout()
    assert len(live_secrets) == before
    assert not held(*used)


def held(*candidates: str) -> set[str]:
    """Which of ``candidates`` the registry holds now."""
    return {secret for secret in candidates if secret in live_secrets}


class _Recorder:
    """A companion that counts how often it is closed."""

    def __init__(self) -> None:
        self.closes = 0

    async def close(self) -> None:
        self.closes += 1


async def test_a_companion_is_made_once_closed_with_the_session_and_not_after() -> None:
    session = ClubhouseAPI(rate_limit=None)
    companion = session.companion(_Recorder)
    assert session.companion(_Recorder) is companion
    await session.close()
    assert companion.closes == 1
    assert session.companion(_Recorder) is companion  # what exists stays reachable
    other = ClubhouseAPI(rate_limit=None)
    await other.close()
    with pytest.raises(SessionClosedError):
        other.companion(_Recorder)  # a closed session makes nothing new
