"""Keeping a room's audio backend in step with your place in the room.

A room given ``audio=`` joins its Agora channel once the realtime link is up, with
the join's RTC token, as a speaker when you are on stage and a listener otherwise.
From then on the backend follows you: a new RTC token (accepting a speaker invite
gives one) is renewed before the role goes to speaker, going back to the audience
means the listener role and muted, and a moderator muting you mutes it.  Leaving the
room disconnects it.  Only connecting may fail the room (asking for audio and
silently getting none would hide the failure); every later failure is logged, and
the backend's own ``events()`` report its state.

The follower never reads the backend's ``frames()`` or ``events()``: they are the
program's.
"""

from __future__ import annotations

import asyncio

from ..redaction import get_logger
from .audio.backend import AudioBackend, Role
from .audio.errors import AudioConnectionError

__all__ = ["AudioFollower"]

log = get_logger("aioclubhouse.rooms")


class AudioFollower:
    """Drives one :class:`~aioclubhouse.rooms.audio.AudioBackend` for one room, one change
    at a time; ``timeout`` bounds its connect and disconnect."""

    def __init__(self, backend: AudioBackend, *, timeout: float, name: str) -> None:
        self.backend = backend
        self._timeout = timeout
        self._name = name
        self._lock = asyncio.Lock()
        self._role: Role | None = None
        """The role the backend was last given; None until connected and once stopped."""
        self._token: str | None = None
        self._stopped = False

    async def connect(
        self, *, app_id: str, token: str | None, channel: str, uid: int, speaking: bool
    ) -> None:
        """Join the Agora channel; :class:`AudioConnectionError` (or the backend's own
        error) when that fails or takes longer than the timeout."""
        if not token:
            raise AudioConnectionError("join_channel gave no RTC token; audio cannot connect")
        async with self._lock:
            role = Role.SPEAKER if speaking else Role.LISTENER
            try:
                async with asyncio.timeout(self._timeout):
                    await self.backend.connect(
                        app_id=app_id, token=token, channel=channel, uid=uid, role=role
                    )
            except TimeoutError:
                raise AudioConnectionError(
                    f"the audio channel was not joined within {self._timeout:.0f} s"
                ) from None
            self._role, self._token = role, token

    async def follow(self, *, token: str | None, speaking: bool, mute: bool = False) -> None:
        """Bring the backend in line: renew ``token`` if new, switch role, mute.

        Failures are logged, never raised: the room goes on without them.
        """
        async with self._lock:
            if self._role is None or self._stopped:
                return
            try:
                if token and token != self._token:
                    await self.backend.renew_token(token)
                    self._token = token
                role = Role.SPEAKER if speaking else Role.LISTENER
                if role is not self._role:
                    await self.backend.set_role(role)
                    self._role = role
                    mute = mute or role is Role.LISTENER
                if mute:
                    await self.backend.set_muted(True)
            except Exception as exc:
                log.warning("%s: audio update failed (%s: %s)", self._name, type(exc).__name__, exc)

    def stop(self) -> None:
        """Follow no more changes (the room is being left)."""
        self._stopped = True

    async def disconnect(self) -> None:
        """Leave the Agora channel; part of every leave, so it logs and never raises."""
        self._stopped = True
        self._role = None
        try:
            async with asyncio.timeout(self._timeout):
                await self.backend.disconnect()
        except Exception as exc:
            log.warning("%s: audio disconnect failed (%s: %s)", self._name, type(exc).__name__, exc)
