"""The registry of live secrets: counted holds, scrubbing, and nothing kept after release."""

from __future__ import annotations

import logging

from aioclubhouse.redaction import REDACTED, SecretFilter, SecretRegistry


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
