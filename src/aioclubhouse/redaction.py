"""Keep secrets out of reprs, logs and error messages.

Two tools live here. :func:`redact_payload`, :func:`scrub_payload` and :func:`scrub`
clean a value or a text of secrets: those under a credential key
(:data:`SECRET_KEYS`), those the caller names, and (for :func:`scrub_payload`) every
secret held right now. :data:`live_secrets` is the registry of every secret in use
right now (API tokens, realtime tokens, OAuth tokens): whoever starts using a secret
holds it, whoever stops releases it, and the logging filter installed on the
``aioclubhouse`` loggers scrubs exactly what is held. Holds are counted, so a token
shared by two owners stays scrubbed until the last one lets it go, and a program that
opens and closes sessions for a year does not accumulate them.

Payloads come from servers, so the walkers never recurse without bound: below
:data:`MAX_PAYLOAD_DEPTH` levels a value is replaced by :data:`TOO_DEEP`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

__all__ = [
    "MAX_PAYLOAD_DEPTH",
    "MIN_SECRET_LENGTH",
    "REDACTED",
    "SECRET_KEYS",
    "TOO_DEEP",
    "SecretFilter",
    "SecretRegistry",
    "get_logger",
    "live_secrets",
    "mask",
    "redact_payload",
    "scrub",
    "scrub_payload",
]

REDACTED = "<redacted>"
MIN_SECRET_LENGTH = 4
"""Shorter strings are never treated as secrets: scrubbing them would mangle text."""
MAX_PAYLOAD_DEPTH = 100
"""How deep the payload walkers go; the services' answers nest fewer than ten levels."""
TOO_DEEP = "<nested too deeply>"

# Payload keys that hold credentials in the services' answers and requests.
SECRET_KEYS = frozenset(
    {
        "auth_token",
        "access_token",
        "refresh_token",
        "token",
        "rtm_token",
        "pubnub_token",
        "access",
        "refresh",
        "oauth_token",
        "authorization",
        "client_secret",
    }
)


def _is_secret_key(key: object) -> bool:
    return isinstance(key, str) and key.lower() in SECRET_KEYS


