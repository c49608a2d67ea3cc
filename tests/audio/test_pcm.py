"""Sample arithmetic: tones, peaks, Agora volumes, clipped mixing."""

from __future__ import annotations

import struct

from aioclubhouse.rooms.audio import pcm


def samples(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 2}h", data))


def test_a_tone_cut_into_frames_is_the_same_tone() -> None:
    whole = pcm.sine(440.0, start=0, count=480, sample_rate=16000)
    pieces = b"".join(pcm.sine(440.0, start=n, count=160, sample_rate=16000) for n in (0, 160, 320))
    assert pieces == whole


def test_tone_amplitude_and_layout() -> None:
    data = pcm.sine(1000.0, start=0, count=16, sample_rate=16000, amplitude=1.0, channels=2)
    values = samples(data)
    assert len(values) == 32
    assert values[0::2] == values[1::2]
    assert values[:8:2] == [0, 12539, 23170, 30273]  # 32767 * sin(k * pi/8), rounded
    assert pcm.peak(data) == 32767


def test_peak_and_volume() -> None:
    assert pcm.peak(b"") == 0
    assert pcm.peak(struct.pack("<3h", 5, -32768, 7)) == 32767
    assert pcm.volume(0) == 0
    assert pcm.volume(32767) == 255
    assert pcm.volume(16384) == 128


def test_mix_clips_and_treats_short_tracks_as_silence() -> None:
    loud = struct.pack("<3h", 30000, -30000, 1)
    short = struct.pack("<2h", 30000, -30000)
    assert samples(pcm.mix([loud, short])) == [32767, -32768, 1]
    assert pcm.mix([]) == b""
    assert pcm.mix([loud]) == loud


def test_round_trip_through_native_order() -> None:
    data = struct.pack("<4h", 1, -2, 300, -32768)
    assert pcm.from_samples(pcm.to_samples(data)) == data
    assert list(pcm.to_samples(data)) == [1, -2, 300, -32768]
