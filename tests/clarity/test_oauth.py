"""The OAuth code flow: the authorize URL, the redirect, and the code-for-token exchange."""

from __future__ import annotations

import re
import socket
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aioresponses import aioresponses

from aioclubhouse.clarity import ClaritySession, authorize_url, exchange_code
from aioclubhouse.emulator.clarity import ClarityEmulator
from aioclubhouse.errors import (
    AuthenticationError,
    BadRequestError,
    ClubhouseConnectionError,
    DecodeError,
    InvalidArgumentError,
)

from .conftest import SEEKER_ID

OAUTH_ANY = re.compile(r"^https://clarity\.fm/oauth/authorize.*$")


async def approve(emu: ClarityEmulator, redirect_uri: str | None = None) -> str:
    """Follow the browser step: returns the code the redirect carries."""
    url = authorize_url(emu.client_id, redirect_uri, base=emu.oauth_url)
    async with (
        aiohttp.ClientSession() as http,
        http.get(url, allow_redirects=False) as response,
    ):
        assert response.status == 302
        location = response.headers["Location"]
    assert location.startswith(emu.redirect_uri + "?")
    (code,) = parse_qs(urlsplit(location).query)["code"]
    return code


def test_authorize_url_carries_the_documented_parameters() -> None:
    url = authorize_url("abc123", "https://app.example/cb")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "clarity.fm", "/oauth/authorize")
    assert parse_qs(parts.query) == {
        "client_id": ["abc123"],
        "response_type": ["code"],
        "redirect_uri": ["https://app.example/cb"],
    }
    assert "redirect_uri" not in authorize_url("abc123")


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("client_id", {"client_id": ""}),
        ("redirect_uri", {"client_id": "a", "redirect_uri": "javascript:alert(1)"}),
        ("base", {"client_id": "a", "base": "clarity.fm"}),
    ],
)
def test_authorize_url_checks_its_input(field: str, kwargs: dict[str, str]) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        authorize_url(**kwargs)
    assert caught.value.field == field


async def test_code_flow_over_http_gives_a_working_token(emu: ClarityEmulator) -> None:
    code = await approve(emu)
    token = await exchange_code(emu.client_id, emu.client_secret, code, base=emu.oauth_url)
    exchange = [r for r in emu.requests if r.method == "POST" and r.path == "/oauth/authorize"]
    assert [r.query for r in exchange] == [
        {
            "client_id": emu.client_id,
            "client_secret": "<redacted>",
            "code": "<redacted>",
            "grant_type": "authorization_code",
        }
    ]
    assert exchange[0].body == ""
    async with ClaritySession(token, base_url=emu.base_url, rate_limit=None) as session:
        assert (await session.me()).id == SEEKER_ID


async def test_the_member_signed_in_is_the_one_authorized(emu: ClarityEmulator) -> None:
    emu.oauth.signed_in_member_id = 940
    code = await approve(emu, emu.redirect_uri)
    async with ClaritySession(base_url=emu.base_url, rate_limit=None) as session:
        await session.authorize_with_code(
            emu.client_id, emu.client_secret, code, oauth_base=emu.oauth_url
        )
        assert session.oauth_token is not None
        assert (await session.me()).screen_name == "vincentroy"


async def test_a_code_works_once(emu: ClarityEmulator) -> None:
    code = emu.issue_code()
    await exchange_code(emu.client_id, emu.client_secret, code, base=emu.oauth_url)
    with pytest.raises(BadRequestError) as caught:
        await exchange_code(emu.client_id, emu.client_secret, code, base=emu.oauth_url)
    assert caught.value.message == "invalid_grant"
    assert code not in str(caught.value)


async def test_a_wrong_secret_is_an_authentication_error(emu: ClarityEmulator) -> None:
    wrong = "wrong-secret-0123456789"
    with pytest.raises(AuthenticationError) as caught:
        await exchange_code(emu.client_id, wrong, emu.issue_code(), base=emu.oauth_url)
    assert caught.value.status == 401 and caught.value.message == "invalid_client"
    assert wrong not in str(caught.value)


async def test_a_redirect_uri_that_was_not_registered_is_refused(emu: ClarityEmulator) -> None:
    url = authorize_url(emu.client_id, "http://evil.example/cb", base=emu.oauth_url)
    async with (
        aiohttp.ClientSession() as http,
        http.get(url, allow_redirects=False) as response,
    ):
        assert response.status == 400
        assert await response.json() == {"error": "redirect_uri_mismatch"}


async def test_a_lent_http_session_stays_open(emu: ClarityEmulator) -> None:
    async with aiohttp.ClientSession() as http:
        await exchange_code(
            emu.client_id,
            emu.client_secret,
            emu.issue_code(),
            http_session=http,
            base=emu.oauth_url,
        )
        assert not http.closed


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("tok-plain-123456", "text/plain"),
        ("tok-plain-123456\n", "text/plain"),
        ('{"access_token": "tok-plain-123456", "token_type": "bearer"}', "application/json"),
        ('{"oauth_token": "tok-plain-123456"}', "application/json"),
        ("oauth_token=tok-plain-123456&expires_in=3600", "application/x-www-form-urlencoded"),
    ],
)
async def test_token_bodies_in_every_plausible_form(body: str, content_type: str) -> None:
    with aioresponses() as mocked:
        mocked.post(OAUTH_ANY, body=body, content_type=content_type)
        token = await exchange_code("cid", "secret-value-1", "code-value-1")
    assert token == "tok-plain-123456"
    ((method, url), calls) = next(iter(mocked.requests.items()))
    assert method == "POST" and url.path == "/oauth/authorize"
    assert calls[0].kwargs["params"] == {
        "client_id": "cid",
        "client_secret": "secret-value-1",
        "code": "code-value-1",
        "grant_type": "authorization_code",
    }


@pytest.mark.parametrize("body", ["", "   ", '{"error": null}', "two words"])
async def test_a_body_without_a_token_is_a_decode_error(body: str) -> None:
    with aioresponses() as mocked:
        mocked.post(OAUTH_ANY, body=body, content_type="text/plain")
        with pytest.raises(DecodeError):
            await exchange_code("cid", "secret-value-1", "code-value-1")


async def test_connection_failure_hides_the_secret() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret = "never-show-this-secret"
    with pytest.raises(ClubhouseConnectionError) as caught:
        await exchange_code("cid", secret, "code-value-1", base=f"http://127.0.0.1:{port}/")
    assert secret not in str(caught.value)
    assert caught.value.__cause__ is None


@pytest.mark.parametrize("field", ["client_id", "client_secret", "code"])
async def test_exchange_checks_its_input(field: str) -> None:
    values = {"client_id": "cid", "client_secret": "sec", "code": "c0de", field: " "}
    with pytest.raises(InvalidArgumentError) as caught:
        await exchange_code(values["client_id"], values["client_secret"], values["code"])
    assert caught.value.field == field
