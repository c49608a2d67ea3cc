"""What the two Agora adapters share: Clubhouse's channel settings and one join's life.

Both SDKs are driven the same way once their native object exists (the ``agorartc``
engine, or the Server SDK's ``RTCConnection``): ask to join, wait for the state the
SDK reports back, ask to leave, wait again, then free it.  :class:`AgoraAdapter` does
that waiting and the bookkeeping around it; each adapter says how to create, join with,
leave with and free its native object.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from typing import Any

from ...errors import InvalidArgumentError
from ...redaction import get_logger
from .backend import AudioEvent, ConnectionState, PcmFrame, Role, validate_join
from .errors import AudioConnectionError, AudioStateError
from .streams import BackendStreams

__all__ = [
    "CHANNEL_PROFILES",
    "CLUBHOUSE_AREA_CODE",
    "AgoraAdapter",
    "SdkCallbacks",
    "refused",
    "with_sdk_base",
]

log = get_logger("aioclubhouse.rooms.audio")

CLUBHOUSE_AREA_CODE = 0xFFFFFFFE
"""``AREA_CODE_GLOB & 0xFFFFFFFE``: every region but mainland China (the Clubhouse clients)."""

CHANNEL_PROFILES = {
    "live_broadcasting": "CHANNEL_PROFILE_LIVE_BROADCASTING",
    "communication": "CHANNEL_PROFILE_COMMUNICATION",
}
"""The official Android app joins LIVE_BROADCASTING with audience/broadcaster roles."""

_SETTLED = (ConnectionState.CONNECTED, ConnectionState.FAILED, ConnectionState.DISCONNECTED)
"""States that end a join attempt, one way or the other."""


def refused(code: object) -> bool:
    """Whether an SDK call answered with a failure (a negative int)."""
    return isinstance(code, int) and code < 0


class SdkCallbacks:
    """Base of the adapters' callback classes, which report to the backend that made them.

    The SDK calls them on its own threads: they copy what they get and hand it to the
    event loop through ``backend.streams``, and never call back into the SDK.
    """

    def __init__(self, backend: AgoraAdapter) -> None:
        super().__init__()
        self._backend = backend


def with_sdk_base(callbacks: type[SdkCallbacks], sdk_base: Any, backend: AgoraAdapter) -> Any:
    """An instance of ``callbacks`` that is also an instance of the SDK's class ``sdk_base``.

    Subclassing the SDK's interface (a SWIG director, or a plain observer class) keeps
    every callback the adapter ignores defined.
    """
    combined = type(callbacks.__name__, (callbacks, sdk_base), {})
    return combined(backend)


class AgoraAdapter(ABC):
    """The state of one join through an Agora SDK, and the waits for its outcomes.

    The native object lives in ``_native`` from the moment it is created until it is
    freed; without it (before connecting, after leaving) the backend refuses calls.
    """

    def __init__(
        self,
        *,
        channel_profile: str,
        volume_interval_ms: int,
        volume_smooth: int,
        connect_timeout: float,
        frame_queue_size: int,
        event_queue_size: int,
    ) -> None:
        if channel_profile not in CHANNEL_PROFILES:
            raise InvalidArgumentError(
                "channel_profile", f"must be one of {sorted(CHANNEL_PROFILES)}"
            )
        self.channel_profile = channel_profile
        self._volume_interval_ms = volume_interval_ms
        self._volume_smooth = volume_smooth
        self._connect_timeout = connect_timeout
        self.streams = BackendStreams(
            frame_queue_size=frame_queue_size, event_queue_size=event_queue_size
        )
        self.own_uid = 0
        self._role = Role.LISTENER
        self._muted = True
        self._native: Any = None
        self._connect_called = False
        self._left = False

    @property
    def role(self) -> Role:
        return self._role

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def state(self) -> ConnectionState:
        return self.streams.state

    def frames(self) -> AsyncIterator[PcmFrame]:
        return aiter(self.streams.frames)

    def events(self) -> AsyncIterator[AudioEvent]:
        return aiter(self.streams.events)

    # -- what each SDK does differently ----------------------------------------------------

    @abstractmethod
    def _send_join(self, native: Any, token: str, channel: str, uid: int) -> None:
        """Ask the SDK to join (raising if it refuses at once); the outcome comes as a state."""

    @abstractmethod
    def _send_leave(self, native: Any) -> None:
        """Ask the SDK to leave; it reports DISCONNECTED when it has."""

    @abstractmethod
    def _free(self, native: Any) -> None:
        """Give the native object (and what hangs on it) back to the SDK."""

    # -- joining and leaving ---------------------------------------------------------------

    def _begin_connect(
        self, *, app_id: str, token: str, channel: str, uid: int, role: Role
    ) -> None:
        """Check the join's arguments, allow one join only, and bind the streams to this loop."""
        validate_join(app_id=app_id, token=token, channel=channel, uid=uid, role=role)
        if self._connect_called:
            raise AudioStateError("connect was already called; a backend joins one channel once")
        self._connect_called = True
        self.streams.bind(asyncio.get_running_loop())
        self.own_uid, self._role = uid, role

    async def _join(self, token: str, channel: str, uid: int) -> None:
        """Ask to join, then wait for the SDK to report the outcome; free everything on failure."""
        outcome = self.streams.expect_state(lambda state: state in _SETTLED)
        try:
            self._send_join(self._native, token, channel, uid)
            async with asyncio.timeout(self._connect_timeout):
                event = await outcome
        except TimeoutError:
            await self._release()
            raise AudioConnectionError("the Agora channel did not answer in time") from None
        except BaseException:
            await self._release()
            raise
        finally:
            outcome.cancel()
        if event.state is not ConnectionState.CONNECTED:
            await self._release()
            raise AudioConnectionError(f"joining the Agora channel failed ({event.reason})")

    async def disconnect(self) -> None:
        if not self._connect_called or self._left:
            return
        native = self._native
        if native is not None and self.streams.state is not ConnectionState.DISCONNECTED:
            left = self.streams.expect_state(lambda state: state is ConnectionState.DISCONNECTED)
            self.streams.begin_leaving()
            self._send_leave(native)
            try:
                async with asyncio.timeout(self._connect_timeout):
                    await left
            except TimeoutError:
                log.warning("Agora did not confirm leaving the channel; releasing anyway")
            finally:
                left.cancel()
        await self._release()

    async def _release(self) -> None:
        """Free the native object and end both streams."""
        self._left = True
        native, self._native = self._native, None
        if native is not None:
            self._free(native)
        self.streams.finish()

    def _require_native(self) -> Any:
        if self._native is None or self._left:
            raise AudioStateError("not connected to an audio channel")
        return self._native
