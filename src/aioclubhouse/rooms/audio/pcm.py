"""Sample arithmetic on signed 16-bit little-endian PCM, with the standard library only.

``audioop`` would do some of this but is deprecated since 3.11 and gone in 3.13, so
samples go through ``array('h')``, byte-swapped on big-endian machines because PCM on
the wire and in WAV files is little-endian.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Sequence

__all__ = [
    "MAX_SAMPLE",
    "MIN_SAMPLE",
    "from_samples",
    "mix",
    "peak",
    "silence",
    "sine",
    "to_samples",
    "volume",
]

MAX_SAMPLE = 32767
MIN_SAMPLE = -32768
_BIG_ENDIAN = sys.byteorder == "big"


def to_samples(pcm: bytes) -> array[int]:
    """The samples of s16le bytes, in native order for arithmetic."""
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if _BIG_ENDIAN:
        samples.byteswap()
    return samples


def from_samples(samples: array[int]) -> bytes:
    """s16le bytes of native-order samples."""
    if _BIG_ENDIAN:
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def silence(samples: int, channels: int = 1) -> bytes:
    """``samples`` instants of digital silence."""
    return bytes(2 * samples * channels)


def sine(
    frequency: float,
    *,
    start: int,
    count: int,
    sample_rate: int,
    amplitude: float = 0.5,
    channels: int = 1,
) -> bytes:
    """``count`` instants of a sine tone starting at absolute sample ``start``.

    Computing from the absolute index keeps the phase continuous across frames, so a
    tone cut into 10 ms frames and glued back together is one clean tone.
    """
    scale = max(0.0, min(1.0, amplitude)) * MAX_SAMPLE
    step = 2 * math.pi * frequency / sample_rate
    samples = array("h")
    for index in range(start, start + count):
        value = round(scale * math.sin(step * index))
        samples.extend([value] * channels)
    return from_samples(samples)


def peak(pcm: bytes) -> int:
    """The largest absolute sample value (0 for empty input)."""
    samples = to_samples(pcm)
    if not samples:
        return 0
    return min(MAX_SAMPLE, max(max(samples), -min(samples)))


def volume(peak_value: int) -> int:
    """A peak on Agora's 0-255 volume scale."""
    return round(max(0, min(MAX_SAMPLE, peak_value)) * 255 / MAX_SAMPLE)


def mix(tracks: Sequence[bytes]) -> bytes:
    """The sample-wise sum of s16le buffers, clipped; shorter buffers count as silence."""
    if not tracks:
        return b""
    if len(tracks) == 1:
        return bytes(tracks[0])
    decoded = [to_samples(track) for track in tracks]
    length = max(len(samples) for samples in decoded)
    total = array("h", bytes(2 * length))
    sums = [0] * length
    for samples in decoded:
        for index, value in enumerate(samples):
            sums[index] += value
    for index, value in enumerate(sums):
        total[index] = MAX_SAMPLE if value > MAX_SAMPLE else max(MIN_SAMPLE, value)
    return from_samples(total)
