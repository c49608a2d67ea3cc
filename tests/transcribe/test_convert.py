"""Downmixing and resampling to 16 kHz mono: frequencies, levels and timing survive."""

from __future__ import annotations

import math
from array import array

import pytest

from aioclubhouse.rooms.audio.transcribe.convert import (
    downmix,
    for_recognizer,
    resample,
    to_bytes,
    to_samples,
    to_target,
)


def tone(hz: float, rate: int, seconds: float, amplitude: int = 10000) -> array[int]:
    return array(
        "h",
        (
            round(amplitude * math.sin(2 * math.pi * hz * i / rate))
            for i in range(int(rate * seconds))
        ),
    )


def in_phase_amplitude(samples: array[int], hz: float, rate: int) -> float:
    """The amplitude of the component at ``hz`` in phase with a sine starting at sample 0."""
    middle = range(len(samples) // 8, len(samples) * 7 // 8)
    total = sum(samples[i] * math.sin(2 * math.pi * hz * i / rate) for i in middle)
    return 2 * total / len(middle)


@pytest.mark.parametrize("source", [48000, 44100, 32000, 22050, 8000])
@pytest.mark.parametrize("hz", [300.0, 1000.0, 2500.0, 5000.0])
def test_speech_band_tones_keep_level_and_phase(source: int, hz: float) -> None:
    if hz >= 0.3 * source:
        pytest.skip("not in the source's band")
    out = resample(tone(hz, source, 0.25), source, 16000)
    assert len(out) == math.ceil(int(source * 0.25) * 16000 / source)
    assert in_phase_amplitude(out, hz, 16000) == pytest.approx(10000, rel=0.02)


@pytest.mark.parametrize("target", [48000, 44100, 8000])
def test_upsampling_and_downsampling_from_16k(target: int) -> None:
    out = resample(tone(1000, 16000, 0.25), 16000, target)
    assert len(out) == target // 4
    assert in_phase_amplitude(out, 1000, target) == pytest.approx(10000, rel=0.02)


@pytest.mark.parametrize("hz", [9000.0, 12000.0, 20000.0])
def test_tones_above_the_new_nyquist_do_not_alias(hz: float) -> None:
    out = resample(tone(hz, 48000, 0.25), 48000, 16000)
    rms = math.sqrt(sum(v * v for v in out[500:-500]) / len(out[500:-500]))
    assert rms < 10000 / math.sqrt(2) * 0.12


def test_same_rate_is_a_copy() -> None:
    samples = tone(440, 16000, 0.01)
    out = resample(samples, 16000, 16000)
    assert out == samples and out is not samples


def test_downmix_averages_channels() -> None:
    stereo = array("h", [100, 300, -200, -400, 32767, 32767])
    assert downmix(stereo, 2).tolist() == [200, -300, 32767]
    three = array("h", [3, 6, 9, -3, -6, -9])
    assert downmix(three, 3).tolist() == [6, -6]
    assert downmix(stereo, 1) is stereo
    with pytest.raises(ValueError):
        downmix(stereo, 0)


def test_to_target_makes_16k_mono_bytes() -> None:
    left = tone(1000, 48000, 0.1)
    stereo = array("h", bytes(4 * len(left)))
    stereo[0::2] = left
    stereo[1::2] = left
    out = to_samples(to_target(to_bytes(stereo), 48000, 2))
    assert len(out) == 1600
    assert in_phase_amplitude(out, 1000, 16000) == pytest.approx(10000, rel=0.02)


def test_bad_rates_are_refused() -> None:
    with pytest.raises(ValueError):
        resample(array("h", [1, 2]), 0, 16000)


def test_the_recognizer_gets_mono_at_its_own_rate_down_to_16k() -> None:
    left = tone(1000, 48000, 0.1)
    stereo = array("h", bytes(4 * len(left)))
    stereo[0::2] = left
    stereo[1::2] = left
    pcm, rate = for_recognizer(to_bytes(stereo), 48000, 2)
    assert rate == 48000 and to_samples(pcm) == left
    narrow = to_bytes(tone(1000, 8000, 0.1))
    pcm, rate = for_recognizer(narrow, 8000, 1)
    assert rate == 16000 and len(pcm) == 2 * 1600
    assert in_phase_amplitude(to_samples(pcm), 1000, 16000) == pytest.approx(10000, rel=0.02)
    assert for_recognizer(narrow, 16000, 1) == (narrow, 16000)
