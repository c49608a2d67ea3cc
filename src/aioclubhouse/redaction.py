"""Keep secrets out of reprs, logs and error messages."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

REDACTED = "<redacted>"


# Payload keys that hold credentials in the service's answers.
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
    }
)


def redact_payload(value: Any) -> Any:
    """A copy of a decoded JSON payload with every credential value replaced."""
    if isinstance(value, dict):
        return {
            key: REDACTED if key in SECRET_KEYS and item else redact_payload(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact_payload(item) for item in value]
    return value


def mask(secret: str | None) -> str:
    """How a secret is shown: whether it is set, never what it is."""
    return "None" if secret is None else REDACTED


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every occurrence of each non-trivial secret in ``text``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


class SecretFilter(logging.Filter):
    """A logging filter that scrubs known secrets from formatted records.

    Installed on the ``aioclubhouse`` logger by every session for its own tokens, so
    even a message built by third-party code that happened to include one is cleaned.
    """

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add(self, *secrets: str | None) -> None:
        self._secrets.update(s for s in secrets if s and len(s) >= 4)

    def discard(self, *secrets: str | None) -> None:
        for secret in secrets:
            if secret:
                self._secrets.discard(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            message = record.getMessage()
            cleaned = scrub(message, self._secrets)
            if cleaned != message:
                record.msg = cleaned
                record.args = None
        return True


secret_filter = SecretFilter()


def get_logger(name: str) -> logging.Logger:
    """A logger under ``aioclubhouse`` with the secret scrubber attached.

    Logging filters do not propagate to child loggers, so every module of the SDK
    takes its logger from here.
    """
    logger = logging.getLogger(name)
    if secret_filter not in logger.filters:
        logger.addFilter(secret_filter)
    return logger


get_logger("aioclubhouse")
