"""The README's code is code: every ```python block passes ``mypy --strict``, and the blocks
that can run by themselves run against the embedded emulator.

A block that is a whole program is checked and run as it stands. Any other block is a
fragment using names the prose introduces (``ch``, ``channel``, ``backend``, ...): it is
checked, and run, as the body of an ``async def`` taking those names as typed parameters.
"""

from __future__ import annotations

import ast
import asyncio
import os
import re
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from aioclubhouse import ClubhouseSession
from aioclubhouse.emulator import Emulator

from .typing.mypy_run import mypy_errors

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"^```python\n(?P<code>.*?)^```$", re.M | re.S)

# The names fragments use without defining, as the prose around them introduces them.
FRAGMENT_HEAD = """\
import asyncio

from aioclubhouse import ClubhouseSession
from aioclubhouse.rooms.audio import AudioBackend


async def fragment(
    ch: ClubhouseSession, channel: str, backend: AudioBackend, oauth_token: str
) -> None:
"""


def blocks(document: str) -> list[str]:
    return [m["code"] for m in BLOCK.finditer((ROOT / document).read_text(encoding="utf-8"))]


def is_program(code: str) -> bool:
    try:
        ast.parse(code)
    except SyntaxError:
        return False  # top-level await: a fragment
    return "asyncio.run(" in code


def as_module(code: str) -> str:
    if is_program(code):
        return code
    return FRAGMENT_HEAD + textwrap.indent(code, "    ")


README = blocks("README.md")
PYPI = blocks("docs/pypi.md")


def block_named(code_part: str, document: list[str] = README) -> str:
    """The one block containing ``code_part`` (fails if the README no longer has it)."""
    (code,) = [code for code in document if code_part in code]
    return code


def test_every_block_passes_mypy_strict(tmp_path: Path) -> None:
    assert len(README) >= 8 and PYPI
    paths = []
    for number, code in enumerate([*README, *PYPI], start=1):
        path = tmp_path / f"block_{number}.py"
        path.write_text(as_module(code), encoding="utf-8")
        paths.append(path)
    found = mypy_errors(paths)
    assert not found, "\n".join(f"{n}:{line}: [{c}] {m}" for n, line, c, m in found)


def test_a_wrong_block_is_caught(tmp_path: Path) -> None:
    # The wrapper leaves the checker something to find: a fragment misusing ``ch``.
    path = tmp_path / "wrong.py"
    path.write_text(as_module("me = await ch.me()\nme.user_profile.nam\n"), encoding="utf-8")
    assert [code for _, _, code, _ in mypy_errors([path])] == ["attr-defined"]


async def run_fragment(code: str, **names: object) -> None:
    module = types.ModuleType("readme_fragment")
    exec(compile(as_module(code), "<README>", "exec"), module.__dict__)
    await module.fragment(**{"ch": None, "channel": "", "backend": None, "oauth_token": ""} | names)


async def run_program(code: str, tmp_path: Path, env: dict[str, str]) -> str:
    script = tmp_path / "program.py"
    script.write_text(code, encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        cwd=tmp_path,
        env=os.environ | env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    return out.decode()


@pytest.fixture
def readme_env(
    clubhouse_emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """Sessions made without ``base_url`` reach the emulator; credentials go to tmp_path."""
    env = {
        "AIOCLUBHOUSE_BASE_URL": clubhouse_emulator.base_url,
        "AIOCLUBHOUSE_CREDENTIALS": str(tmp_path / "credentials.json"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    yield env


async def test_logging_in_then_the_session_program_run_against_the_emulator(
    clubhouse_emulator: Emulator, readme_env: dict[str, str], tmp_path: Path
) -> None:
    await run_fragment(block_named("ch.save_credentials()"))
    assert (tmp_path / "credentials.json").stat().st_mode & 0o777 == 0o600
    out = await run_program(block_named("ClubhouseSession.from_file()"), tmp_path, readme_env)
    async with ClubhouseSession.from_file() as ch:
        me, feed = await ch.me(), await ch.get_channels()
    assert feed.channels  # the seeded world has live rooms, and the program lists them all
    printed = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert {room.channel for room in feed.channels} <= set(printed)
    assert out.startswith(f"{me.user_profile.name}\n")


async def test_the_audio_block_records_the_fake_speakers(
    readme_env: dict[str, str], tmp_path: Path
) -> None:
    await run_fragment(block_named("ch.save_credentials()"))
    async with ClubhouseSession.from_file() as ch:
        channel = (await ch.get_channels()).channels[0].channel
        await run_fragment(block_named("FakeAudioBackend(speakers="), ch=ch, channel=channel)
    wavs = sorted((tmp_path / "recordings").glob("*.wav"))
    assert [path.name for path in wavs] == ["1.wav", "2.wav", "mix.wav"]  # a WAV per speaker
    assert all(path.stat().st_size > 44 for path in wavs)  # more than a header: sound


async def test_the_emulator_block_runs() -> None:
    await run_fragment(block_named("emu.faults.force_429"))


async def test_the_pypi_program_runs(tmp_path: Path) -> None:
    (program,) = PYPI
    assert is_program(program)
    out = await run_program(program, tmp_path, {})
    rooms = [line.split() for line in out.splitlines()]
    assert rooms and all(len(words) >= 3 and words[-1].isdigit() for words in rooms)
