"""An :class:`AudioBackend` on Agora's RTC Server SDK (``agora-python-server-sdk``, native 4.4).

The SDK is not imported here: :func:`aioclubhouse.rooms.audio.load_backend` checks that
it and its native library are installed, imports it under guard and hands the modules
over as :class:`AgoraServerSdk`, so this module imports everywhere and is typed against
the SDK as ``Any``.

What the adapter does with the SDK (``docs/agora.md`` section 2):

* one ``AgoraService`` per process, initialised with the Clubhouse settings (area code
  global minus China, the channel profile the apps used) and released at exit;
* per join, an ``RTCConnection`` as audience or broadcaster that subscribes to all
  audio and delivers each remote user's PCM before mixing, at the chosen rate;
* its observers run on native threads: each copies what it got and hands it to the
  event loop (``BackendStreams.*_threadsafe``), and never calls back into the SDK;
* uids travel as decimal strings in this SDK and come back out as ints.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from types import ModuleType
from typing import Any, cast

import attrs

from ...errors import InvalidArgumentError
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
    AudioUserJoined,
    AudioUserLeft,
    ConnectionState,
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
from .errors import AudioConnectionError, AudioStateError
from .streams import DEFAULT_EVENT_QUEUE, DEFAULT_FRAME_QUEUE

__all__ = ["AgoraServerBackend", "AgoraServerSdk"]

log = get_logger("aioclubhouse.rooms.audio")

SAMPLE_RATES = (8000, 16000, 32000, 44100, 48000)


@attrs.frozen(kw_only=True)
class AgoraServerSdk:
    """The imported modules of ``agora-python-server-sdk`` that the adapter uses."""

    agora_service: ModuleType
    agora_base: ModuleType
    rtc_connection_observer: ModuleType
    local_user_observer: ModuleType
    audio_frame_observer: ModuleType


# -- the per-process service ----------------------------------------------------------------

_services: weakref.WeakKeyDictionary[ModuleType, tuple[Any, str]] = weakref.WeakKeyDictionary()
_services_lock = threading.Lock()


def _shared_service(sdk: AgoraServerSdk, app_id: str, profile: Any, scenario: Any) -> Any:
    """The one ``AgoraService`` of this process, initialised on first use."""
    with _services_lock:
        existing = _services.get(sdk.agora_service)
        if existing is not None:
            service, service_app_id = existing
            if service_app_id != app_id:
                raise AudioStateError("the Agora service of this process runs another App ID")
            return service
        base: Any = sdk.agora_base
        config = base.AgoraServiceConfig(
            appid=app_id,
            area_code=CLUBHOUSE_AREA_CODE,
            channel_profile=profile,
            audio_scenario=scenario,
            enable_audio_processor=1,
            enable_audio_device=0,
            enable_video=0,
        )
        service = cast(Any, sdk.agora_service).AgoraService()
        code = service.initialize(config)
        if refused(code):
            raise AudioConnectionError(f"AgoraService.initialize failed with code {code}")
        _services[sdk.agora_service] = (service, app_id)
        atexit.register(service.release)
        return service


# -- observers: called on native threads ------------------------------------------------------


def _uid(user_id: object, own_uid: int) -> int | None:
    """An SDK user id as a Clubhouse uid (``"0"``/0 is the local user); None if not numeric."""
    try:
        uid = int(str(user_id))
    except ValueError:
        return None
    return own_uid if uid == 0 else uid


class _ConnectionCallbacks(SdkCallbacks):
    """``IRTCConnectionObserver`` methods the adapter listens to."""

    def _state(self, state: ConnectionState, reason: object) -> None:
        event = StateChanged(state=state, reason=agora_codes.connection_reason(reason))
        self._backend.streams.emit_threadsafe(event)

    def on_connecting(self, agora_rtc_conn: Any, conn_info: Any, reason: Any) -> None:
        self._state(ConnectionState.CONNECTING, reason)

    def on_connected(self, agora_rtc_conn: Any, conn_info: Any, reason: Any) -> None:
        self._state(ConnectionState.CONNECTED, reason)

    def on_reconnecting(self, agora_rtc_conn: Any, conn_info: Any, reason: Any) -> None:
        self._state(ConnectionState.RECONNECTING, reason)

    def on_reconnected(self, agora_rtc_conn: Any, conn_info: Any, reason: Any) -> None:
        self._state(ConnectionState.CONNECTED, reason)

    def on_disconnected(self, agora_rtc_conn: Any, conn_info: Any, reason: Any) -> None:
        self._state(ConnectionState.DISCONNECTED, reason)

    def on_connection_lost(self, agora_rtc_conn: Any, conn_info: Any) -> None:
        event = StateChanged(state=ConnectionState.RECONNECTING, reason="connection_lost")
        self._backend.streams.emit_threadsafe(event)

    def on_connection_failure(self, agora_rtc_conn: Any, conn_info: Any, reason: Any) -> None:
        self._state(ConnectionState.FAILED, reason)

    def on_user_joined(self, agora_rtc_conn: Any, user_id: Any) -> None:
        uid = _uid(user_id, self._backend.own_uid)
        if uid is not None:
            self._backend.streams.emit_threadsafe(AudioUserJoined(uid=uid))

    def on_user_left(self, agora_rtc_conn: Any, user_id: Any, reason: Any) -> None:
        uid = _uid(user_id, self._backend.own_uid)
        if uid is not None:
            reason_name = agora_codes.user_offline_reason(reason)
            self._backend.streams.emit_threadsafe(AudioUserLeft(uid=uid, reason=reason_name))

    def on_token_privilege_will_expire(self, agora_rtc_conn: Any, token: Any) -> None:
        self._backend.streams.emit_threadsafe(TokenWillExpire())

    def on_token_privilege_did_expire(self, agora_rtc_conn: Any) -> None:
        self._backend.streams.emit_threadsafe(TokenExpired())

    def on_error(self, agora_rtc_conn: Any, error_code: Any, error_msg: Any) -> None:
        log.warning("Agora connection error %s", error_code)


class _LocalUserCallbacks(SdkCallbacks):
    """``IRTCLocalUserObserver`` methods: loudness and the active speaker."""

    def on_audio_volume_indication(
        self, agora_local_user: Any, speakers: Any, speaker_number: Any, total_volume: Any
    ) -> None:
        volumes: dict[int, int] = {}
        for info in list(speakers or ())[: max(0, int(speaker_number or 0))]:
            uid = _uid(getattr(info, "user_id", None), self._backend.own_uid)
            if uid is not None:
                volumes[uid] = int(getattr(info, "volume", 0))
        event = VolumeIndication(volumes=volumes, total=int(total_volume or 0))
        self._backend.streams.emit_threadsafe(event)

    def on_active_speaker(self, agora_local_user: Any, userId: Any) -> None:
        uid = _uid(userId, self._backend.own_uid)
        if uid is not None:
            self._backend.streams.emit_threadsafe(ActiveSpeaker(uid=uid))


class _AudioFrameCallbacks(SdkCallbacks):
    """``IAudioFrameObserver``: each remote user's PCM before mixing."""

    def on_playback_audio_frame_before_mixing(
        self, agora_local_user: Any, channelId: Any, uid: Any, frame: Any, *vad: Any
    ) -> int:
        sender = _uid(uid, self._backend.own_uid)
        if sender is not None and frame is not None:
            render_ms = int(getattr(frame, "render_time_ms", 0) or 0)
            copy = PcmFrame(
                uid=sender,
                pcm=bytes(frame.buffer),  # the SDK's buffer is reused: copy before handing over
                sample_rate=int(frame.samples_per_sec),
                channels=int(frame.channels),
                sample_width=int(frame.bytes_per_sample),
                timestamp_ms=render_ms if render_ms > 0 else None,
            )
            self._backend.streams.emit_frame_threadsafe(copy)
        return 1

    def on_record_audio_frame(self, agora_local_user: Any, channelId: Any, frame: Any) -> int:
        return 1

    def on_playback_audio_frame(self, agora_local_user: Any, channelId: Any, frame: Any) -> int:
        return 1

    def on_mixed_audio_frame(self, agora_local_user: Any, channelId: Any, frame: Any) -> int:
        return 1


