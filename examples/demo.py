"""The main job, end to end, against the embedded emulator.

Starts a local Clubhouse emulator with simulated activity, logs in through the phone
flow, lists the live rooms, joins the busiest one, shows its roster and its live events
for about 20 seconds while recording its audio (one WAV file per speaker, from the fake
audio backend, whose speakers say short English sentences when the emulator has them
speak), leaves, and exits after measuring each recording. With pocketsphinx installed
(``aioclubhouse[transcribe]``) the room also transcribes them live: "Name: what they
said" lines among the events. Run with ``make demo``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
import wave
from pathlib import Path

import attrs

from aioclubhouse import ClubhouseSession
from aioclubhouse.emulator import Emulator
from aioclubhouse.models import RoomUser
from aioclubhouse.rooms import Left, Room, RoomEvent, SpeechTranscribed, record
from aioclubhouse.rooms.audio import (
    FakeAudioBackend,
    SpeechTranscriber,
    TranscriberUnavailable,
    WavRecorder,
    pocketsphinx_transcriber,
)
from aioclubhouse.rooms.audio.pcm import to_samples

PHONE = "+15550100042"
SKIP_FIELDS = {"channel", "pubnub_channel", "timetoken", "raw"}


def who(room: Room, user_id: int | None) -> str:
    """A user's name from the live roster, or just their id when they are not in it."""
    for user in room.users:
        if user.user_id == user_id:
            return f"{user.name} ({user_id})"
    return str(user_id)


def describe(room: Room, event: RoomEvent) -> str:
    """One line per event: its type and the fields that say what happened."""
    if isinstance(event, SpeechTranscribed):
        name = event.name or f"user {event.user_id}"
        return f"{'SpeechTranscribed':<26} {name}: “{event.text}”"
    parts = []
    for field in attrs.fields(type(event)):
        if field.name in SKIP_FIELDS:
            continue
        label, value = field.name, getattr(event, field.name)
        if isinstance(value, RoomUser):
            value = f"{value.name} ({value.user_id})"
        elif label.endswith("user_id") and isinstance(value, int):
            label, value = label.removesuffix("_id"), who(room, value)
        parts.append(f"{label}={value}")
    return f"{type(event).__name__:<26} {' '.join(parts)}"


def print_roster(room: Room) -> None:
    def names(users: list[RoomUser]) -> str:
        shown = ", ".join(u.name or str(u.user_id) for u in users[:8])
        return shown + (f", ... (+{len(users) - 8})" if len(users) > 8 else "")

    print(f"  moderators ({len(room.moderators)}): {names(room.moderators)}")
    print(f"  speakers   ({len(room.speakers)}): {names(room.speakers)}")
    print(f"  listeners  ({len(room.listeners)}): {names(room.listeners)}")
    print(f"  raised hands: {len(room.raised_hands)}")


async def watch(room: Room, seconds: float) -> int:
    """Print the room's events until ``seconds`` pass or the room is left."""
    count = 0
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            async for event in room.events():
                count += 1
                print(f"  [{time.strftime('%H:%M:%S')}] {describe(room, event)}")
                if isinstance(event, Left):
                    break
    return count


def measure(path: Path) -> tuple[float, float]:
    """Seconds of a WAV track, and how many of them carry sound (the rest is pauses)."""
    with wave.open(str(path), "rb") as wav:
        rate = wav.getframerate()
        samples = to_samples(wav.readframes(wav.getnframes()))
    voiced = sum(1 for sample in samples if abs(sample) > 100)
    return len(samples) / rate, voiced / rate


def print_recording(room: Room, recorder: WavRecorder) -> None:
    print(f"\naudio recorded in {recorder.directory}:")
    for uid, path in sorted(recorder.paths.items()):
        length, sound = measure(path)
        print(f"  {path.name:<12} {who(room, uid):<32} {length:5.1f} s, {sound:5.1f} s of sound")
    if not recorder.paths:
        print("  nobody spoke")


def live_transcriber() -> SpeechTranscriber | None:
    """A pocketsphinx transcriber, or None (said in one line) when it is not installed."""
    try:
        return pocketsphinx_transcriber()
    except TranscriberUnavailable as error:
        print(f"no live transcript: {error}")
        return None


async def main(seconds: float, activity: float, record_dir: Path) -> None:
    async with Emulator(seed=2026, activity_rate=activity, poll_timeout=10.0) as emulator:
        print(f"emulator running at {emulator.base_url}")
        async with ClubhouseSession(base_url=emulator.base_url) as ch:
            started = await ch.start_phone_number_auth(PHONE)
            print(f"sent a code to {PHONE} (blocked: {started.is_blocked})")
            login = await ch.complete_phone_number_auth(PHONE, emulator.config.verification_code)
            if login.is_onboarding:
                await ch.update_name("Demo Listener")
            print(f"logged in as user {ch.user_id}")

            feed = await ch.get_channels()
            print(f"\n{len(feed.channels)} live rooms:")
            for live in feed.channels:
                print(
                    f"  {live.channel}  {live.num_all or 0:>4} people  {live.topic or '(no topic)'}"
                )
            busiest = max(feed.channels, key=lambda live: live.num_all or 0)

            # The fake backend plays whoever the emulator says is speaking now, each
            # speaker saying sentences in a voice of their own, paced by the wall clock.
            world, channel = emulator.world, busiest.channel
            audio = FakeAudioBackend(
                realtime=True,
                speakers=lambda _t: world.speaking(channel, world.now()),
                speech=True,
            )
            transcriber = live_transcriber()

            print(f"\njoining {channel}: {busiest.topic or '(no topic)'}")
            async with await ch.join_room(
                channel, ping_interval=10.0, audio=audio, transcriber=transcriber
            ) as room:
                # Frames end when leaving the room disconnects the backend.
                recording = asyncio.create_task(record(room.audio_frames(), record_dir))
                print_roster(room)
                print(f"\nlive events for {seconds:.0f} seconds:")
                count = await watch(room, seconds)
                print(f"\n{count} events; the roster now:")
                print_roster(room)
            print(
                f"left the room ({room.left_reason.name.lower() if room.left_reason else 'done'})"
            )
            print_recording(room, await recording)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to watch the room")
    parser.add_argument("--activity", type=float, default=4.0, help="simulated actions per second")
    parser.add_argument(
        "--record", type=Path, metavar="DIR", help="keep the WAV files here (default: discard)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="demo-audio-") as scratch:
        asyncio.run(main(args.seconds, args.activity, args.record or Path(scratch)))
