"""Webhook signatures: HMAC-SHA256 over the timestamp and the body, checked with a tolerance.

Every POST of the webhook sink carries::

    X-Aioclubhouse-Timestamp: 1714564800
    X-Aioclubhouse-Signature: v1=<hex HMAC-SHA256(secret, "1714564800." + body)>

A receiver recomputes the HMAC over the timestamp header, a dot and the raw body
bytes, compares in constant time, and refuses a timestamp further than ``tolerance``
seconds from its clock, so a captured request cannot be replayed later.
:func:`verify_signature` does all of that; several ``v1=`` values (comma-separated)
are accepted, so a secret can be rotated by signing with both for a while.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from typing import Final

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "SignatureError",
    "sign",
    "signature_headers",
    "verify_signature",
]

SIGNATURE_HEADER: Final = "X-Aioclubhouse-Signature"
TIMESTAMP_HEADER: Final = "X-Aioclubhouse-Timestamp"
SCHEME: Final = "v1"
DEFAULT_TOLERANCE: Final = 300.0


class SignatureError(ValueError):
    """A request whose signature does not hold; the message says why (never the secret)."""


def _key(secret: str | bytes) -> bytes:
    return secret.encode() if isinstance(secret, str) else secret


def sign(secret: str | bytes, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>." + body`` under ``secret``."""
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(_key(secret), message, hashlib.sha256).hexdigest()


def signature_headers(
    secret: str | bytes, body: bytes, *, timestamp: int | None = None
) -> dict[str, str]:
    """The two headers to send with ``body`` (the timestamp is now unless given)."""
    moment = int(time.time()) if timestamp is None else int(timestamp)
    return {
        TIMESTAMP_HEADER: str(moment),
        SIGNATURE_HEADER: f"{SCHEME}={sign(secret, moment, body)}",
    }


def verify_signature(
    secret: str | bytes,
    headers: Mapping[str, str],
    body: bytes,
    tolerance: float = DEFAULT_TOLERANCE,
    *,
    now: float | None = None,
) -> None:
    """Check a received webhook request; raise :class:`SignatureError` if it does not hold.

    ``headers`` may be any mapping (header names are matched without regard to case);
    ``body`` is the raw bytes received.  ``tolerance`` is how many seconds the
    timestamp may be away from ``now`` (default: the local clock).
    """
    folded = {name.lower(): value for name, value in headers.items()}
    stamp = folded.get(TIMESTAMP_HEADER.lower())
    given = folded.get(SIGNATURE_HEADER.lower())
    if stamp is None or given is None:
        raise SignatureError("the timestamp or signature header is missing")
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        raise SignatureError("the timestamp is not a Unix time in seconds")
    moment = int(stamp)
    clock = time.time() if now is None else now
    if abs(clock - moment) > tolerance:
        raise SignatureError(
            f"the timestamp is {abs(clock - moment):.0f} s away from now "
            f"(tolerance {tolerance:.0f} s): a replay, or a clock out of step"
        )
    expected = sign(secret, moment, body)
    candidates = [
        part.strip()[len(SCHEME) + 1 :]
        for part in given.split(",")
        if part.strip().startswith(SCHEME + "=")
    ]
    if not candidates:
        raise SignatureError(f"no {SCHEME}= signature in the header")
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise SignatureError("the signature does not match the body")