# -- the backend ---------------------------------------------------------------------------------


class AgoraServerBackend(AgoraAdapter):
    """Joins a Clubhouse room's Agora channel through the RTC Server SDK."""

    def __init__(
        self,
        sdk: AgoraServerSdk,
        *,
        sample_rate: int = 16000,
        channels: int = 1,
        channel_profile: str = "live_broadcasting",
        volume_interval_ms: int = 200,
        volume_smooth: int = 3,
        connect_timeout: float = 15.0,
        frame_queue_size: int = DEFAULT_FRAME_QUEUE,
        event_queue_size: int = DEFAULT_EVENT_QUEUE,
    ) -> None:
        if sample_rate not in SAMPLE_RATES:
            raise InvalidArgumentError("sample_rate", f"must be one of {SAMPLE_RATES}")
        if channels not in (1, 2):
            raise InvalidArgumentError("channels", "must be 1 or 2")
        super().__init__(
            channel_profile=channel_profile,
            volume_interval_ms=volume_interval_ms,
            volume_smooth=volume_smooth,
            connect_timeout=connect_timeout,
            frame_queue_size=frame_queue_size,
            event_queue_size=event_queue_size,
        )
        self._sdk = sdk
        self.sample_rate = sample_rate
        self.channels = channels
        self._local_user: Any = None
        self._observers: list[Any] = []

    async def connect(self, *, app_id: str, token: str, channel: str, uid: int, role: Role) -> None:
        self._begin_connect(app_id=app_id, token=token, channel=channel, uid=uid, role=role)
        base: Any = self._sdk.agora_base
        profile = getattr(base.ChannelProfileType, CHANNEL_PROFILES[self.channel_profile])
        scenario = base.AudioScenarioType.AUDIO_SCENARIO_DEFAULT
        service = _shared_service(self._sdk, app_id, profile, scenario)
        connection = service.create_rtc_connection(
            base.RTCConnConfig(
                auto_subscribe_audio=1,
                auto_subscribe_video=0,
                client_role_type=self._client_role(role),
                channel_profile=profile,
            ),
            # A PCM track is made for every connection (nothing is sent until
            # publish_audio): without one the SDK refuses publish_audio with -1000.
            base.RtcConnectionPublishConfig(
                audio_scenario=scenario,
                is_publish_audio=True,
                is_publish_video=False,
                audio_publish_type=base.AudioPublishType.AUDIO_PUBLISH_TYPE_PCM,
            ),
        )
        if connection is None:
            raise AudioConnectionError("the Agora service could not create a connection")
        self._native = connection
        try:
            self._observe(connection)
        except BaseException:
            await self._release()
            raise
        await self._join(token, channel, uid)

    def _observe(self, connection: Any) -> None:
        """Register the three observers and ask for per-user PCM and volume reports."""
        self._observers = [
            with_sdk_base(
                _ConnectionCallbacks,
                cast(Any, self._sdk.rtc_connection_observer).IRTCConnectionObserver,
                self,
            ),
            with_sdk_base(
                _LocalUserCallbacks,
                cast(Any, self._sdk.local_user_observer).IRTCLocalUserObserver,
                self,
            ),
            with_sdk_base(
                _AudioFrameCallbacks,
                cast(Any, self._sdk.audio_frame_observer).IAudioFrameObserver,
                self,
            ),
        ]
        connection_observer, user_observer, frame_observer = self._observers
        connection.register_observer(connection_observer)
        connection.register_local_user_observer(user_observer)
        self._local_user = connection.get_local_user()
        self._local_user.set_playback_audio_frame_before_mixing_parameters(
            self.channels, self.sample_rate
        )
        connection.register_audio_frame_observer(frame_observer, 0, None)
        self._local_user.set_audio_volume_indication_parameters(
            self._volume_interval_ms, self._volume_smooth, True
        )

    def _send_join(self, connection: Any, token: str, channel: str, uid: int) -> None:
        code = connection.connect(token, channel, str(uid))
        if refused(code):
            raise AudioConnectionError(f"the Agora SDK refused to connect (code {code})")

    def _send_leave(self, connection: Any) -> None:
        connection.disconnect()

    def _free(self, connection: Any) -> None:
        """Free the connection; the process's service lives until exit."""
        connection.release()

    async def set_muted(self, muted: bool) -> None:
        connection = self._require_native()
        validate_muted(muted, self._role)
        if muted != self._muted:
            code = connection.unpublish_audio() if muted else connection.publish_audio()
            if refused(code):
                action = "unpublishing" if muted else "publishing"
                raise AudioConnectionError(f"{action} the audio track failed (code {code})")
            self._muted = muted

    async def set_role(self, role: Role) -> None:
        self._require_native()
        validate_role(role)
        if role is Role.LISTENER and not self._muted:
            await self.set_muted(True)
        self._local_user.set_user_role(self._client_role(role))
        self._role = role

    async def renew_token(self, token: str) -> None:
        connection = self._require_native()
        validate_token(token)
        code = connection.renew_token(token)
        if refused(code):
            raise AudioConnectionError(f"renewing the token failed (code {code})")

    def _client_role(self, role: Role) -> Any:
        kinds: Any = cast(Any, self._sdk.agora_base).ClientRoleType
        return kinds.CLIENT_ROLE_BROADCASTER if role is Role.SPEAKER else kinds.CLIENT_ROLE_AUDIENCE
