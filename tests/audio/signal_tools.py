"""Reading WAV files back and measuring them, independently of the code under test."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import attrs


@attrs.frozen
class Wav:
    sample_rate: int
    channels: int
    samples: list[int]

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.channels / self.sample_rate


def read_wav(path: Path) -> Wav:
    """A 16-bit WAV file's samples, decoded with ``struct`` (explicitly little-endian)."""
    with wave.open(str(path), "rb") as reader:
        assert reader.getsampwidth() == 2
        count = reader.getnframes() * reader.getnchannels()
        data = reader.readframes(reader.getnframes())
        return Wav(
            sample_rate=reader.getframerate(),
            channels=reader.getnchannels(),
            samples=list(struct.unpack(f"<{count}h", data)),
        )


def decode(pcm: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(pcm) // 2}h", pcm))


def zero_crossing_frequency(samples: list[int], sample_rate: int) -> float:
    """A tone's frequency from the sign changes between its first and last crossing."""
    crossings = [
        index
        for index in range(1, len(samples))
        if (samples[index - 1] < 0) != (samples[index] < 0)
    ]
    assert len(crossings) >= 3, "not enough signal to measure"
    span_seconds = (crossings[-1] - crossings[0]) / sample_rate
    return (len(crossings) - 1) / 2 / span_seconds


def nonzero_span(samples: list[int]) -> tuple[int, int]:
    """Index of the first and one past the last non-zero sample."""
    first = next(index for index, value in enumerate(samples) if value)
    last = len(samples) - next(index for index, value in enumerate(reversed(samples)) if value)
    return first, last
