"""``AgoraService``, ``RTCConnection`` and ``LocalUser``, playing a scripted channel.

``connect`` answers from another thread, as the native SDK does: connecting, then
either a failure (for ``REJECTED_TOKEN``) or connected, one remote speaker
(``SPEAKER_UID``) who sends ``FRAMES`` 10 ms frames of a ``TONE_HZ`` sine, a volume
indication, an active-speaker change and a token-expiry warning.  The frame buffer is
reused and zeroed after each callback, like native memory that must be copied out.
Every call lands in ``CALLS``.
"""

import math
import struct
import threading

from .agora_base import AudioFrame, AudioVolumeInfo, RTCConnInfo

SPEAKER_UID = 42
TONE_HZ = 440.0
FRAMES = 50
REJECTED_TOKEN = "rejected-token"
NO_TRACK = -1000
"""What the real RTCConnection answers to (un)publish_audio when it was created without
an audio track (``is_publish_audio=False``)."""

CALLS = []
"""(method, arguments...) tuples, in call order, across all objects of this module."""


class LocalUser:
    def __init__(self, connection):
        self._connection = connection
        self.playback_parameters = (1, 16000)

    def set_playback_audio_frame_before_mixing_parameters(self, channels, sample_rate_hz):
        CALLS.append(
            ("set_playback_audio_frame_before_mixing_parameters", channels, sample_rate_hz)
        )
        self.playback_parameters = (channels, sample_rate_hz)
        return 0

    def set_audio_volume_indication_parameters(self, interval_ms, smooth, report_vad):
        CALLS.append(("set_audio_volume_indication_parameters", interval_ms, smooth, report_vad))
        return 0

    def set_user_role(self, role):
        CALLS.append(("set_user_role", role))
        return 0


class RTCConnection:
    def __init__(self, conn_config, publish_config):
        self.conn_config = conn_config
        self.publish_config = publish_config
        self.local_user = LocalUser(self)
        self.observer = None
        self.user_observer = None
        self.frame_observer = None
        self.threads = []

    def register_observer(self, observer):
        CALLS.append(("register_observer",))
        self.observer = observer
        return 0

    def register_local_user_observer(self, observer):
        CALLS.append(("register_local_user_observer",))
        self.user_observer = observer
        return 0

    def register_audio_frame_observer(self, observer, enable_vad, vad_configure):
        CALLS.append(("register_audio_frame_observer", enable_vad, vad_configure))
        self.frame_observer = observer
        return 0

    def get_local_user(self):
        return self.local_user

    def connect(self, token, chan_id, user_id):
        CALLS.append(("connect", token, chan_id, user_id))
        self._spawn(self._play_join, token, chan_id, user_id)
        return 0

    def disconnect(self):
        CALLS.append(("disconnect",))
        self._spawn(self._play_leave)
        return 0

    def renew_token(self, token):
        CALLS.append(("renew_token", token))
        return 0

    def publish_audio(self):
        CALLS.append(("publish_audio",))
        return 0 if self.publish_config.is_publish_audio else NO_TRACK

    def unpublish_audio(self):
        CALLS.append(("unpublish_audio",))
        return 0 if self.publish_config.is_publish_audio else NO_TRACK

    def release(self):
        CALLS.append(("release_connection",))
        for thread in self.threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)

    def _spawn(self, target, *args):
        thread = threading.Thread(target=target, args=args, daemon=True)
        self.threads.append(thread)
        thread.start()

    def _info(self, channel, state, user_id="0"):
        return RTCConnInfo(
            id=1, channel_id=channel, state=state, local_user_id=user_id, internal_uid=0
        )

    def _play_join(self, token, channel, user_id):
        self.channel = channel
        self.observer.on_connecting(self, self._info(channel, 2, user_id), 0)
        if token == REJECTED_TOKEN:
            self.observer.on_connection_failure(self, self._info(channel, 5, user_id), 8)
            return
        self.observer.on_connected(self, self._info(channel, 3, user_id), 1)
        self.observer.on_lastmile_quality(self, 1)
        self.observer.on_user_joined(self, str(SPEAKER_UID))
        channels, rate = self.local_user.playback_parameters
        per_frame = rate // 100
        buffer = bytearray(2 * channels * per_frame)
        for index in range(FRAMES):
            samples = []
            for n in range(index * per_frame, (index + 1) * per_frame):
                value = round(12000 * math.sin(2 * math.pi * TONE_HZ * n / rate))
                samples.extend([value] * channels)
            buffer[:] = struct.pack(f"<{len(samples)}h", *samples)
            frame = AudioFrame(
                type=0,
                samples_per_channel=per_frame,
                bytes_per_sample=2,
                channels=channels,
                samples_per_sec=rate,
                buffer=buffer,
                render_time_ms=5000 + 10 * index,
                avsync_type=0,
                presentation_ms=0,
            )
            self.frame_observer.on_playback_audio_frame_before_mixing(
                self.local_user, channel, str(SPEAKER_UID), frame, 0, None
            )
            buffer[:] = bytes(len(buffer))
        speakers = [
            AudioVolumeInfo(user_id=str(SPEAKER_UID), volume=93, vad=1, voice_pitch=0.0),
            AudioVolumeInfo(user_id="0", volume=7, vad=0, voice_pitch=0.0),
        ]
        self.user_observer.on_audio_volume_indication(self.local_user, speakers, 2, 95)
        self.user_observer.on_active_speaker(self.local_user, str(SPEAKER_UID))
        self.observer.on_token_privilege_will_expire(self, token)

    def _play_leave(self):
        self.observer.on_disconnected(self, self._info(self.channel, 1), 5)


class AgoraService:
    def initialize(self, config):
        CALLS.append(("initialize", config))
        return 0

    def create_rtc_connection(self, conn_config, publish_config):
        CALLS.append(("create_rtc_connection", conn_config, publish_config))
        return RTCConnection(conn_config, publish_config)

    def release(self):
        CALLS.append(("release_service",))
