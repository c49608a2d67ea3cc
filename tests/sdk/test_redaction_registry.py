"""The registry of live secrets: counted holds, scrubbing, and nothing kept after release."""

from __future__ import annotations

import base64
import logging
import random
import string

import aiohttp

from aioclubhouse.auth import Credentials
from aioclubhouse.redaction import REDACTED, SecretFilter, SecretRegistry, live_secrets
from aioclubhouse.session import ClubhouseSession


def test_a_held_secret_is_scrubbed_until_its_last_hold_is_released() -> None:
    registry = SecretRegistry()
    registry.hold("abcdefghijkl")
    registry.hold("abcdefghijkl")
    assert registry.scrub("x abcdefghijkl y") == f"x {REDACTED} y"
    registry.release("abcdefghijkl")
    assert "abcdefghijkl" in registry
    registry.release("abcdefghijkl")
    assert "abcdefghijkl" not in registry
    assert registry.scrub("x abcdefghijkl y") == "x abcdefghijkl y"
    assert len(registry) == 0


def test_short_long_and_overlapping_secrets() -> None:
    registry = SecretRegistry()
    registry.hold("abc")  # too short to be a secret: never scrubbed
    registry.hold("wxyz", "token-12345678", "token-12345678-longer")
    text = "abc wxyz token-12345678-longer token-12345678!"
    assert registry.scrub(text) == f"abc {REDACTED} {REDACTED} {REDACTED}!"


def test_releasing_what_was_never_held_is_harmless() -> None:
    registry = SecretRegistry()
    registry.release("never-held-secret", None, "")
    registry.hold(None, "")
    assert len(registry) == 0


def test_swap_keeps_a_token_that_is_in_both_sets() -> None:
    registry = SecretRegistry()
    registry.hold("old-token-1234", "kept-token-1234")
    registry.swap(["old-token-1234", "kept-token-1234"], ["kept-token-1234", "new-token-1234"])
    assert "old-token-1234" not in registry
    assert "kept-token-1234" in registry
    assert "new-token-1234" in registry


def test_thousands_of_open_and_close_cycles_leave_nothing() -> None:
    registry = SecretRegistry()
    for number in range(5000):
        tokens = (f"auth-{number:08d}", f"access-{number:08d}", f"pubnub-{number:08d}")
        registry.hold(*tokens)
        assert registry.scrub(f"sent {tokens[1]}") == f"sent {REDACTED}"
        registry.release(*tokens)
    assert len(registry) == 0


def test_the_logging_filter_scrubs_formatted_records() -> None:
    registry = SecretRegistry()
    registry.hold("s3cr3t-token-value")
    record = logging.LogRecord(
        "aioclubhouse", logging.INFO, __file__, 1, "sent %s", ("s3cr3t-token-value",), None
    )
    assert SecretFilter(registry).filter(record)
    assert record.getMessage() == f"sent {REDACTED}"


# -- the scrubber's cost with thousands of sessions' secrets held ------------------------------


def jwt(rng: random.Random, user_id: int) -> str:
    """A token shaped like the service's JWTs: a shared header, a payload, a signature."""
    alphabet = string.ascii_letters + string.digits + "-_"
    payload = base64.urlsafe_b64encode(f'{{"user_id":{user_id},"exp":1700000000}}'.encode())
    signature = "".join(rng.choice(alphabet) for _ in range(43))
    return f"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{payload.decode().rstrip('=')}.{signature}"


def session_secrets(sessions: int) -> list[tuple[str, str, str]]:
    """(auth token, access JWT, refresh JWT) for each of ``sessions`` logins."""
    rng = random.Random(13)
    return [
        ("".join(rng.choice("0123456789abcdef") for _ in range(40)), jwt(rng, n), jwt(rng, n))
        for n in range(sessions)
    ]


def test_scrubbing_a_debug_record_compares_few_candidates_with_15000_secrets_held() -> None:
    registry = SecretRegistry()
    logins = session_secrets(5000)
    for login in logins:
        registry.hold(*login)
    assert len(registry) == 15_000
    auth_token, access, _ = logins[1234]
    record = (
        f"POST refresh_token -> 200 in 41.2 ms; headers CH-UserID=1234 "
        f"Authorization=Bearer {access} CH-DeviceId=8F1E0C6A-1B2C-4D3E-9F00-123456789ABC "
        f"previous token {auth_token}; body {{'refresh': 'eyJhbGciOiJIUzI1NiIsInR5cCI6'}}"
    )
    before = registry.comparisons
    cleaned = registry.scrub(record)
    assert access not in cleaned and auth_token not in cleaned
    assert cleaned.count(REDACTED) == 2
    # Tokens of one kind share their start; indexed by their end, only the two present
    # are ever compared, not the 10,000 JWTs that begin like the one in the record.
    assert registry.comparisons - before <= 4


async def test_closing_5000_sessions_leaves_the_registry_as_it_was() -> None:
    baseline = len(live_secrets)
    logins = session_secrets(5000)
    async with aiohttp.ClientSession() as http:
        sessions = [
            ClubhouseSession(
                Credentials(user_id=n, auth_token=a, access_token=b, refresh_token=c),
                http_session=http,
            )
            for n, (a, b, c) in enumerate(logins)
        ]
        for session in sessions:
            await session.__aenter__()
        assert len(live_secrets) == baseline + 15_000
        for session in sessions:
            await session.__aexit__(None, None, None)
    assert len(live_secrets) == baseline
    assert all(secret not in live_secrets for login in logins for secret in login)
