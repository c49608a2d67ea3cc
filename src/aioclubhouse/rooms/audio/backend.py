"""The backend-neutral audio contract: what a room needs from an Agora-like engine.

Agora's native libraries install on few machines, so the room talks to audio through
:class:`AudioBackend`.  A backend joins one Agora channel as one uid, delivers decoded
PCM per remote speaker (:class:`PcmFrame`) and reports what happens in the channel as
:data:`AudioEvent` values.  Every backend checks its join arguments the way Agora does,
with :func:`validate_join`, so a mistake surfaces the same way with the fake backend as
with a real one.
"""

from __future__ import annotations

import enum
import re
from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

import attrs

from ...errors import InvalidArgumentError
from .errors import AudioPermissionError

__all__ = [
    "CLUBHOUSE_AGORA_APP_ID",
    "MAX_UID",
    "ActiveSpeaker",
    "AudioBackend",
    "AudioEvent",
    "AudioUserJoined",
    "AudioUserLeft",
    "ConnectionState",
    "PcmFrame",
    "Role",
    "StateChanged",
    "TokenExpired",
    "TokenWillExpire",
    "VolumeIndication",
    "resolve_app_id",
    "validate_join",
    "validate_muted",
]

CLUBHOUSE_AGORA_APP_ID = "938de3e8055e42b281bb8c6f69c21f78"
"""The Agora App ID every 2021 Clubhouse client used."""

MAX_UID = 2**32 - 1
"""Agora uids are unsigned 32-bit integers; 0 would ask Agora to pick one."""

MAX_CHANNEL_BYTES = 64
"""Agora refuses channel names of 64 bytes or more."""

_APP_ID_PATTERN = re.compile(r"[0-9a-fA-F]{32}")
_CHANNEL_PATTERN = re.compile(r"[a-zA-Z0-9 !#$%&()+\-:;<=.>?@\[\]^_{}|~,]+")
"""The characters Agora accepts in a channel name."""


class Role(enum.Enum):
    """Whether the local user may publish audio."""

    LISTENER = "listener"
    SPEAKER = "speaker"


class ConnectionState(enum.Enum):
    """The connection states every Agora SDK reports."""

    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    FAILED = "failed"


@attrs.frozen(kw_only=True)
class PcmFrame:
    """A slice of one remote user's decoded audio.

    ``pcm`` holds signed 16-bit little-endian samples, channels interleaved.
    ``timestamp_ms`` places the frame on the channel's timeline when the backend
    knows it (gaps between timestamps are silence: muted users send nothing).
    """

    uid: int
    pcm: bytes = attrs.field(repr=lambda pcm: f"<{len(pcm)} bytes>")
    sample_rate: int
    channels: int
    sample_width: int = 2
    timestamp_ms: int | None = None

    @property
    def samples_per_channel(self) -> int:
        """How many sample instants the frame covers."""
        return len(self.pcm) // (self.sample_width * self.channels)

    @property
    def duration_ms(self) -> float:
        """How long the frame plays."""
        return self.samples_per_channel * 1000 / self.sample_rate


@attrs.frozen(kw_only=True)
class AudioUserJoined:
    """A remote user who can publish audio is now in the channel."""

    uid: int


@attrs.frozen(kw_only=True)
class AudioUserLeft:
    """A remote user left the channel (``reason``: quit, dropped, become_audience)."""

    uid: int
    reason: str


@attrs.frozen(kw_only=True)
class VolumeIndication:
    """Periodic loudness per uid, on Agora's 0-255 scale, plus the mixed total."""

    volumes: dict[int, int]
    total: int


@attrs.frozen(kw_only=True)
class ActiveSpeaker:
    """The loudest remote speaker changed."""

    uid: int


@attrs.frozen(kw_only=True)
class StateChanged:
    """The connection moved to ``state``; ``reason`` is Agora's reason, lower-cased."""

    state: ConnectionState
    reason: str


@attrs.frozen(kw_only=True)
class TokenWillExpire:
    """The RTC token expires soon: fetch a new one and call ``renew_token``."""


@attrs.frozen(kw_only=True)
class TokenExpired:
    """The RTC token expired; the connection will not survive without a new one."""


AudioEvent = (
    AudioUserJoined
    | AudioUserLeft
    | VolumeIndication
    | ActiveSpeaker
    | StateChanged
    | TokenWillExpire
    | TokenExpired
)
"""Everything a backend reports besides audio itself."""


