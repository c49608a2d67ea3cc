"""Cutting a speaker's frames into utterances: onset, pre-roll, hangover, gaps, limits."""

from __future__ import annotations

import struct

import pytest

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms.audio.transcribe import SegmenterConfig
from aioclubhouse.rooms.audio.transcribe.models import Utterance
from aioclubhouse.rooms.audio.transcribe.segmenter import FrameVoicing, SpeakerSegmenter

RATE = 16000
FRAME = 0.01


def frame_pcm(value: int, samples: int = 160) -> bytes:
    return struct.pack(f"<{samples}h", *([value] * samples))


def run(segmenter: SpeakerSegmenter, pattern: str, *, start: float = 0.0) -> list[Utterance]:
    """One 10 ms frame per character: ``#`` voiced, ``.`` silent, `` `` no frame (a gap)."""
    done: list[Utterance] = []
    for index, mark in enumerate(pattern):
        if mark != " ":
            value = 1000 if mark == "#" else 0
            done += segmenter.push(start + index * FRAME, frame_pcm(value), mark == "#")
    return done


def make(**config: float) -> SpeakerSegmenter:
    return SpeakerSegmenter(1, RATE, 1, SegmenterConfig(**config))


def test_an_utterance_spans_the_voice_plus_preroll_and_tail() -> None:
    segmenter = make(hangover=0.1, preroll=0.05, tail=0.03, onset=0.03, min_speech=0.05)
    done = run(segmenter, "." * 20 + "#" * 30 + "." * 20)
    [utterance] = done
    assert (utterance.start, utterance.end) == pytest.approx((0.2, 0.5))
    assert utterance.audio_start == pytest.approx(0.15)  # 50 ms of pre-roll
    assert utterance.audio_end == pytest.approx(0.53)  # 30 ms of tail
    assert utterance.pcm[:2] == b"\0\0" and frame_pcm(1000) in utterance.pcm


def test_a_pause_shorter_than_the_hangover_does_not_split() -> None:
    segmenter = make(hangover=0.2, min_speech=0.05)
    done = run(segmenter, "#" * 20 + "." * 15 + "#" * 20 + "." * 25)
    [utterance] = done
    assert (utterance.start, utterance.end) == pytest.approx((0.0, 0.55))


def test_a_pause_as_long_as_the_hangover_splits() -> None:
    segmenter = make(hangover=0.2, tail=0.05, preroll=0.1, min_speech=0.05)
    done = run(segmenter, "#" * 20 + "." * 25 + "#" * 20 + "." * 25)
    assert [(u.start, u.end) for u in done] == [
        pytest.approx((0.0, 0.2)),
        pytest.approx((0.45, 0.65)),
    ]
    assert done[0].audio_end <= done[1].audio_start  # never overlapping


def test_clicks_shorter_than_the_onset_open_nothing() -> None:
    segmenter = make(onset=0.05, hangover=0.1, tail=0.05)
    assert run(segmenter, ".#...##..#.###." + "." * 20) == []
    assert not segmenter.speaking


def test_blips_shorter_than_min_speech_are_discarded_and_counted() -> None:
    segmenter = make(onset=0.02, min_speech=0.2, hangover=0.1, tail=0.05)
    assert run(segmenter, "#" * 10 + "." * 20) == []
    assert segmenter.discarded_blips == 1


def test_a_gap_in_frames_is_silence_and_padded_in_the_audio() -> None:
    segmenter = make(hangover=0.3, min_speech=0.05, tail=0.0, preroll=0.0)
    done = run(segmenter, "#" * 10 + " " * 10 + "#" * 10 + "." * 40)
    [utterance] = done
    assert (utterance.start, utterance.end) == pytest.approx((0.0, 0.3))
    assert len(utterance.pcm) == 2 * 160 * 30  # the 100 ms gap became silence
    assert utterance.pcm[2 * 1600 : 2 * 3200] == bytes(2 * 1600)


