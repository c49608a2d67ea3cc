"""Child processes for the fleet tests: the emulator, and fleet commands; and asking the
emulator (in its own process) what happened."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp

READY_LIMIT = 60.0


class Child:
    """A ``python -m ...`` child process whose stderr is kept in a file."""

    def __init__(self, name: str, arguments: Sequence[str], log_dir: Path) -> None:
        self.name = name
        self.arguments = list(arguments)
        self.log = log_dir / f"{name}.log"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, *, stdout: int = asyncio.subprocess.DEVNULL) -> None:
        with self.log.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                *self.arguments,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=stdout,
                stderr=log,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    async def stop(self, limit: float = 30.0) -> int:
        """SIGTERM and wait (SIGKILL after ``limit``); the exit status."""
        process = self.process
        if process is None:
            return 0
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), limit)
            except TimeoutError:
                process.kill()
                await process.wait()
        assert process.returncode is not None
        return process.returncode


class EmulatorChild(Child):
    """``python -m aioclubhouse.emulator`` on a free port, with accounts written to a folder."""

    base_url = ""

    async def start_and_wait(self) -> None:
        await self.start(stdout=asyncio.subprocess.PIPE)
        assert self.process is not None and self.process.stdout is not None
        async with asyncio.timeout(READY_LIMIT):
            while True:
                line = (await self.process.stdout.readline()).decode()
                if not line:
                    raise AssertionError(f"the emulator exited: {self.log_text()}")
                found = re.search(r"API: (\S+)", line)
                if found:
                    self.base_url = found.group(1)
                if "accounts written" in line:
                    return

    @property
    def root(self) -> str:
        return self.base_url.removesuffix("/api/")

    async def ask(self, what: str, **query: str) -> dict[str, Any]:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{self.root}/_emulator/{what}", params=query) as answer,
        ):
            answer.raise_for_status()
            found: dict[str, Any] = await answer.json()
            return found
