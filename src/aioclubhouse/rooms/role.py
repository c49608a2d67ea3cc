"""Your place in a room (listener, speaker, moderator) and the hook told when it changes.

The role decides which PubNub channels the room reads (``channel_speakers`` only on
stage), what the audio backend does, and which RTC token is current; a program may
follow it too, with ``on_role_change``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import attrs

from ..redaction import get_logger

if TYPE_CHECKING:
    from .room import Room

__all__ = ["RoleChange", "RoleChangeHook", "RoleHookRunner"]

log = get_logger("aioclubhouse.rooms")


@attrs.frozen(kw_only=True)
class RoleChange:
    """Your place in the room, as the audio side needs it."""

    is_speaker: bool
    """Whether you are on stage."""
    is_moderator: bool
    """Whether you moderate the room."""
    rtc_token: str | None = attrs.field(default=None, repr=False)
    """The Agora token for this role (the join's, or the one accepting an invite gave)."""


RoleChangeHook = Callable[["Room", RoleChange], Awaitable[None] | None]
"""Called (sync or async) when your role or RTC token changes, e.g. to renew the
audio token and switch to the broadcaster role."""


class RoleHookRunner:
    """Calls a room's ``on_role_change`` one change at a time; its errors are logged."""

    def __init__(self, hook: RoleChangeHook | None, *, name: str) -> None:
        self.hook = hook
        self._name = name
        self._lock = asyncio.Lock()

    async def call(self, room: Room, role: RoleChange) -> None:
        hook = self.hook
        if hook is None:
            return
        async with self._lock:
            try:
                result = hook(room, role)
                if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
                    await result
            except Exception:
                log.exception("%s: on_role_change failed", self._name)
