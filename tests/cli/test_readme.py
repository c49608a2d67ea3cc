"""Every command of the README's "The command line" section runs as written.

Commands run in order, with the environment of a fresh machine.  The one exception
to "as written": the standalone emulator shown on port 8080 gets a free port, and
the commands that name 127.0.0.1:8080 get that port instead.  Commands marked
"until Ctrl-C" run in a terminal and are interrupted once they show something.
"""

from __future__ import annotations

import asyncio
import re
import shlex
import socket
import sys
from pathlib import Path

import pytest

from .support import Cli, command_env
from .terminal import CTRL_C, Terminal

README = Path(__file__).resolve().parents[2] / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## The command line")
    return text[start : text.index("\n## ", start + 1)]


def commands() -> list[tuple[str, str]]:
    """Each ``$ aioclubhouse ...`` line of the section: the command and its comment."""
    found = []
    for line in section().splitlines():
        if line.startswith("$ aioclubhouse "):
            command, _, comment = line[2:].partition("  #")
            found.append((command.strip(), comment.strip()))
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_section_shows_what_a_newcomer_runs() -> None:
    shown = [command for command, _ in commands()]
    assert "aioclubhouse --emulator listen" in shown
    assert "aioclubhouse --emulator export followers 1000 --out f.csv" in shown
    assert len(shown) >= 12


async def test_every_readme_command_runs_as_written(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIOCLUBHOUSE_EMULATOR_ACTIVITY")  # the sample world as a newcomer sees it
    port = free_port()
    emulator: asyncio.subprocess.Process | None = None
    try:
        for written, comment in commands():
            command = written.replace("127.0.0.1:8080", f"127.0.0.1:{port}")
            args = shlex.split(command)[1:]
            if args[:1] == ["emulator"]:
                args = [a if a != "8080" else str(port) for a in args]
                emulator = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "aioclubhouse", *args,
                    stdout=asyncio.subprocess.PIPE, env=command_env(),
                )  # fmt: skip
                assert emulator.stdout is not None
                first = await asyncio.wait_for(emulator.stdout.readline(), 30)
                assert b"Clubhouse emulator API" in first, written
                continue
            if "until Ctrl-C" in comment:
                async with Terminal(*args, env=command_env()) as terminal:
                    await terminal.wait_for(lambda s: "connected" in s, what=written, limit=60)
                    terminal.type(CTRL_C)
                    assert await terminal.exit_code() == 130, written
                continue
            result = await cli.run(*args)
            assert result.exit_code == 0, f"{written}\n{result.output}"
            check_output(written, result.stdout)
    finally:
        if emulator is not None and emulator.returncode is None:
            emulator.terminate()
            await emulator.wait()


def check_output(command: str, out: str) -> None:
    """What the README shows of the commands whose output the seed fixes."""
    if command.endswith("export followers 1000 --out f.csv"):
        assert "Exported 264 followers of user 1000 to f.csv (6 pages)" in out
    elif command.endswith("call get_profile --user-id 1000"):
        assert '"name": "Chiara Fernandes"' in out and '"num_followers": 264' in out
    elif command.endswith("whoami"):
        assert re.search(r"^Your Name, user \d+$", out, re.MULTILINE)
    elif command.endswith("endpoints users"):
        assert "17 endpoints" in out
    elif command.endswith("rooms"):
        assert "live rooms" in out and "cvhAh5n1" in out
