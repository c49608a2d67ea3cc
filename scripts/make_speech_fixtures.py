"""Regenerate the speech fixtures in ``src/aioclubhouse/rooms/audio/speech/``.

The sample users' sentences are synthetic speech: espeak-ng (Debian package
``espeak-ng``) speaks each one, the SDK's own resampler brings espeak's 22,050 Hz down
to 16 kHz mono, leading and trailing silence is trimmed to 50 ms, and
``manifest.json`` records each file's exact text, voice and duration.  The files are
committed; tests and the demo read them and never need espeak-ng.

    apt-get install -y espeak-ng
    .venv/bin/python scripts/make_speech_fixtures.py

espeak-ng's Klatt voices were chosen because pocketsphinx's en-us model recognises
them (mean WER about 0.3 over 26 candidate sentences, against 0.5-0.9 for espeak's
default voices), and each sentence was kept only if it was recognised without an
error as its speaker's first utterance; the three speakers differ in voice variant,
pitch and speed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

from aioclubhouse.rooms.audio.transcribe.convert import resample, to_bytes, to_samples

TARGET = Path(__file__).resolve().parents[1] / "src/aioclubhouse/rooms/audio/speech"
RATE = 16000
SILENCE_LEVEL = 200
"""Samples quieter than this (of 32767) at either end count as silence."""
MARGIN = RATE // 20

SPEAKERS = {
    "ada": {"voice": "en-us+klatt2", "pitch": 75, "words_per_minute": 155},
    "ben": {"voice": "en-us+klatt6", "pitch": 40, "words_per_minute": 155},
    "cleo": {"voice": "en-us+klatt", "pitch": 60, "words_per_minute": 165},
}

SENTENCES = {
    "ada": [
        "welcome everyone to the room tonight",
        "the company was founded in new york",
        "please tell me more about your new project",
    ],
    "ben": [
        "we are going to talk about music",
        "we will be back next week",
        "i really enjoyed the conversation",
    ],
    "cleo": [
        "it was nice to meet you all",
        "we can talk about it later",
        "the first time i came to the city",
    ],
}


def speak(text: str, voice: str, pitch: int, words_per_minute: int, scratch: Path) -> bytes:
    """16 kHz mono s16le of espeak-ng saying ``text``, silence trimmed."""
    raw = scratch / "speech.wav"
    options = ["-v", voice, "-p", str(pitch), "-s", str(words_per_minute), "-w", str(raw)]
    subprocess.run(["espeak-ng", *options, text], check=True)
    with wave.open(str(raw), "rb") as source:
        if source.getnchannels() != 1 or source.getsampwidth() != 2:
            raise SystemExit("espeak-ng wrote something other than 16-bit mono")
        samples = resample(
            to_samples(source.readframes(source.getnframes())), source.getframerate(), RATE
        )
    loud = [index for index, value in enumerate(samples) if abs(value) >= SILENCE_LEVEL]
    first, last = max(0, loud[0] - MARGIN), min(len(samples), loud[-1] + MARGIN)
    return to_bytes(samples[first:last])


def main() -> int:
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed: apt-get install -y espeak-ng", file=sys.stderr)
        return 1
    version = (
        subprocess.run(["espeak-ng", "--version"], check=True, capture_output=True, text=True)
        .stdout.split("Data at")[0]
        .strip()
    )
    TARGET.mkdir(parents=True, exist_ok=True)
    entries = []
    with tempfile.TemporaryDirectory() as scratch:
        for speaker, lines in SENTENCES.items():
            voice = SPEAKERS[speaker]
            for number, text in enumerate(lines, start=1):
                pcm = speak(text, scratch=Path(scratch), **voice)  # type: ignore[arg-type]
                name = f"{speaker}-{number}.wav"
                with wave.open(str(TARGET / name), "wb") as out:
                    out.setnchannels(1)
                    out.setsampwidth(2)
                    out.setframerate(RATE)
                    out.writeframes(pcm)
                duration = round(len(pcm) / (2 * RATE), 3)
                entries.append(
                    {"file": name, "speaker": speaker, "text": text, **voice, "duration": duration}
                )
                print(f"{name:10} {duration:5.2f} s  {text}")
    manifest = {
        "synthesiser": version,
        "sample_rate": RATE,
        "channels": 1,
        "sentences": entries,
    }
    (TARGET / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    total = sum(path.stat().st_size for path in TARGET.glob("*.wav"))
    print(f"{len(entries)} sentences, {total / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
