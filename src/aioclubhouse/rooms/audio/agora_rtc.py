"""An :class:`AudioBackend` on ``agorartc``, the 3.x desktop SDK the 2021 Python clients used.

``agora-python-sdk`` ships wheels only for Windows and macOS and only for CPython
3.6-3.9, so this adapter is for those machines.  The module is never imported here:
:func:`aioclubhouse.rooms.audio.load_backend` imports it under guard and passes it in.

What the adapter does with the SDK (``spec/AGORA.md`` section 1):

* ``createRtcEngineBridge``, ``initialize(app_id, None, area)``, audio only, the channel
  profile and role the official app used, volume indications, then
  ``joinChannel(token, channel, "", uid)``; ``connect`` returns on join success;
* remote PCM comes from an ``AudioFrameObserver`` director: the before-mixing callback
  receives a raw C pointer, copied out with ``ctypes.string_at`` at once;
* event-handler and frame callbacks run on SDK threads and only hand copies to the
  event loop; volume indications carry only their first entry (a SWIG limitation).
"""

from __future__ import annotations

import asyncio
import ctypes
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any, cast

from ...errors import InvalidArgumentError
from ...redaction import get_logger
from . import agora_codes
from .backend import (
    ActiveSpeaker,
    AudioEvent,
    AudioUserJoined,
    AudioUserLeft,
    ConnectionState,
    PcmFrame,
    Role,
    StateChanged,
    TokenExpired,
    TokenWillExpire,
    VolumeIndication,
    validate_join,
    validate_role,
    validate_token,
)
from .errors import AudioConnectionError, AudioPermissionError, AudioStateError
from .streams import DEFAULT_EVENT_QUEUE, DEFAULT_FRAME_QUEUE, BackendStreams

__all__ = ["AgoraRtcBackend"]

log = get_logger("aioclubhouse.rooms.audio")

CLUBHOUSE_AREA_CODE = 0xFFFFFFFE
"""``AREA_CODE_GLOB & 0xFFFFFFFE``: every region but mainland China (clubhouse-py)."""

CHANNEL_PROFILES = {
    "live_broadcasting": "CHANNEL_PROFILE_LIVE_BROADCASTING",
    "communication": "CHANNEL_PROFILE_COMMUNICATION",
}

_SETTLED = (ConnectionState.CONNECTED, ConnectionState.FAILED, ConnectionState.DISCONNECTED)


class _EngineCallbacks:
    """``RtcEngineEventHandlerBase`` overrides; every other callback keeps the SDK default."""

    def __init__(self, backend: AgoraRtcBackend) -> None:
        super().__init__()
        self._backend = backend

    def _emit(self, event: AudioEvent) -> None:
        self._backend.streams.emit_threadsafe(event)

    def _remote(self, uid: Any) -> int:
        number = int(uid)
        return self._backend.own_uid if number == 0 else number

    def onConnectionStateChanged(self, state: Any, reason: Any) -> None:
        self._emit(
            StateChanged(
                state=agora_codes.connection_state(state),
                reason=agora_codes.connection_reason(reason),
            )
        )

    def onUserJoined(self, uid: Any, elapsed: Any) -> None:
        self._emit(AudioUserJoined(uid=self._remote(uid)))

    def onUserOffline(self, uid: Any, reason: Any) -> None:
        self._emit(
            AudioUserLeft(uid=self._remote(uid), reason=agora_codes.user_offline_reason(reason))
        )

    def onAudioVolumeIndication(self, speakers: Any, speakerNumber: Any, totalVolume: Any) -> None:
        volumes: dict[int, int] = {}
        if speakers is not None and int(speakerNumber or 0) > 0:
            volumes[self._remote(speakers.uid)] = int(speakers.volume)
        self._emit(VolumeIndication(volumes=volumes, total=int(totalVolume or 0)))

    def onActiveSpeaker(self, uid: Any) -> None:
        self._emit(ActiveSpeaker(uid=self._remote(uid)))

    def onTokenPrivilegeWillExpire(self, token: Any) -> None:
        self._emit(TokenWillExpire())

    def onRequestToken(self) -> None:
        self._emit(TokenExpired())

    def onError(self, err: Any, msg: Any) -> None:
        log.warning("Agora engine error %s", err)


