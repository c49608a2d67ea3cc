"""Turning any backend's PCM into mono audio the recognizer can take.

Agora delivers 48 kHz stereo, the fake backend 16 kHz mono, and a recording may hold
anything in between.  Channels are averaged into one.  pocketsphinx computes its
features at any sample rate (its mel filters stop at 6.8 kHz, and 16 kHz is all its
model needs), so audio at 16 kHz or more is decoded at its own rate: resampling 48 kHz
in Python would cost 0.13 CPU seconds per second of speech, decoding it natively
nothing measurable (RTF 0.28 either way, same words).  Lower rates are resampled up to
16 kHz, by a rational factor with a polyphase windowed-sinc filter: exact in time (no
drift, no delay: the filter is centred), flat to about 5.8 kHz at 16 kHz and 70 dB
down beyond the lower Nyquist frequency plus 0.6 kHz, so nothing aliases into the band
the recognizer listens to.  The same resampler makes the speech fixtures and plays
them at a backend's rate.

Only the standard library is used (``audioop`` is gone in Python 3.13), and nothing
from the rest of the package: the recognition worker process imports this module on
its own, without paying for the SDK's imports.
"""

from __future__ import annotations

import math
import operator
import sys
from array import array
from functools import lru_cache

__all__ = [
    "TARGET_RATE",
    "downmix",
    "for_recognizer",
    "resample",
    "to_mono",
    "to_samples",
    "to_target",
]

TARGET_RATE = 16000
"""The sample rate of pocketsphinx's en-us acoustic model, and the least it can use."""

TAPS_AT_LOWER_RATE = 32
"""The filter's span in samples of the lower of the two rates: sets the transition band."""

_BIG_ENDIAN = sys.byteorder == "big"


def to_samples(pcm: bytes) -> array[int]:
    """The samples of s16le bytes, in native order (a trailing odd byte is ignored)."""
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if _BIG_ENDIAN:
        samples.byteswap()
    return samples


def to_bytes(samples: array[int]) -> bytes:
    """s16le bytes of native-order samples."""
    if _BIG_ENDIAN:
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def downmix(samples: array[int], channels: int) -> array[int]:
    """Interleaved samples of ``channels`` channels averaged into one channel."""
    if channels == 1:
        return samples
    if channels < 1:
        raise ValueError("channels must be at least 1")
    usable = len(samples) - len(samples) % channels
    lanes = [samples[lane:usable:channels] for lane in range(channels)]
    if channels == 2:
        return array("h", map(_average_two, lanes[0], lanes[1]))
    return array("h", (sum(values) // channels for values in zip(*lanes, strict=True)))


def _average_two(left: int, right: int) -> int:
    return (left + right) >> 1


def to_mono(pcm: bytes, channels: int) -> array[int]:
    """s16le interleaved bytes as one channel of native-order samples."""
    return downmix(to_samples(pcm), channels)


@lru_cache(maxsize=32)
def _phases(up: int, down: int) -> tuple[tuple[float, ...], ...]:
    """The polyphase split of a lowpass filter for resampling by ``up / down``.

    The prototype runs at ``up`` times the input rate with its cut-off just below the
    lower of the two Nyquist frequencies; each phase is stored reversed so an output
    sample is one dot product with a forward slice of the input.
    """
    length = up * -(-TAPS_AT_LOWER_RATE * max(up, down) // up)  # equal phases
    cutoff = 0.45 / max(up, down)  # cycles per sample of the upsampled signal
    centre = length // 2  # an exact sample, so the output is not shifted
    coefficients = []
    for index in range(length):
        offset = index - centre
        if offset == 0:
            ideal = 2 * cutoff
        else:
            ideal = math.sin(2 * math.pi * cutoff * offset) / (math.pi * offset)
        angle = 2 * math.pi * offset / length
        blackman = 0.42 + 0.5 * math.cos(angle) + 0.08 * math.cos(2 * angle)
        coefficients.append(ideal * blackman * up)
    return tuple(tuple(reversed(coefficients[phase::up])) for phase in range(up))


def resample(samples: array[int], source_rate: int, target_rate: int) -> array[int]:
    """Mono samples at ``source_rate`` resampled to ``target_rate`` (both in Hz).

    The output holds ``ceil(len * target / source)`` samples; sample ``n`` sits at the
    same instant as input position ``n * source / target``.
    """
    if source_rate <= 0 or target_rate <= 0:
        raise ValueError("sample rates must be positive")
    if source_rate == target_rate:
        return array("h", samples)
    common = math.gcd(source_rate, target_rate)
    up, down = target_rate // common, source_rate // common
    phases = _phases(up, down)
    taps = len(phases[0])
    delay = taps * up // 2  # the filter's centre
    padding = array("h", bytes(2 * taps))
    padded = padding + samples + padding  # input index i lives at i + taps
    output = array("h", bytes(2 * -(-len(samples) * up // down)))
    multiply = operator.mul
    for index in range(len(output)):
        position = index * down + delay
        last = position // up  # the newest input sample the filter reaches
        value = sum(map(multiply, phases[position % up], padded[last + 1 : last + 1 + taps]))
        output[index] = 32767 if value > 32767 else -32768 if value < -32768 else round(value)
    return output


def to_target(pcm: bytes, sample_rate: int, channels: int) -> bytes:
    """s16le PCM of any rate and channel count as 16 kHz mono s16le."""
    mono = to_mono(pcm, channels)
    return to_bytes(resample(mono, sample_rate, TARGET_RATE))


def for_recognizer(pcm: bytes, sample_rate: int, channels: int) -> tuple[bytes, int]:
    """Mono s16le at ``sample_rate`` if that is 16 kHz or more, else at 16 kHz; and its rate."""
    mono = to_mono(pcm, channels)
    if sample_rate >= TARGET_RATE:
        return (pcm if channels == 1 else to_bytes(mono)), sample_rate
    return to_bytes(resample(mono, sample_rate, TARGET_RATE)), TARGET_RATE
