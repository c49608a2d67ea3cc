"""Settings of one emulator instance.

Every knob the emulator has lives here, so a test or the command line can build a
service with exactly the behaviour it needs (a short long-poll, a tight rate limit,
a seed for a reproducible sample world) without touching any other module.
"""

from __future__ import annotations

from pathlib import Path

import attrs


@attrs.define(kw_only=True)
class EmulatorConfig:
    """How an emulator instance is set up; defaults match the real service where known."""

    host: str = "127.0.0.1"
    port: int = 0
    seed: int = 0
    verification_code: str = "123456"
    state_file: Path | None = None
    """JSON file read at start (if it exists) and written at stop; see `state` for its format."""
    activity_rate: float = 0.0
    """Simulated actions per second by sample users; 0 turns the activity off."""
    poll_timeout: float = 20.0
    """Seconds a PubNub long-poll waits for messages before answering with an empty list."""
    ping_timeout: float = 90.0
    """A room user who has not pinged or joined for this long is dropped from the room."""
    rate_limit_per_second: float = 50.0
    rate_limit_burst: int = 100
    new_users_waitlisted: bool = False
    max_auth_attempts: int = 5
    access_token_ttl: float = 3600.0
    message_retention: int = 10000
    """PubNub messages kept per channel; older ones are forgotten."""
    revocation_grace: float = 60.0
    """Seconds a revoked PubNub token may still fetch what was published before the
    revocation (like PubNub, whose revocations are not instantaneous); 0 refuses it at once."""
    sample_users: int = 300
    sample_clubs: int = 30
    sample_rooms: int = 6
