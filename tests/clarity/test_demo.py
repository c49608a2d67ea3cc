"""The Clarity example runs by itself, against its own emulator, and succeeds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "examples" / "clarity_demo.py"


def test_demo_runs_to_completion() -> None:
    result = subprocess.run(
        [sys.executable, str(DEMO)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Signed in as Alex Reid" in result.stdout
    assert "call_completed" in result.stdout
    assert "oauth_token=<redacted>" in result.stdout