class _FrameCallbacks:
    """``AudioFrameObserver``: all four pure-virtual callbacks must exist."""

    def __init__(self, backend: AgoraRtcBackend) -> None:
        super().__init__()
        self._backend = backend

    def onPlaybackAudioFrameBeforeMixing(
        self,
        uid: Any,
        type1: Any,
        samples: Any,
        bytesPerSample: Any,
        channels: Any,
        samplesPerSec: Any,
        buffer1: Any,
        renderTimeMs: Any,
        avsync_type: Any,
    ) -> bool:
        size = int(samples) * int(bytesPerSample) * int(channels)
        if buffer1 and size > 0:
            render_ms = int(renderTimeMs or 0)
            frame = PcmFrame(
                uid=int(uid),
                pcm=ctypes.string_at(int(buffer1), size),  # the native buffer dies after return
                sample_rate=int(samplesPerSec),
                channels=int(channels),
                sample_width=int(bytesPerSample),
                timestamp_ms=render_ms if render_ms > 0 else None,
            )
            self._backend.streams.emit_frame_threadsafe(frame)
        return True

    def onRecordAudioFrame(self, *frame: Any) -> bool:
        return True

    def onPlaybackAudioFrame(self, *frame: Any) -> bool:
        return True

    def onMixedAudioFrame(self, *frame: Any) -> bool:
        return True


def _director(callbacks: type[Any], swig_base: Any, backend: AgoraRtcBackend) -> Any:
    """An instance of ``callbacks`` that is also the SWIG director class ``swig_base``."""
    combined = type(callbacks.__name__, (callbacks, swig_base), {})
    return combined(backend)


