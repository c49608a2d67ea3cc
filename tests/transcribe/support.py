"""Helpers for the transcription tests: word error rate, and speech laid out as frames."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from aioclubhouse.rooms.audio import PcmFrame
from aioclubhouse.rooms.audio.speech import Sentence
from aioclubhouse.rooms.audio.transcribe.convert import resample, to_bytes, to_samples

FRAME_MS = 10


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level Levenshtein distance over the reference's length."""
    ref, hyp = reference.split(), hypothesis.split()
    if not ref:
        return float(bool(hyp))
    row = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, start=1):
        previous, row[0] = row[:], i
        for j, hyp_word in enumerate(hyp, start=1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
    return row[len(hyp)] / len(ref)


@attrs.frozen(kw_only=True)
class Placed:
    """A sentence said by ``uid`` from ``at`` seconds of room time."""

    uid: int
    sentence: Sentence
    at: float

    @property
    def end(self) -> float:
        return self.at + self.sentence.duration


def timeline(
    placed: Sequence[Placed],
    *,
    sample_rate: int = 16000,
    channels: int = 1,
    silent_frames: bool = True,
    until: float | None = None,
    origin_ms: int = 0,
) -> list[PcmFrame]:
    """The frames a backend would deliver, 10 ms apart, in time order.

    With ``silent_frames`` every uid that speaks at all sends frames all along (as an
    unmuted Agora speaker does); without, a uid sends frames only while it speaks.
    """
    per_frame = sample_rate * FRAME_MS // 1000
    end = until if until is not None else max(p.end for p in placed) + 1.0
    total = round(end * sample_rate)
    tracks: dict[int, bytearray] = {}
    speaking: dict[int, list[tuple[int, int]]] = {}
    for item in placed:
        audio = to_samples(item.sentence.pcm())
        if sample_rate != 16000:
            audio = resample(audio, 16000, sample_rate)
        track = tracks.setdefault(item.uid, bytearray(2 * total))
        first = round(item.at * sample_rate)
        data = to_bytes(audio)[: 2 * (total - first)]
        track[2 * first : 2 * first + len(data)] = data
        speaking.setdefault(item.uid, []).append((first, first + len(data) // 2))
    frames = []
    for index in range(total // per_frame):
        lo, hi = index * per_frame, (index + 1) * per_frame
        for uid in sorted(tracks):
            if not silent_frames and not any(a < hi and lo < b for a, b in speaking[uid]):
                continue
            mono = to_samples(bytes(tracks[uid][2 * lo : 2 * hi]))
            if channels > 1:
                spread = to_samples(bytes(2 * len(mono) * channels))
                for channel in range(channels):
                    spread[channel::channels] = mono
                mono = spread
            frames.append(
                PcmFrame(
                    uid=uid,
                    pcm=to_bytes(mono),
                    sample_rate=sample_rate,
                    channels=channels,
                    timestamp_ms=origin_ms + index * FRAME_MS,
                )
            )
    return frames


def spoken_by(placed: Iterable[Placed], uid: int) -> list[Placed]:
    return sorted((p for p in placed if p.uid == uid), key=lambda p: p.at)
