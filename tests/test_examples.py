"""The examples run end to end against their emulators and end by themselves."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_example(name: str, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_demo_joins_the_busiest_room_and_records_its_speakers(tmp_path: Path) -> None:
    out = run_example("demo.py", "--seconds", "8", "--record", str(tmp_path))
    assert "logged in as user" in out
    assert "joining " in out and "left the room" in out
    assert "Connected" in out
    wavs = sorted(tmp_path.glob("*.wav"))
    assert wavs and all(path.stat().st_size > 44 for path in wavs)
    if importlib.util.find_spec("pocketsphinx") is not None:
        assert "SpeechTranscribed" in out  # a live transcript line: "Name: “words”"
    else:
        assert "no live transcript" in out and "aioclubhouse[transcribe]" in out


def test_clarity_demo_watches_a_call_to_the_end() -> None:
    out = run_example("clarity_demo.py")
    assert "Signed in as" in out
    assert "call_completed" in out


def test_speaker_bot_gets_on_stage() -> None:
    out = run_example("speaker_bot.py")
    assert "raised a hand" in out and "accepting" in out
    assert "bot: on stage with 2 speakers" in out


def test_fleet_covers_the_live_rooms_with_two_workers() -> None:
    out = run_example("fleet.py", "--seconds", "5")
    assert "discovery queued" in out
    assert "covered by 2 workers" in out
    assert "events in the stream" in out and out.rstrip().endswith("fleet stopped")