class AgoraRtcBackend:
    """Joins a Clubhouse room's Agora channel through the ``agorartc`` desktop engine.

    ``channel_profile`` defaults to LIVE_BROADCASTING with audience/broadcaster roles,
    as the official Android app; clubhouse-py left the 3.x default, COMMUNICATION, in
    which ``set_role`` only changes whether this adapter lets you unmute.
    """

    def __init__(
        self,
        agorartc: ModuleType,
        *,
        channel_profile: str = "live_broadcasting",
        volume_interval_ms: int = 200,
        volume_smooth: int = 3,
        connect_timeout: float = 15.0,
        frame_queue_size: int = DEFAULT_FRAME_QUEUE,
        event_queue_size: int = DEFAULT_EVENT_QUEUE,
    ) -> None:
        if channel_profile not in CHANNEL_PROFILES:
            raise InvalidArgumentError(
                "channel_profile", f"must be one of {sorted(CHANNEL_PROFILES)}"
            )
        self._sdk: Any = agorartc
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
        self._engine: Any = None
        self._handler: Any = None
        self._frame_observer: Any = None
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

    @property
    def _live(self) -> bool:
        return self.channel_profile == "live_broadcasting"

    async def connect(self, *, app_id: str, token: str, channel: str, uid: int, role: Role) -> None:
        validate_join(app_id=app_id, token=token, channel=channel, uid=uid, role=role)
        if self._connect_called:
            raise AudioStateError("connect was already called; a backend joins one channel once")
        self._connect_called = True
        self.streams.bind(asyncio.get_running_loop())
        self.own_uid, self._role = uid, role
        try:
            engine = self._set_up_engine(app_id, role)
        except BaseException:
            await self._release()
            raise
        await self._join(engine, token, channel, uid)

    def _set_up_engine(self, app_id: str, role: Role) -> Any:
        """Create and configure the engine the way the Clubhouse clients did."""
        sdk = self._sdk
        engine = sdk.createRtcEngineBridge()
        self._engine = engine
        self._handler = _director(_EngineCallbacks, sdk.RtcEngineEventHandlerBase, self)
        engine.initEventHandler(self._handler)
        code = engine.initialize(app_id, None, CLUBHOUSE_AREA_CODE)
        if isinstance(code, int) and code < 0:
            raise AudioConnectionError(f"the Agora engine did not initialise (code {code})")
        engine.disableVideo()
        engine.setChannelProfile(getattr(sdk, CHANNEL_PROFILES[self.channel_profile]))
        if self._live:
            engine.setClientRole(self._client_role(role))
        engine.setAudioProfile(
            sdk.AUDIO_PROFILE_MUSIC_HIGH_QUALITY_STEREO, sdk.AUDIO_SCENARIO_GAME_STREAMING
        )
        engine.enableAudioVolumeIndication(self._volume_interval_ms, self._volume_smooth, True)
        self._frame_observer = _director(_FrameCallbacks, sdk.AudioFrameObserver, self)
        sdk.registerAudioFrameObserver(engine, self._frame_observer)
        self._apply_microphone(role)
        return engine

    async def _join(self, engine: Any, token: str, channel: str, uid: int) -> None:
        """Ask to join, then wait for the engine to report the outcome."""
        outcome = self.streams.expect_state(lambda state: state in _SETTLED)
        try:
            code = engine.joinChannel(token, channel, "", uid)
            if isinstance(code, int) and code < 0:
                raise AudioConnectionError(f"the Agora engine refused to join (code {code})")
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
        engine = self._engine
        if engine is not None and self.streams.state is not ConnectionState.DISCONNECTED:
            left = self.streams.expect_state(lambda state: state is ConnectionState.DISCONNECTED)
            self.streams.begin_leaving()
            engine.leaveChannel()
            try:
                async with asyncio.timeout(self._connect_timeout):
                    await left
            except TimeoutError:
                log.warning("Agora did not confirm leaving the channel; releasing anyway")
            finally:
                left.cancel()
        await self._release()

    async def _release(self) -> None:
        """Unregister the frame observer, release the engine, end both streams."""
        self._left = True
        engine, self._engine = self._engine, None
        if engine is not None:
            if self._frame_observer is not None:
                self._sdk.unregisterAudioFrameObserver(engine, self._frame_observer)
            engine.release()
        self.streams.finish()

    async def set_muted(self, muted: bool) -> None:
        engine = self._require_engine()
        if not isinstance(muted, bool):
            raise InvalidArgumentError("muted", "must be a bool")
        if not muted and self._role is Role.LISTENER:
            raise AudioPermissionError("a listener cannot unmute; become a speaker first")
        engine.muteLocalAudioStream(muted)
        self._muted = muted

    async def set_role(self, role: Role) -> None:
        engine = self._require_engine()
        validate_role(role)
        if role is self._role:
            return
        if self._live:
            engine.setClientRole(self._client_role(role))
        self._role = role
        self._apply_microphone(role)

    async def renew_token(self, token: str) -> None:
        engine = self._require_engine()
        validate_token(token)
        code = engine.renewToken(token)
        if isinstance(code, int) and code < 0:
            raise AudioConnectionError(f"renewing the token failed (code {code})")

    def frames(self) -> AsyncIterator[PcmFrame]:
        return aiter(self.streams.frames)

    def events(self) -> AsyncIterator[AudioEvent]:
        return aiter(self.streams.events)

    def _apply_microphone(self, role: Role) -> None:
        """Listeners never capture; speakers capture but start muted."""
        engine = cast(Any, self._engine)
        engine.enableLocalAudio(role is Role.SPEAKER)
        engine.muteLocalAudioStream(True)
        self._muted = True

    def _client_role(self, role: Role) -> Any:
        if role is Role.SPEAKER:
            return self._sdk.CLIENT_ROLE_BROADCASTER
        return self._sdk.CLIENT_ROLE_AUDIENCE

    def _require_engine(self) -> Any:
        if self._engine is None or self._left:
            raise AudioStateError("not connected to an audio channel")
        return self._engine
