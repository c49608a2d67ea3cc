"""The fake backend: real tones, schedules, measured loudness, tokens, queues."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.world import World
from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms.audio import (
    CLUBHOUSE_AGORA_APP_ID,
    ActiveSpeaker,
    AudioConnectionError,
    AudioStateError,
    AudioUserJoined,
    AudioUserLeft,
    ConnectionState,
    FakeAudioBackend,
    PcmFrame,
    Role,
    StateChanged,
    TokenExpired,
    TokenWillExpire,
    VolumeIndication,
    frequency_for,
    load_backend,
    record,
)

from .signal_tools import decode, read_wav, zero_crossing_frequency
from .stream_support import take

JOIN: dict[str, Any] = {
    "app_id": CLUBHOUSE_AGORA_APP_ID,
    "token": "rtc-token-for-tests",
    "channel": "PxAbCdEf",
    "uid": 7,
    "role": Role.LISTENER,
}


async def joined(**options: Any) -> FakeAudioBackend:
    backend = FakeAudioBackend(**options)
    await backend.connect(**JOIN)
    return backend


# -- tones, read back from disk ----------------------------------------------------------------


async def test_each_speaker_is_recorded_as_its_own_tone(tmp_path: Path) -> None:
    backend = await joined(speakers={101: 440.0, 202: 1000.0}, duration=2.0)
    recorder = await record(backend.frames(), tmp_path)
    assert set(recorder.paths) == {101, 202}
    for uid, hz in ((101, 440.0), (202, 1000.0)):
        wav = read_wav(tmp_path / f"{uid}.wav")
        assert (wav.sample_rate, wav.channels) == (16000, 1)
        assert wav.seconds == pytest.approx(2.0)
        assert zero_crossing_frequency(wav.samples, wav.sample_rate) == pytest.approx(hz, rel=0.01)


async def test_the_mix_is_the_clipped_sum_of_the_tracks(tmp_path: Path) -> None:
    backend = await joined(speakers={1: 300.0, 2: 700.0}, amplitudes={1: 0.8, 2: 0.8}, duration=0.5)
    recorder = await record(backend.frames(), tmp_path)
    assert recorder.mix_path == tmp_path / "mix.wav"
    first, second, mix = (read_wav(tmp_path / name) for name in ("1.wav", "2.wav", "mix.wav"))
    expected = [
        max(-32768, min(32767, a + b)) for a, b in zip(first.samples, second.samples, strict=True)
    ]
    assert mix.samples == expected
    assert max(mix.samples) == 32767  # 0.8 + 0.8 of full scale does clip


async def test_stereo_frames_repeat_the_tone_on_both_channels(tmp_path: Path) -> None:
    backend = await joined(speakers={5: 523.25}, channels=2, sample_rate=48000, duration=0.5)
    await record(backend.frames(), tmp_path, mix=False)
    wav = read_wav(tmp_path / "5.wav")
    assert (wav.sample_rate, wav.channels) == (48000, 2)
    assert wav.samples[0::2] == wav.samples[1::2]
    assert zero_crossing_frequency(wav.samples[0::2], 48000) == pytest.approx(523.25, rel=0.01)
    assert not (tmp_path / "mix.wav").exists()


def test_default_tones_are_deterministic_and_differ_between_uids() -> None:
    uids = [101, 202, 303, 404, 505]
    tones = [frequency_for(uid) for uid in uids]
    assert tones == [frequency_for(uid) for uid in uids]
    assert len(set(tones)) == len(tones)
    assert all(200 <= hz < 1200 for hz in tones)


async def test_a_schedule_uid_without_a_given_tone_speaks_its_default_tone() -> None:
    backend = await joined(speakers=lambda t: {321})
    frames = await take(backend.frames(), count=30)
    samples = [value for frame in frames for value in decode(frame.pcm)]
    measured = zero_crossing_frequency(samples, 16000)
    assert measured == pytest.approx(frequency_for(321), rel=0.01)


# -- who speaks when -------------------------------------------------------------------------


def alternating(t: float) -> set[int]:
    if t < 0.5:
        return {1}
    if t < 1.0:
        return {2}
    if t < 1.5:
        return set()
    return {1, 2}


async def test_frames_follow_the_schedule_exactly() -> None:
    backend = await joined(speakers=alternating, frequencies={1: 440.0, 2: 880.0}, duration=2.0)
    frames: list[PcmFrame] = await take(backend.frames())
    by_time: dict[int, set[int]] = {}
    for frame in frames:
        assert frame.timestamp_ms is not None
        by_time.setdefault(frame.timestamp_ms, set()).add(frame.uid)
    for step in range(200):
        assert by_time.get(step * 10, set()) == alternating(step / 100), step


async def test_speakers_join_when_first_heard_and_leave_when_the_room_ends() -> None:
    backend = await joined(speakers=alternating, duration=2.0)
    await take(backend.frames())
    events = await take(
        backend.events(), until=lambda e: isinstance(e, AudioUserLeft) and e.uid == 2
    )
    presence = [e for e in events if isinstance(e, AudioUserJoined | AudioUserLeft)]
    assert presence == [
        AudioUserJoined(uid=1),
        AudioUserJoined(uid=2),
        AudioUserLeft(uid=1, reason="quit"),
        AudioUserLeft(uid=2, reason="quit"),
    ]
    first_join = events.index(AudioUserJoined(uid=2))
    volumes_before = [e for e in events[:first_join] if isinstance(e, VolumeIndication)]
    assert len(volumes_before) == 2  # uid 2 first speaks at 0.5 s, after two 200 ms reports


async def test_the_local_uid_never_arrives_as_a_remote_frame() -> None:
    backend = await joined(speakers={JOIN["uid"]: 440.0, 8: 660.0})
    frames = await take(backend.frames(), count=20)
    assert {frame.uid for frame in frames} == {8}


async def test_frames_follow_the_emulator_worlds_speaking_schedule() -> None:
    world = World(EmulatorConfig(sample_users=60, sample_clubs=6, sample_rooms=3), _SilentHub())
    world.populate()
    room = max(
        world.state.rooms.values(),
        key=lambda room: sum(member.is_speaker for member in room.users.values()),
    )
    channel = room.channel
    backend = await joined(speakers=lambda t: world.speaking(channel, t), duration=9.0)
    frames: list[PcmFrame] = await take(backend.frames())
    heard: dict[int, set[int]] = {}
    for frame in frames:
        assert frame.timestamp_ms is not None
        heard.setdefault(frame.timestamp_ms, set()).add(frame.uid)
    for step in range(0, 900, 7):
        expected = world.speaking(channel, step / 100) - {JOIN["uid"]}
        assert heard.get(step * 10, set()) == expected
    assert len({uid for uids in heard.values() for uid in uids}) >= 1


class _SilentHub:
    """The realtime hub a bare World needs; nothing here listens."""

    def publish(
        self, channel: str, message: dict[str, Any], *, publisher: str | None = None
    ) -> int:
        return 0

    def grant(self, token: str, user_id: int, channels: Any) -> None:
        return None

    def revoke(self, token: str) -> None:
        return None

    def revoke_channels(self, token: str, channels: Any) -> None:
        return None


# -- loudness, measured -----------------------------------------------------------------------


async def test_volumes_are_measured_from_the_samples() -> None:
    backend = await joined(speakers={1: 440.0, 2: 600.0}, amplitudes={1: 0.25, 2: 0.75})
    reports = await take(backend.events(), count=3, keep=lambda e: isinstance(e, VolumeIndication))
    for report in reports:
        assert set(report.volumes) == {1, 2}
        assert abs(report.volumes[1] - 0.25 * 255) <= 2
        assert abs(report.volumes[2] - 0.75 * 255) <= 2
        assert max(report.volumes.values()) <= report.total <= 255


async def test_silence_reports_zero_and_names_no_active_speaker() -> None:
    backend = await joined(speakers=lambda t: set())
    events = await take(backend.events(), count=5, keep=lambda e: isinstance(e, VolumeIndication))
    assert events == [VolumeIndication(volumes={}, total=0)] * 5
    assert backend.frame_index == 100


async def test_the_active_speaker_is_the_loudest_and_changes_with_the_schedule() -> None:
    def schedule(t: float) -> set[int]:
        return {1, 2} if t < 1.0 else {2}

    backend = await joined(
        speakers=schedule,
        amplitudes={1: 0.9, 2: 0.3},
        duration=2.0,
    )
    events = await take(backend.events(), until=lambda e: isinstance(e, AudioUserLeft))
    assert [e for e in events if isinstance(e, ActiveSpeaker)] == [
        ActiveSpeaker(uid=1),
        ActiveSpeaker(uid=2),
    ]


# -- tokens -------------------------------------------------------------------------------------


async def test_renewing_when_warned_keeps_the_connection() -> None:
    backend = await joined(
        speakers={1: 440.0}, token_will_expire_after_frames=50, token_expires_after_frames=80
    )
    warnings = 0
    async for event in backend.events():
        assert not isinstance(event, TokenExpired)
        if isinstance(event, TokenWillExpire):
            warnings += 1
            await backend.renew_token(f"fresh-token-{warnings}")
            if warnings == 8:
                break
    assert backend.frame_index == 8 * 50  # each renewal restarted the token's clock
    renewals = backend.calls_named("renew_token")
    assert [call.arguments["token"] for call in renewals] == [
        f"fresh-token-{n}" for n in range(1, 9)
    ]
    assert backend.state is ConnectionState.CONNECTED


async def test_without_renewal_the_token_expires_and_the_audio_stops() -> None:
    backend = await joined(
        speakers={1: 440.0}, token_will_expire_after_frames=10, token_expires_after_frames=30
    )
    frames = await take(backend.frames())
    assert len(frames) == 30
    events = await take(
        backend.events(),
        until=lambda e: isinstance(e, StateChanged) and e.state is ConnectionState.FAILED,
    )
    tail = [e for e in events if isinstance(e, TokenWillExpire | TokenExpired | StateChanged)]
    assert tail[-3:] == [
        TokenWillExpire(),
        TokenExpired(),
        StateChanged(state=ConnectionState.FAILED, reason="token_expired"),
    ]
    with pytest.raises(AudioStateError):
        await backend.renew_token("too-late")


async def test_a_rejected_token_fails_the_join() -> None:
    backend = FakeAudioBackend(token_validator=lambda token: token.startswith("006"))
    with pytest.raises(AudioConnectionError):
        await backend.connect(**JOIN)
    events = await take(backend.events())
    assert [e.state for e in events if isinstance(e, StateChanged)] == [
        ConnectionState.CONNECTING,
        ConnectionState.FAILED,
    ]
    assert events[-1] == StateChanged(state=ConnectionState.FAILED, reason="invalid_token")


# -- bookkeeping, queues, time ------------------------------------------------------------------


async def test_every_call_is_recorded_and_tokens_stay_out_of_reprs() -> None:
    backend = await joined()
    await backend.set_role(Role.SPEAKER)
    await backend.set_muted(False)
    await backend.renew_token("second-secret-token")
    await backend.disconnect()
    assert [call.name for call in backend.calls] == [
        "connect",
        "set_role",
        "set_muted",
        "renew_token",
        "disconnect",
    ]
    assert backend.calls[0].arguments["token"] == JOIN["token"]
    assert backend.calls[2].arguments == {"muted": False}
    shown = repr(backend.calls)
    assert JOIN["token"] not in shown and "second-secret-token" not in shown


async def test_a_slow_consumer_loses_the_oldest_items_and_they_are_counted() -> None:
    backend = await joined(speakers={1: 440.0}, frame_queue_size=5, event_queue_size=1000)
    await take(backend.events(), count=10, keep=lambda e: isinstance(e, VolumeIndication))
    assert backend.frame_index == 200
    assert backend.dropped_frames == 195
    kept = await take(backend.frames(), count=5)
    assert [frame.timestamp_ms for frame in kept] == [1950, 1960, 1970, 1980, 1990]


async def test_realtime_frames_arrive_in_order_with_consecutive_timestamps() -> None:
    backend = await joined(speakers={1: 440.0}, realtime=True)
    frames = await take(backend.frames(), count=15)
    assert [frame.timestamp_ms for frame in frames] == [10 * n for n in range(15)]
    await backend.disconnect()
    assert backend.calls_named("disconnect")


async def test_constructor_refuses_impossible_settings() -> None:
    with pytest.raises(InvalidArgumentError) as refused:
        FakeAudioBackend(speakers={1: 9000.0})  # above Nyquist at 16 kHz
    assert refused.value.field == "speakers"
    with pytest.raises(InvalidArgumentError):
        FakeAudioBackend(frame_ms=3, sample_rate=44100)
    with pytest.raises(InvalidArgumentError):
        FakeAudioBackend(channels=6)


async def test_the_loader_builds_a_fake_with_options() -> None:
    backend = load_backend("fake", speakers={3: 350.0}, sample_rate=8000)
    assert isinstance(backend, FakeAudioBackend)
    await backend.connect(**JOIN)
    frames = await take(backend.frames(), count=3)
    assert [(f.uid, f.sample_rate, len(f.pcm)) for f in frames] == [(3, 8000, 160)] * 3


async def test_random_schedules_never_produce_frames_for_the_silent(tmp_path: Path) -> None:
    chooser = random.Random(1234)
    plan = {step: set(chooser.sample([11, 22, 33], chooser.randint(0, 3))) for step in range(150)}
    backend = await joined(speakers=lambda t: plan[round(t * 100)], duration=1.5)
    recorder = await record(backend.frames(), tmp_path)
    origin = min(step for step, uids in plan.items() if uids)  # the files start here
    for uid in (11, 22, 33):
        if uid not in recorder.paths:
            assert all(uid not in uids for uids in plan.values())
            continue
        wav = read_wav(recorder.paths[uid])
        for step, uids in plan.items():
            if step < origin:
                continue
            block = wav.samples[(step - origin) * 160 : (step - origin + 1) * 160]
            if uid not in uids:
                assert not any(block), (uid, step)
            else:
                assert any(block), (uid, step)