@runtime_checkable
class AudioBackend(Protocol):
    """One connection to one Agora channel, as one uid.

    ``connect`` returns once the channel is joined (or raises).  ``frames()`` and
    ``events()`` each yield until ``disconnect``; both sit on bounded queues that drop
    the oldest item when the consumer falls behind, so audio never blocks the engine.
    A listener may not unmute: ``set_muted(False)`` raises ``AudioPermissionError``.
    """

    async def connect(self, *, app_id: str, token: str, channel: str, uid: int, role: Role) -> None:
        """Join ``channel`` as ``uid`` with ``role``; returns once joined, or raises."""

    async def disconnect(self) -> None:
        """Leave the channel; ``frames()`` and ``events()`` end."""

    async def set_muted(self, muted: bool) -> None:
        """Stop or resume sending your audio (a listener may only mute)."""

    async def set_role(self, role: Role) -> None:
        """Become a broadcaster (on stage) or an audience member."""

    async def renew_token(self, token: str) -> None:
        """Hand Agora a new token before the current one expires."""

    def frames(self) -> AsyncIterator[PcmFrame]:
        """The PCM audio heard, frame by frame, until disconnected."""

    def events(self) -> AsyncIterator[AudioEvent]:
        """Volume, active-speaker, token and connection reports, until disconnected."""


def resolve_app_id(join_result: object | None = None) -> str:
    """The App ID to join with: the join response's ``agora_app_id`` if it has one.

    Only some client models carry that field; every 2021 client fell back on
    :data:`CLUBHOUSE_AGORA_APP_ID`, and so does this.
    """
    candidate: object = None
    if isinstance(join_result, dict):
        candidate = join_result.get("agora_app_id")
    elif join_result is not None:
        candidate = getattr(join_result, "agora_app_id", None)
    if isinstance(candidate, str) and candidate:
        return candidate
    return CLUBHOUSE_AGORA_APP_ID


def validate_join(
    *, app_id: object, token: object, channel: object, uid: object, role: object
) -> None:
    """Refuse join arguments Agora itself would refuse, naming the field."""
    if not isinstance(app_id, str) or not _APP_ID_PATTERN.fullmatch(app_id):
        raise InvalidArgumentError("app_id", "must be 32 hexadecimal characters")
    if not isinstance(token, str):
        raise InvalidArgumentError("token", f"must be a str, not {type(token).__name__}")
    validate_channel(channel)
    validate_uid(uid)
    validate_role(role)


def validate_channel(channel: object) -> None:
    """An Agora channel name: 1 to 63 bytes of the characters Agora allows."""
    if not isinstance(channel, str) or not channel:
        raise InvalidArgumentError("channel", "must be a non-empty str")
    if len(channel.encode("utf-8")) >= MAX_CHANNEL_BYTES:
        raise InvalidArgumentError("channel", f"must be shorter than {MAX_CHANNEL_BYTES} bytes")
    if not _CHANNEL_PATTERN.fullmatch(channel):
        raise InvalidArgumentError("channel", "contains a character Agora does not allow")


def validate_uid(uid: object) -> None:
    """An Agora uid: an int (not a bool) in 1..2**32-1."""
    if isinstance(uid, bool) or not isinstance(uid, int):
        raise InvalidArgumentError("uid", f"must be an int, not {type(uid).__name__}")
    if not 1 <= uid <= MAX_UID:
        raise InvalidArgumentError("uid", f"must be between 1 and {MAX_UID}")


def validate_role(role: object) -> Role:
    """The role, if it is one."""
    if not isinstance(role, Role):
        raise InvalidArgumentError("role", "must be a Role")
    return role


def validate_token(token: object) -> str:
    """An RTC token for ``renew_token``: a non-empty str."""
    if not isinstance(token, str) or not token:
        raise InvalidArgumentError("token", "must be a non-empty str")
    return token


def validate_muted(muted: object, role: Role) -> bool:
    """A mute switch for ``set_muted``: a bool, and never an unmute for a listener."""
    if not isinstance(muted, bool):
        raise InvalidArgumentError("muted", "must be a bool")
    if not muted and role is Role.LISTENER:
        raise AudioPermissionError("a listener cannot unmute; become a speaker first")
    return muted
