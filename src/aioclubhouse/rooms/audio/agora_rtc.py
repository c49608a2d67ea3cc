"""An :class:`AudioBackend` on ``agorartc``, the 3.x desktop SDK the 2021 Python clients used.

``agora-python-sdk`` ships wheels only for Windows and macOS and only for CPython
3.6-3.9, so this adapter is for those machines.  The module is never imported here:
:func:`aioclubhouse.rooms.audio.load_backend` imports it under guard and passes it in.

What the adapter does with the SDK (``docs/agora.md`` section 1):

* ``createRtcEngineBridge``, ``initialize(app_id, None, area)``, audio only, the channel
  profile and role the official app used, volume indications, then
  ``joinChannel(token, channel, "", uid)``; ``connect`` returns on join success;
* remote PCM comes from an ``AudioFrameObserver`` director: the before-mixing callback
  receives a raw C pointer, copied out with ``ctypes.string_at`` at once;
* event-handler and frame callbacks run on SDK threads and only hand copies to the
  event loop; volume indications carry only their first entry (a SWIG limitation).
"""

from __future__ import annotations

import ctypes
from types import ModuleType
from typing import Any

from ...redaction import get_logger
from . import agora_codes
from .agora_adapter import (
    CHANNEL_PROFILES,
    CLUBHOUSE_AREA_CODE,
    AgoraAdapter,
    SdkCallbacks,
    refused,
    with_sdk_base,
)
from .backend import (
    ActiveSpeaker,
    AudioEvent,
    AudioUserJoined,
    AudioUserLeft,
    PcmFrame,
    Role,
    StateChanged,
    TokenExpired,
    TokenWillExpire,
    VolumeIndication,
    validate_muted,
    validate_role,
    validate_token,
)
from .errors import AudioConnectionError
from .streams import DEFAULT_EVENT_QUEUE, DEFAULT_FRAME_QUEUE

__all__ = ["AgoraRtcBackend"]

log = get_logger("aioclubhouse.rooms.audio")


class _EngineCallbacks(SdkCallbacks):
    """``RtcEngineEventHandlerBase`` overrides; every other callback keeps the SDK default."""

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


class _FrameCallbacks(SdkCallbacks):
    """``AudioFrameObserver``: all four pure-virtual callbacks must exist."""

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


class AgoraRtcBackend(AgoraAdapter):
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
        super().__init__(
            channel_profile=channel_profile,
            volume_interval_ms=volume_interval_ms,
            volume_smooth=volume_smooth,
            connect_timeout=connect_timeout,
            frame_queue_size=frame_queue_size,
            event_queue_size=event_queue_size,
        )
        self._sdk: Any = agorartc
        self._handler: Any = None
        self._frame_observer: Any = None

    @property
    def _live(self) -> bool:
        return self.channel_profile == "live_broadcasting"

    async def connect(self, *, app_id: str, token: str, channel: str, uid: int, role: Role) -> None:
        self._begin_connect(app_id=app_id, token=token, channel=channel, uid=uid, role=role)
        try:
            self._set_up_engine(app_id, role)
        except BaseException:
            await self._release()
            raise
        await self._join(token, channel, uid)

    def _set_up_engine(self, app_id: str, role: Role) -> None:
        """Create and configure the engine the way the Clubhouse clients did."""
        sdk = self._sdk
        engine = sdk.createRtcEngineBridge()
        self._native = engine
        self._handler = with_sdk_base(_EngineCallbacks, sdk.RtcEngineEventHandlerBase, self)
        engine.initEventHandler(self._handler)
        code = engine.initialize(app_id, None, CLUBHOUSE_AREA_CODE)
        if refused(code):
            raise AudioConnectionError(f"the Agora engine did not initialise (code {code})")
        engine.disableVideo()
        engine.setChannelProfile(getattr(sdk, CHANNEL_PROFILES[self.channel_profile]))
        if self._live:
            engine.setClientRole(self._client_role(role))
        engine.setAudioProfile(
            sdk.AUDIO_PROFILE_MUSIC_HIGH_QUALITY_STEREO, sdk.AUDIO_SCENARIO_GAME_STREAMING
        )
        engine.enableAudioVolumeIndication(self._volume_interval_ms, self._volume_smooth, True)
        self._frame_observer = with_sdk_base(_FrameCallbacks, sdk.AudioFrameObserver, self)
        sdk.registerAudioFrameObserver(engine, self._frame_observer)
        self._apply_microphone(role)

    def _send_join(self, engine: Any, token: str, channel: str, uid: int) -> None:
        code = engine.joinChannel(token, channel, "", uid)
        if refused(code):
            raise AudioConnectionError(f"the Agora engine refused to join (code {code})")

    def _send_leave(self, engine: Any) -> None:
        engine.leaveChannel()

    def _free(self, engine: Any) -> None:
        """Unregister the frame observer, then release the engine."""
        if self._frame_observer is not None:
            self._sdk.unregisterAudioFrameObserver(engine, self._frame_observer)
        engine.release()

    async def set_muted(self, muted: bool) -> None:
        engine = self._require_native()
        validate_muted(muted, self._role)
        engine.muteLocalAudioStream(muted)
        self._muted = muted

    async def set_role(self, role: Role) -> None:
        engine = self._require_native()
        validate_role(role)
        if role is self._role:
            return
        if self._live:
            engine.setClientRole(self._client_role(role))
        self._role = role
        self._apply_microphone(role)

    async def renew_token(self, token: str) -> None:
        engine = self._require_native()
        validate_token(token)
        code = engine.renewToken(token)
        if refused(code):
            raise AudioConnectionError(f"renewing the token failed (code {code})")

    def _apply_microphone(self, role: Role) -> None:
        """Listeners never capture; speakers capture but start muted."""
        engine = self._native
        engine.enableLocalAudio(role is Role.SPEAKER)
        engine.muteLocalAudioStream(True)
        self._muted = True

    def _client_role(self, role: Role) -> Any:
        if role is Role.SPEAKER:
            return self._sdk.CLIENT_ROLE_BROADCASTER
        return self._sdk.CLIENT_ROLE_AUDIENCE
