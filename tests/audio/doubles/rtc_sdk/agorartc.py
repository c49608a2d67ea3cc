"""Double of ``agorartc`` (agora-python-sdk 3.x): engine bridge, SWIG-style directors, constants.

``joinChannel`` answers from another thread like the native engine: state changes, join
success, one remote speaker (``SPEAKER_UID``) whose ``FRAMES`` frames of a ``TONE_HZ``
sine arrive as a raw pointer (``ctypes`` buffer address) that is zeroed after each
callback, a volume indication and an active-speaker change.  Directors must have run
the base ``__init__``, as SWIG requires.  Every call lands in ``CALLS``.
"""

import ctypes
import math
import struct
import threading

import _agorartc  # noqa: F401 - the real wrapper imports its extension the same way

CHANNEL_PROFILE_COMMUNICATION = 0
CHANNEL_PROFILE_LIVE_BROADCASTING = 1
CLIENT_ROLE_BROADCASTER = 1
CLIENT_ROLE_AUDIENCE = 2
AUDIO_PROFILE_MUSIC_HIGH_QUALITY_STEREO = 5
AUDIO_SCENARIO_GAME_STREAMING = 3
AREA_CODE_GLOB = 0xFFFFFFFF

SPEAKER_UID = 42
TONE_HZ = 440.0
FRAMES = 50
SAMPLE_RATE = 48000
REJECTED_TOKEN = "rejected-token"

CALLS = []

SETTINGS = {
    "setChannelProfile",
    "setClientRole",
    "setAudioProfile",
    "enableAudioVolumeIndication",
    "disableVideo",
    "enableLocalAudio",
    "muteLocalAudioStream",
    "muteRemoteAudioStream",
    "muteAllRemoteAudioStreams",
}
"""Engine methods from docs/agora.md section 1 that only change settings."""


class RtcEngineEventHandlerBase:
    def __init__(self):
        self.director_ready = True

    def onJoinChannelSuccess(self, channel, uid, elapsed):
        pass

    def onLeaveChannel(self, stats):
        pass

    def onConnectionStateChanged(self, state, reason):
        pass

    def onUserJoined(self, uid, elapsed):
        pass

    def onUserOffline(self, uid, reason):
        pass

    def onAudioVolumeIndication(self, speakers, speakerNumber, totalVolume):
        pass

    def onActiveSpeaker(self, uid):
        pass

    def onNetworkQuality(self, uid, txQuality, rxQuality):
        pass

    def onTokenPrivilegeWillExpire(self, token):
        pass

    def onRequestToken(self):
        pass


class AudioFrameObserver:
    def __init__(self):
        self.director_ready = True


class AudioVolumeInfo:
    def __init__(self, uid, volume, vad):
        self.uid = uid
        self.volume = volume
        self.vad = vad


class RtcEngineBridge:
    def __init__(self):
        self.handler = None
        self.frame_observer = None
        self.threads = []

    def __getattr__(self, name):
        """Settings the script ignores: recorded, and they succeed."""
        if name in SETTINGS:

            def setting(*args):
                CALLS.append((name, *args))
                return 0

            return setting
        raise AttributeError(name)

    def initEventHandler(self, handler):
        assert getattr(handler, "director_ready", False), "director base __init__ not called"
        CALLS.append(("initEventHandler",))
        self.handler = handler

    def initialize(self, app_id, context, area_code):
        CALLS.append(("initialize", app_id, context, area_code))
        return 0

    def joinChannel(self, token, channel_id, info, uid):
        CALLS.append(("joinChannel", token, channel_id, info, uid))
        self._spawn(self._play_join, token, channel_id, uid)
        return 0

    def leaveChannel(self):
        CALLS.append(("leaveChannel",))
        self._spawn(self._play_leave)
        return 0

    def renewToken(self, token):
        CALLS.append(("renewToken", token))
        return 0

    def release(self, sync=False):
        CALLS.append(("release",))
        for thread in self.threads:
            thread.join(timeout=5)

    def _spawn(self, target, *args):
        thread = threading.Thread(target=target, args=args, daemon=True)
        self.threads.append(thread)
        thread.start()

    def _play_join(self, token, channel, uid):
        self.handler.onConnectionStateChanged(2, 0)
        if token == REJECTED_TOKEN:
            self.handler.onConnectionStateChanged(5, 8)
            return
        self.handler.onJoinChannelSuccess(channel, uid, 12)
        self.handler.onConnectionStateChanged(3, 1)
        self.handler.onNetworkQuality(0, 1, 1)
        self.handler.onUserJoined(SPEAKER_UID, 0)
        per_frame = SAMPLE_RATE // 100
        buffer = ctypes.create_string_buffer(2 * per_frame)
        for index in range(FRAMES):
            samples = [
                round(12000 * math.sin(2 * math.pi * TONE_HZ * n / SAMPLE_RATE))
                for n in range(index * per_frame, (index + 1) * per_frame)
            ]
            data = struct.pack(f"<{per_frame}h", *samples)
            ctypes.memmove(buffer, data, len(data))
            observer = self.frame_observer
            if observer is None:
                return  # unregistered: the engine stops delivering frames
            observer.onPlaybackAudioFrameBeforeMixing(
                SPEAKER_UID,
                0,
                per_frame,
                2,
                1,
                SAMPLE_RATE,
                ctypes.addressof(buffer),
                7000 + 10 * index,
                0,
            )
            ctypes.memset(buffer, 0, len(data))
            observer.onPlaybackAudioFrame(0, per_frame, 2, 1, SAMPLE_RATE, 0, 0, 0)
        self.handler.onAudioVolumeIndication(AudioVolumeInfo(SPEAKER_UID, 93, 1), 1, 95)
        self.handler.onActiveSpeaker(SPEAKER_UID)
        self.handler.onTokenPrivilegeWillExpire(token)

    def _play_leave(self):
        self.handler.onLeaveChannel(None)
        self.handler.onConnectionStateChanged(1, 5)


def createRtcEngineBridge():
    CALLS.append(("createRtcEngineBridge",))
    return RtcEngineBridge()


def registerAudioFrameObserver(engine, observer):
    assert getattr(observer, "director_ready", False), "director base __init__ not called"
    CALLS.append(("registerAudioFrameObserver",))
    engine.frame_observer = observer


def unregisterAudioFrameObserver(engine, observer):
    CALLS.append(("unregisterAudioFrameObserver",))
    engine.frame_observer = None
