"""Transcription cost: real-time factor per speaker, and speakers one core keeps up with.

The shipped sentences (``aioclubhouse.rooms.audio.speech``) are spoken through
:class:`SpeechSource` as a backend would deliver them (10 ms frames with timestamps) into
``pocketsphinx_transcriber()``; its recognizer is one worker process, so one core.

Phases:

1. real-time factor: every sentence, in the fake backend's format (16 kHz mono) and in
   Agora's (48 kHz stereo, which the worker downmixes and resamples).  The RTF is the
   worker's CPU seconds per second of speech (``TranscriberStats``); the event loop's
   own cost (voice detection and segmentation of every frame, silence included) is
   printed beside it.  Target: RTF <= 0.5.
2. throughput: a backlog of speech recognised as fast as the worker can, in wall-clock
   time: the number of speakers one core keeps up with is speech seconds per second.
3. live: ``--live-speakers`` speakers (default: what phase 1 says one core can take)
   talking non-stop for ``--live-seconds`` seconds, paced in real time; prints the
   speech dropped (0 if it keeps up) and the delay from the end of an utterance to its
   segment.

``python benchmarks/bench_transcribe.py`` prints the figures; it needs the
``transcribe`` extra.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence

from benchlib import figure

from aioclubhouse.rooms.audio import PcmFrame
from aioclubhouse.rooms.audio.speech import SpeechSource, assign_voices, sentences
from aioclubhouse.rooms.audio.transcribe import (
    Segment,
    SegmenterConfig,
    SpeechTranscriber,
    pocketsphinx_transcriber,
)

TARGET_RTF = 0.5
FRAME_MS = 10


def speech_frames(
    speakers: int,
    seconds: float,
    *,
    sample_rate: int = 16000,
    channels: int = 1,
    pause: float = 0.8,
) -> list[PcmFrame]:
    """``speakers`` uids talking non-stop (``pause`` between sentences) for ``seconds``."""
    source = SpeechSource(assign_voices(range(1, speakers + 1)), pause=pause)
    per_frame = sample_rate * FRAME_MS // 1000
    frames = []
    for index in range(round(seconds * 1000 / FRAME_MS)):
        for uid in range(1, speakers + 1):
            pcm = source.frame(
                uid,
                start=index * per_frame,
                count=per_frame,
                sample_rate=sample_rate,
                channels=channels,
            )
            frames.append(
                PcmFrame(
                    uid=uid,
                    pcm=pcm,
                    sample_rate=sample_rate,
                    channels=channels,
                    timestamp_ms=index * FRAME_MS,
                )
            )
    return frames


def every_sentence(sample_rate: int, channels: int) -> list[PcmFrame]:
    """Each of one voice's sentences in turn, a second apart, silent frames between."""
    total = sum(s.duration + 1.0 for s in sentences())
    return speech_frames(1, total, sample_rate=sample_rate, channels=channels, pause=1.0)


async def feed(transcriber: SpeechTranscriber, frames: Sequence[PcmFrame]) -> float:
    """Feed as fast as possible; the event loop's CPU seconds spent doing it."""
    started = time.process_time()
    for index, frame in enumerate(frames):
        transcriber.feed(frame)
        if index % 200 == 0:
            await asyncio.sleep(0)
    return time.process_time() - started


async def real_time_factor(sample_rate: int, channels: int, label: str) -> float:
    frames = every_sentence(sample_rate, channels)
    audio_seconds = len(frames) * FRAME_MS / 1000
    transcriber = pocketsphinx_transcriber(max_backlog=1e6, idle_timeout=None)
    await transcriber.start()
    loop_cpu = await feed(transcriber, frames)
    await transcriber.close()
    stats = transcriber.stats
    rtf = stats.real_time_factor or math.nan
    verdict = "ok" if rtf <= TARGET_RTF else "ABOVE TARGET"
    figure(
        f"transcribe: real-time factor, {label.strip()}",
        rtf,
        target=f"<= {TARGET_RTF}",
        met=rtf <= TARGET_RTF,
    )
    print(
        f"  {label:18} RTF {rtf:5.3f}  (target <= {TARGET_RTF}: {verdict})   "
        f"{stats.recognized_seconds:5.1f} s of speech, {stats.segments} segments; "
        f"event loop {1000 * loop_cpu / audio_seconds:4.1f} ms CPU per second of audio"
    )
    return rtf


async def throughput(seconds: float) -> float:
    """Speech seconds recognised per wall-clock second with the worker saturated."""
    frames = speech_frames(1, seconds)
    transcriber = pocketsphinx_transcriber(max_backlog=1e6, idle_timeout=None)
    await transcriber.start()
    await feed(transcriber, frames)
    started = time.perf_counter()
    await transcriber.flush()
    wall = time.perf_counter() - started
    stats = transcriber.stats
    await transcriber.close()
    rate = stats.recognized_seconds / wall
    print(
        f"  {stats.recognized_seconds:.1f} s of speech recognised in {wall:.1f} s wall clock: "
        f"{rate:.2f} speakers talking non-stop per worker core"
    )
    return rate


async def live(speakers: int, seconds: float) -> None:
    """``speakers`` talking at once, frames paced by the clock as a backend delivers them."""
    frames = speech_frames(speakers, seconds)
    transcriber = pocketsphinx_transcriber(
        segmenter=SegmenterConfig(max_utterance=15.0), max_backlog=30.0
    )
    await transcriber.start()
    loop = asyncio.get_running_loop()
    delays: list[float] = []
    origin = loop.time()

    async def collect() -> list[Segment]:
        got = []
        async for segment in transcriber.segments():
            # the room time the segment's speech ended at, on the loop's clock
            delays.append(loop.time() - (origin + segment.end))
            got.append(segment)
        return got

    collector = asyncio.create_task(collect())
    index = 0
    for period in range(round(seconds * 1000 / FRAME_MS)):
        await asyncio.sleep(max(0.0, origin + period * FRAME_MS / 1000 - loop.time()))
        while index < len(frames) and frames[index].timestamp_ms == period * FRAME_MS:
            transcriber.feed(frames[index])
            index += 1
    stats_before_close = transcriber.stats
    await transcriber.close()
    await collector
    stats = transcriber.stats
    p50 = statistics.median(delays) if delays else math.nan
    worst = max(delays) if delays else math.nan
    print(
        f"  {speakers} speakers for {seconds:.0f} s: {stats.speech_seconds:.1f} s of speech, "
        f"dropped {stats.dropped_seconds:.1f} s ({stats.dropped_utterances} utterances); "
        f"backlog at the end {stats_before_close.pending_seconds:.1f} s; "
        f"segment delay after speech ends p50 {p50:.2f} s, max {worst:.2f} s"
    )


async def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--throughput-seconds", type=float, default=60.0)
    parser.add_argument("--live-seconds", type=float, default=30.0)
    parser.add_argument("--live-speakers", type=int, default=None)
    options = parser.parse_args(argv)
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    print("1. real-time factor (worker CPU seconds per second of speech), per speaker")
    rtf16 = await real_time_factor(16000, 1, "16 kHz mono")
    rtf48 = await real_time_factor(48000, 2, "48 kHz stereo")
    print(
        f"  one core keeps up with {1 / rtf16:.1f} speakers talking at once "
        f"(16 kHz), {1 / rtf48:.1f} (48 kHz stereo)"
    )
    print("2. throughput, wall clock")
    await throughput(options.throughput_seconds)
    speakers = options.live_speakers or max(1, math.floor(1 / rtf16))
    print("3. live, real-time pacing")
    await live(speakers, options.live_seconds)
    await live(speakers + 1, options.live_seconds)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
