"""``record``, ``completion`` and ``emulator``."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from .support import Cli, command_env, no_traceback, one_line, run_process, venv_bin


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def test_record_writes_a_track_per_speaker_and_a_mix(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "recording"
    result = cli("--emulator", "record", "--out", str(out), "--seconds", "2")
    assert result.exit_code == 0, result.output
    tracks = sorted(p.name for p in out.glob("*.wav"))
    assert "mix.wav" in tracks and len(tracks) >= 2  # at least one speaker and the mix
    # One timeline: every track as long as the others, none past --seconds (the
    # timeline starts with the first voice, so a silent first moment shortens it).
    lengths = {round(wav_seconds(out / track), 2) for track in tracks}
    assert len(lengths) == 1 and 0 < lengths.pop() <= 2.0
    for track in tracks:
        assert track in result.stdout  # the summary table
    assert "Recording" in result.stderr


def test_an_audio_backend_that_is_not_installed_is_said_plainly(cli: Cli, tmp_path: Path) -> None:
    result = cli("--emulator", "record", "--out", str(tmp_path / "r"), "--backend", "agora-server")
    assert result.exit_code == 1
    assert "the agora-server audio backend is not available" in result.stderr
    assert "pip install agora-python-server-sdk" in result.stderr
    assert one_line(result.stderr) and no_traceback(result.output)
    assert not (tmp_path / "r").exists()


def test_record_transcribe_writes_the_transcript_beside_the_wavs(cli: Cli, tmp_path: Path) -> None:
    pytest.importorskip("pocketsphinx", reason="needs aioclubhouse[transcribe]")
    out = tmp_path / "recording"
    result = cli("--emulator", "record", "--out", str(out), "--seconds", "6", "--transcribe")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert {"transcript.jsonl", "transcript.srt", "transcript.vtt", "mix.wav"} <= set(files)
    rows = [json.loads(line) for line in (out / "transcript.jsonl").read_text().splitlines()]
    assert rows, "the emulator's speakers said nothing that was recognised"
    length = wav_seconds(out / "mix.wav")
    for row in rows:
        assert f"{row['uid']}.wav" in files  # said by someone recorded
        assert row["name"] != str(row["uid"])  # named from the room
        # The room hears a little more than --seconds: it is left once the WAVs are done.
        assert 0 <= row["start"] < length and row["start"] < row["end"] <= length + 1.0
        assert (
            row["text"]
            and f"<v {row['name']}>{row['text']}" in (out / "transcript.vtt").read_text()
        )
    assert "transcript.vtt" in result.stdout  # the summary table


def test_record_transcribe_without_pocketsphinx_names_the_extra(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pocketsphinx", None)  # importing it fails
    out = tmp_path / "r"
    result = cli("--emulator", "record", "--out", str(out), "--transcribe")
    assert result.exit_code == 1
    assert "--transcribe is not available" in result.stderr
    assert "pip install 'aioclubhouse[transcribe]'" in result.stderr
    assert one_line(result.stderr) and no_traceback(result.output)
    assert not out.exists()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(cli: Cli, shell: str) -> None:
    result = cli("completion", shell)
    assert result.exit_code == 0
    assert "_AIOCLUBHOUSE_COMPLETE" in result.stdout and f"{shell}_complete" in result.stdout


@pytest.mark.parametrize(
    ("shell", "words", "expected"),
    [
        ("bash", "aioclubhouse lis", "listen"),
        ("bash", "aioclubhouse call get_pro", "get_profile"),
        ("zsh", "aioclubhouse call get_profile --us", "--user-id"),
        ("fish", "aioclubhouse export fol", "followers"),
        ("fish", "aioclubhouse record --backend ag", "agora-server"),
    ],
)
def test_completion_answers(cli: Cli, shell: str, words: str, expected: str) -> None:
    parts = words.split()
    # bash and zsh say which word is being completed; fish gives the word itself
    current = parts[-1] if shell == "fish" else str(len(parts) - 1)
    env = {
        "_AIOCLUBHOUSE_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": current,
    }
    result = cli(env=env)
    assert result.exit_code == 0
    assert expected in result.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_endpoint_names_with_the_real_script() -> None:
    script = (
        'eval "$(aioclubhouse completion bash)"\n'
        "COMP_WORDS=(aioclubhouse call get_followe)\n"
        "COMP_CWORD=2\n"
        "_aioclubhouse_completion aioclubhouse\n"  # bash passes the command as $1
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = command_env(PATH=f"{venv_bin()}:{command_env()['PATH']}")
    done = subprocess.run(
        ["bash", "--norc", "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["get_followers"]


def busy_port() -> tuple[socket.socket, int]:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    return holder, holder.getsockname()[1]


async def test_a_busy_port_is_one_line_suggesting_port_0() -> None:
    holder, port = busy_port()
    with holder:
        code, _, err = await run_process("emulator", "--port", str(port))
        module_code, _, module_err = await run_process(
            "--port", str(port), module="aioclubhouse.emulator"
        )
    for exit_code, stderr in ((code, err), (module_code, module_err)):
        assert exit_code == 1 and one_line(stderr) and no_traceback(stderr)
        assert f"port {port} on 127.0.0.1 is in use" in stderr and "--port 0" in stderr


def test_emulator_help_lists_the_emulator_options(cli: Cli) -> None:
    result = cli("emulator", "--help")
    assert result.exit_code == 0
    assert "--port" in result.stdout and "--activity" in result.stdout
