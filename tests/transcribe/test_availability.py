"""Without the transcribe extra: a clear error; and nothing else imports pocketsphinx."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path


def run_child(code: str, cwd: Path) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object as its last line."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=True,
    )
    reported: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return reported


def test_importing_the_sdk_never_imports_pocketsphinx(tmp_path: Path) -> None:
    reported = run_child(
        """
        import json, sys
        import aioclubhouse, aioclubhouse.rooms, aioclubhouse.rooms.audio
        from aioclubhouse.rooms.audio import transcribe, speech
        from aioclubhouse.rooms.audio.transcribe import Segment, write_transcript
        speech.sentences()
        print(json.dumps({"loaded": "pocketsphinx" in sys.modules}))
        """,
        tmp_path,
    )
    assert reported == {"loaded": False}


def test_without_pocketsphinx_making_a_transcriber_names_the_extra(tmp_path: Path) -> None:
    reported = run_child(
        """
        import asyncio, json, sys
        sys.modules["pocketsphinx"] = None  # what an environment without the extra sees
        from aioclubhouse.rooms.audio import (
            AudioError, TranscriberUnavailable, pocketsphinx_transcriber, record,
        )
        from aioclubhouse.rooms.audio.transcribe import SphinxRecognizer, webrtc_detector

        errors = []
        for make in (pocketsphinx_transcriber, SphinxRecognizer, webrtc_detector):
            try:
                make()
            except TranscriberUnavailable as exc:
                errors.append([str(exc), isinstance(exc, AudioError)])

        async def frames():
            return
            yield

        try:
            asyncio.run(record(frames(), "unused-dir", transcript=True))
        except TranscriberUnavailable as exc:
            errors.append([str(exc), True])

        import os
        print(json.dumps({"errors": errors, "dir": os.path.exists("unused-dir")}))
        """,
        tmp_path,
    )
    errors = reported["errors"]
    assert isinstance(errors, list) and len(errors) == 4
    for message, is_audio_error in errors:
        assert "pip install 'aioclubhouse[transcribe]'" in message
        assert "pocketsphinx" in message
        assert is_audio_error
    assert reported["dir"] is False  # refused before anything was written
