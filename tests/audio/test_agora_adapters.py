"""The Agora adapters against pure-Python doubles of their SDKs (see doubles/).

The doubles answer from their own threads and reuse their frame memory, so these tests
exercise the adapters' real work: the calls they make in the documented order, the
copy-then-hand-over from SDK threads to the event loop, and the mapping of SDK values
(string uids, uid 0, numeric states and reasons) to the backend-neutral ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aioclubhouse.rooms.audio import (
    CLUBHOUSE_AGORA_APP_ID,
    ActiveSpeaker,
    AudioConnectionError,
    AudioStateError,
    AudioUserJoined,
    ConnectionState,
    PcmFrame,
    Role,
    StateChanged,
    TokenWillExpire,
    VolumeIndication,
    load_backend,
)

from .conftest import SCRIPTED_JOIN, install_rtc_double, install_server_double, sdk_calls
from .signal_tools import decode, zero_crossing_frequency
from .stream_support import take

OWN_UID = SCRIPTED_JOIN["uid"]


def names(calls: list[tuple[Any, ...]]) -> list[str]:
    return [call[0] for call in calls]


def tone_of(frames: list[PcmFrame]) -> float:
    samples = [value for frame in frames for value in decode(frame.pcm)[:: frame.channels]]
    return zero_crossing_frequency(samples, frames[0].sample_rate)


def reported(events: list[Any], kind: type) -> list[Any]:
    return [event for event in events if isinstance(event, kind)]


async def events_until_token_warning(backend: Any) -> list[Any]:
    return await take(backend.events(), until=lambda event: isinstance(event, TokenWillExpire))


# -- agora-python-server-sdk -----------------------------------------------------------------------


@pytest.fixture
def server_sdk(sdk_site: Path) -> Path:
    return install_server_double(sdk_site)


async def test_server_adapter_sets_up_the_sdk_as_documented(server_sdk: Path) -> None:
    backend = load_backend("agora-server")
    await backend.connect(**SCRIPTED_JOIN, role=Role.LISTENER)
    calls = sdk_calls("agora.rtc.agora_service")
    assert names(calls)[:8] == [
        "initialize",
        "create_rtc_connection",
        "register_observer",
        "register_local_user_observer",
        "set_playback_audio_frame_before_mixing_parameters",
        "register_audio_frame_observer",
        "set_audio_volume_indication_parameters",
        "connect",
    ]
    config = calls[0][1]
    assert config.appid == CLUBHOUSE_AGORA_APP_ID
    assert config.area_code == 0xFFFFFFFE
    assert config.channel_profile.name == "CHANNEL_PROFILE_LIVE_BROADCASTING"
    assert config.audio_scenario.name == "AUDIO_SCENARIO_DEFAULT"
    conn_config, publish_config = calls[1][1], calls[1][2]
    assert conn_config.auto_subscribe_audio == 1
    assert conn_config.client_role_type.name == "CLIENT_ROLE_AUDIENCE"
    assert publish_config.is_publish_audio is True  # a track to publish on unmute
    assert calls[4][1:] == (1, 16000)
    assert calls[5][1:] == (0, None)
    assert calls[6][1:] == (200, 3, True)
    assert calls[7][1:] == (SCRIPTED_JOIN["token"], SCRIPTED_JOIN["channel"], str(OWN_UID))


async def test_server_adapter_copies_frames_out_of_sdk_memory(server_sdk: Path) -> None:
    backend = load_backend("agora-server", sample_rate=48000, channels=2)
    await backend.connect(**SCRIPTED_JOIN, role=Role.LISTENER)
    frames: list[PcmFrame] = await take(backend.frames(), count=50)
    assert {(f.uid, f.sample_rate, f.channels) for f in frames} == {(42, 48000, 2)}
    assert [f.timestamp_ms for f in frames] == [5000 + 10 * n for n in range(50)]
    assert tone_of(frames) == pytest.approx(440.0, rel=0.01)  # zeroed buffers would fail this


async def test_server_adapter_maps_sdk_events(server_sdk: Path) -> None:
    backend = load_backend("agora-server")
    await backend.connect(**SCRIPTED_JOIN, role=Role.LISTENER)
    events = await events_until_token_warning(backend)
    assert reported(events, StateChanged) == [
        StateChanged(state=ConnectionState.CONNECTING, reason="connecting"),
        StateChanged(state=ConnectionState.CONNECTED, reason="join_success"),
    ]
    assert reported(events, AudioUserJoined) == [AudioUserJoined(uid=42)]
    assert reported(events, VolumeIndication) == [
        VolumeIndication(volumes={42: 93, OWN_UID: 7}, total=95)
    ]
    assert reported(events, ActiveSpeaker) == [ActiveSpeaker(uid=42)]


async def test_server_adapter_speaker_flow(server_sdk: Path) -> None:
    backend = load_backend("agora-server")
    await backend.connect(**SCRIPTED_JOIN, role=Role.LISTENER)
    calls = sdk_calls("agora.rtc.agora_service")
    del calls[:]
    await backend.renew_token("speaker-token")
    await backend.set_role(Role.SPEAKER)
    await backend.set_muted(False)
    await backend.set_muted(False)
    await backend.set_role(Role.LISTENER)
    assert [(call[0], *(str(arg) for arg in call[1:])) for call in calls] == [
        ("renew_token", "speaker-token"),
        ("set_user_role", str(1)),
        ("publish_audio",),
        ("unpublish_audio",),
        ("set_user_role", str(2)),
    ]


async def test_server_adapter_leaves_and_keeps_the_process_service(server_sdk: Path) -> None:
    first = load_backend("agora-server")
    await first.connect(**SCRIPTED_JOIN, role=Role.LISTENER)
    await first.disconnect()
    events = await take(first.events())
    assert events[-1] == StateChanged(state=ConnectionState.DISCONNECTED, reason="leave_channel")
    second = load_backend("agora-server")
    await second.connect(**SCRIPTED_JOIN, role=Role.SPEAKER)
    await second.disconnect()
    calls = names(sdk_calls("agora.rtc.agora_service"))
    assert calls.count("initialize") == 1
    assert calls.count("release_connection") == 2
    assert "release_service" not in calls
    third = load_backend("agora-server")
    with pytest.raises(AudioStateError):
        await third.connect(**{**SCRIPTED_JOIN, "app_id": "0" * 32}, role=Role.LISTENER)


async def test_server_adapter_reports_a_rejected_token(server_sdk: Path) -> None:
    backend = load_backend("agora-server")
    with pytest.raises(AudioConnectionError, match="invalid_token"):
        await backend.connect(**{**SCRIPTED_JOIN, "token": "rejected-token"}, role=Role.LISTENER)
    events = await take(backend.events())
    assert [event.state for event in reported(events, StateChanged)] == [
        ConnectionState.CONNECTING,
        ConnectionState.FAILED,
        ConnectionState.DISCONNECTED,
    ]
    assert "release_connection" in names(sdk_calls("agora.rtc.agora_service"))


# -- agorartc ------------------------------------------------------------------------------------


@pytest.fixture
def rtc_sdk(sdk_site: Path) -> None:
    install_rtc_double(sdk_site)


async def test_rtc_adapter_sets_up_the_engine_as_documented(rtc_sdk: None) -> None:
    backend = load_backend("agora-rtc")
    await backend.connect(**SCRIPTED_JOIN, role=Role.LISTENER)
    assert sdk_calls("agorartc")[:12] == [
        ("createRtcEngineBridge",),
        ("initEventHandler",),
        ("initialize", CLUBHOUSE_AGORA_APP_ID, None, 0xFFFFFFFE),
        ("disableVideo",),
        ("setChannelProfile", 1),
        ("setClientRole", 2),
        ("setAudioProfile", 5, 3),
        ("enableAudioVolumeIndication", 200, 3, True),
        ("registerAudioFrameObserver",),
        ("enableLocalAudio", False),
        ("muteLocalAudioStream", True),
        ("joinChannel", SCRIPTED_JOIN["token"], SCRIPTED_JOIN["channel"], "", OWN_UID),
    ]


async def test_rtc_adapter_copies_frames_from_native_pointers(rtc_sdk: None) -> None:
    backend = load_backend("agora-rtc")
    await backend.connect(**SCRIPTED_JOIN, role=Role.LISTENER)
    frames: list[PcmFrame] = await take(backend.frames(), count=50)
    assert {(f.uid, f.sample_rate, f.channels, len(f.pcm)) for f in frames} == {(42, 48000, 1, 960)}
    assert [f.timestamp_ms for f in frames] == [7000 + 10 * n for n in range(50)]
    assert tone_of(frames) == pytest.approx(440.0, rel=0.01)


async def test_rtc_adapter_maps_engine_events_without_duplicates(rtc_sdk: None) -> None:
    backend = load_backend("agora-rtc")
    await backend.connect(**SCRIPTED_JOIN, role=Role.LISTENER)
    events = await events_until_token_warning(backend)
    assert reported(events, StateChanged) == [
        StateChanged(state=ConnectionState.CONNECTING, reason="connecting"),
        StateChanged(state=ConnectionState.CONNECTED, reason="join_success"),
    ]
    assert reported(events, AudioUserJoined) == [AudioUserJoined(uid=42)]
    assert reported(events, VolumeIndication) == [VolumeIndication(volumes={42: 93}, total=95)]
    assert reported(events, ActiveSpeaker) == [ActiveSpeaker(uid=42)]


async def test_rtc_adapter_speaker_flow_and_leave(rtc_sdk: None) -> None:
    backend = load_backend("agora-rtc")
    await backend.connect(**SCRIPTED_JOIN, role=Role.LISTENER)
    calls = sdk_calls("agorartc")
    del calls[:]
    await backend.renew_token("speaker-token")
    await backend.set_role(Role.SPEAKER)
    await backend.set_muted(False)
    await backend.disconnect()
    assert calls == [
        ("renewToken", "speaker-token"),
        ("setClientRole", 1),
        ("enableLocalAudio", True),
        ("muteLocalAudioStream", True),
        ("muteLocalAudioStream", False),
        ("leaveChannel",),
        ("unregisterAudioFrameObserver",),
        ("release",),
    ]


async def test_rtc_adapter_in_communication_profile_sets_no_client_role(rtc_sdk: None) -> None:
    backend = load_backend("agora-rtc", channel_profile="communication")
    await backend.connect(**SCRIPTED_JOIN, role=Role.LISTENER)
    await backend.set_role(Role.SPEAKER)
    await backend.set_muted(False)
    calls = sdk_calls("agorartc")
    assert ("setChannelProfile", 0) in calls
    assert "setClientRole" not in names(calls)
    await backend.disconnect()


async def test_rtc_adapter_reports_a_rejected_token(rtc_sdk: None) -> None:
    backend = load_backend("agora-rtc")
    with pytest.raises(AudioConnectionError, match="invalid_token"):
        await backend.connect(**{**SCRIPTED_JOIN, "token": "rejected-token"}, role=Role.LISTENER)
    assert names(sdk_calls("agorartc"))[-2:] == ["unregisterAudioFrameObserver", "release"]