def redact_payload(value: Any, _depth: int = 0) -> Any:
    """A copy of a decoded JSON payload with every credential value replaced."""
    if _depth >= MAX_PAYLOAD_DEPTH and isinstance(value, (dict, list)):
        return TOO_DEEP
    if isinstance(value, dict):
        return {
            key: REDACTED if _is_secret_key(key) and item else redact_payload(item, _depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact_payload(item, _depth + 1) for item in value]
    return value


def scrub_payload(value: Any, secrets: Iterable[str | None] = ()) -> Any:
    """A copy of ``value`` (decoded JSON, or text) safe to keep on an error.

    Values under :data:`SECRET_KEYS` are replaced, and every held secret and every one
    of ``secrets`` is cut out of every string in it, keys included, however deep.
    """
    named = tuple(secret for secret in secrets if secret and len(secret) >= MIN_SECRET_LENGTH)

    def clean_text(text: str) -> str:
        return live_secrets.scrub(scrub(text, named))

    def walk(item: Any, depth: int) -> Any:
        if isinstance(item, str):
            return clean_text(item)
        if isinstance(item, (dict, list)) and depth >= MAX_PAYLOAD_DEPTH:
            return TOO_DEEP
        if isinstance(item, dict):
            return {
                clean_text(key) if isinstance(key, str) else key: REDACTED
                if _is_secret_key(key) and child
                else walk(child, depth + 1)
                for key, child in item.items()
            }
        if isinstance(item, list):
            return [walk(child, depth + 1) for child in item]
        return item

    return walk(value, 0)


def mask(secret: str | None) -> str:
    """How a secret is shown: whether it is set, never what it is."""
    return "None" if secret is None else REDACTED


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every occurrence of each non-trivial secret in ``text``."""
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            text = text.replace(secret, REDACTED)
    return text


_KEY = 8
"""Secrets are indexed by their last characters, so a scan costs one lookup per
character of the text however many secrets are held. The end, not the start: tokens
of one kind share their start (a JWT's header, an Agora token's version and App ID, a
PubNub token's CBOR preamble) and differ in their signature, which ends them."""


class SecretRegistry:
    """The secrets in use now, each counted by how many owners hold it.

    ``comparisons`` counts the candidates scans have compared against the text: the
    scrubber's work, which stays near the number of secrets actually present however
    many are held.
    """

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._by_ending: dict[str, list[str]] = {}
        self._short: set[str] = set()
        self.comparisons = 0

    def hold(self, *secrets: str | None) -> None:
        """Start scrubbing each secret (again, if another owner already does)."""
        for secret in secrets:
            if not secret or len(secret) < MIN_SECRET_LENGTH:
                continue
            count = self._counts.get(secret, 0)
            self._counts[secret] = count + 1
            if count == 0:
                self._index(secret)

    def release(self, *secrets: str | None) -> None:
        """Drop one hold of each secret; it stops being scrubbed with the last hold."""
        for secret in secrets:
            count = self._counts.get(secret or "", 0)
            if count == 0:
                continue
            assert secret is not None
            if count > 1:
                self._counts[secret] = count - 1
                continue
            del self._counts[secret]
            self._unindex(secret)

    def swap(self, old: Iterable[str | None], new: Iterable[str | None]) -> None:
        """Hold ``new`` and release ``old`` (in that order, so a kept token never lapses)."""
        self.hold(*new)
        self.release(*old)

    def __contains__(self, secret: object) -> bool:
        return secret in self._counts

    def __len__(self) -> int:
        return len(self._counts)

    def scrub(self, text: str) -> str:
        """``text`` with every held secret replaced by :data:`REDACTED`."""
        if not self._counts or len(text) < MIN_SECRET_LENGTH:
            return text
        found = {s for s in self._short if s in text}
        self.comparisons += len(self._short)
        index = self._by_ending
        if index:
            for end in range(_KEY, len(text) + 1):
                bucket = index.get(text[end - _KEY : end])
                if bucket is not None:
                    self.comparisons += len(bucket)
                    found.update(
                        s for s in bucket if len(s) <= end and text.startswith(s, end - len(s))
                    )
        # Longest first, so a secret that contains another is replaced whole.
        for secret in sorted(found, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text

    def _index(self, secret: str) -> None:
        if len(secret) < _KEY:
            self._short.add(secret)
        else:
            self._by_ending.setdefault(secret[-_KEY:], []).append(secret)

    def _unindex(self, secret: str) -> None:
        if len(secret) < _KEY:
            self._short.discard(secret)
            return
        bucket = self._by_ending.get(secret[-_KEY:], [])
        if secret in bucket:
            bucket.remove(secret)
        if not bucket:
            self._by_ending.pop(secret[-_KEY:], None)


live_secrets = SecretRegistry()
"""The secrets every part of the SDK holds while it uses them."""


class SecretFilter(logging.Filter):
    """A logging filter that scrubs the held secrets from formatted records.

    Installed on every ``aioclubhouse`` logger (and the ``pubnub`` one), so even a
    message built by third-party code that happened to include a token is cleaned.
    """

    def __init__(self, registry: SecretRegistry) -> None:
        super().__init__()
        self.registry = registry

    def filter(self, record: logging.LogRecord) -> bool:
        if len(self.registry):
            message = record.getMessage()
            cleaned = self.registry.scrub(message)
            if cleaned != message:
                record.msg = cleaned
                record.args = None
        return True


secret_filter = SecretFilter(live_secrets)


def get_logger(name: str) -> logging.Logger:
    """A logger with the secret scrubber attached.

    Logging filters do not propagate to child loggers, so every module of the SDK
    takes its logger from here.
    """
    logger = logging.getLogger(name)
    if secret_filter not in logger.filters:
        logger.addFilter(secret_filter)
    return logger


get_logger("aioclubhouse")