def test_a_gap_longer_than_the_hangover_ends_the_utterance_first() -> None:
    segmenter = make(hangover=0.1, min_speech=0.05, tail=0.05)
    done = run(segmenter, "#" * 10 + " " * 30 + "#" * 10)
    assert len(done) == 1 and done[0].end == pytest.approx(0.1)
    assert segmenter.speaking  # the second stretch is open


def test_room_time_moving_on_ends_an_open_utterance() -> None:
    segmenter = make(hangover=0.2, min_speech=0.05)
    run(segmenter, "#" * 10)
    assert segmenter.advance(0.25) == []
    [utterance] = segmenter.advance(0.3)
    assert utterance.end == pytest.approx(0.1)


def test_finish_ends_mid_sentence() -> None:
    segmenter = make(min_speech=0.05)
    run(segmenter, "." * 5 + "#" * 30)
    [utterance] = segmenter.finish()
    assert utterance.end == pytest.approx(0.35)
    assert segmenter.finish() == []


def test_a_monologue_is_cut_at_max_utterance_without_losing_audio() -> None:
    segmenter = make(max_utterance=1.0, min_speech=0.05, preroll=0.0, onset=0.0)
    done = run(segmenter, "#" * 250)
    done += segmenter.finish()
    assert [round(u.seconds, 2) for u in done] == [1.0, 1.0, 0.5]
    assert [u.audio_start for u in done] == pytest.approx([0.0, 1.0, 2.0])


def test_frames_never_step_back_in_time() -> None:
    segmenter = make(min_speech=0.05)
    segmenter.push(1.0, frame_pcm(1000), True)
    segmenter.push(0.5, frame_pcm(1000), True)  # a backend hiccup
    assert segmenter.clock == pytest.approx(1.02)


@pytest.mark.parametrize(
    "config",
    [
        {"hangover": -1.0},
        {"onset": 20.0},
        {"max_utterance": 0.5},
        {"tail": 1.0, "hangover": 0.5},
        {"min_speech": float("nan")},
    ],
)
def test_bad_settings_are_refused(config: dict[str, float]) -> None:
    with pytest.raises(InvalidArgumentError):
        SegmenterConfig(**config)


class Threshold:
    """A detector double for frame plumbing: loud windows are speech."""

    def __init__(self, frame_bytes: int) -> None:
        self.frame_bytes = frame_bytes
        self.windows: list[bytes] = []

    def is_speech(self, frame: bytes) -> bool:
        assert len(frame) == self.frame_bytes
        self.windows.append(frame)
        return any(frame[1::2])


def test_frame_voicing_carries_samples_across_odd_frame_lengths() -> None:
    detector = Threshold(320)
    voicing = FrameVoicing(detector, channels=1)
    assert voicing.voiced(frame_pcm(0, 100)) is False  # not a whole window yet
    assert voicing.voiced(frame_pcm(1000, 100)) is True  # window 0: 100 quiet + 60 loud
    assert voicing.voiced(frame_pcm(0, 50)) is True  # no window completed: last decision
    assert [len(w) for w in detector.windows] == [320]


def test_frame_voicing_reads_the_first_channel_of_stereo() -> None:
    detector = Threshold(320)
    voicing = FrameVoicing(detector, channels=2)
    stereo = struct.pack("<320h", *([1000, 7] * 160))
    assert voicing.voiced(stereo) is True
    assert struct.unpack("<160h", detector.windows[0]) == (1000,) * 160


def test_webrtc_detector_hears_speech_not_silence(sphinx: None) -> None:
    from aioclubhouse.rooms.audio.speech import voices
    from aioclubhouse.rooms.audio.transcribe import webrtc_detector

    voicing = FrameVoicing(webrtc_detector()(16000), channels=1)
    speech = voices()["ada"][0].pcm()
    decisions = [voicing.voiced(speech[i : i + 320]) for i in range(0, len(speech) - 320, 320)]
    assert sum(decisions) > 0.6 * len(decisions)
    after = [voicing.voiced(bytes(320)) for _ in range(100)]
    assert not any(after[30:])  # once the detector's own hangover has passed
    with pytest.raises(InvalidArgumentError):
        webrtc_detector(7)
