"""A real terminal for the command line: a pseudo-terminal read by a screen emulator.

The command runs as its own process on the slave side of a pty, which is its
controlling terminal (so Ctrl-C typed there is a SIGINT, as in a shell); everything
it draws goes through ``pyte``, a VT100 screen, so tests read the screen a person
would see, after every cursor movement of rich's live views.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import struct
import sys
import termios
from collections.abc import Callable, Mapping

import pyte

from tests.support.waiting import WAIT_LIMIT

BOOT = (
    "import fcntl, sys, termios\n"
    "fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"  # this terminal is ours: Ctrl-C reaches us
    "sys.argv[0] = 'aioclubhouse'\n"
    "from aioclubhouse.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
CTRL_C = b"\x03"


class Terminal:
    """``aioclubhouse ARGS...`` on a ``columns`` x ``lines`` terminal."""

    def __init__(
        self, *args: str, env: Mapping[str, str], columns: int = 110, lines: int = 32
    ) -> None:
        self.args = args
        self.env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}
        self.env["TERM"] = "xterm-256color"
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.size = (lines, columns)
        self.raw = bytearray()
        self._master = -1
        self._changed = asyncio.Event()
        self._closed = False
        self.process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Terminal:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", *self.size, 0, 0))
        self._master = master
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            BOOT,
            *self.args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            env=self.env,
        )
        os.close(slave)
        asyncio.get_running_loop().add_reader(master, self._read)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        process = self.process
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()
        self._close()

    def _read(self) -> None:
        try:
            data = os.read(self._master, 65536)
        except OSError:  # EIO: the other side is gone
            data = b""
        if not data:
            self._close()
        else:
            self.raw.extend(data)
            self.stream.feed(data)
        self._changed.set()

    def _close(self) -> None:
        if not self._closed:
            self._closed = True
            with contextlib.suppress(ValueError, OSError):
                asyncio.get_running_loop().remove_reader(self._master)
            os.close(self._master)

    # -- looking and typing ------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The screen as it is now, one line per row."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    async def wait_for(
        self, condition: Callable[[str], bool], *, what: str, limit: float = WAIT_LIMIT
    ) -> str:
        """The screen once ``condition(screen)`` holds (checked after each output)."""
        try:
            async with asyncio.timeout(limit):
                while not condition(self.text):
                    if self._closed:
                        raise AssertionError(f"the command ended before {what}:\n{self.text}")
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(
                f"timed out waiting for {what}; the screen:\n{self.text}"
            ) from None
        return self.text

    def type(self, keys: bytes) -> None:
        os.write(self._master, keys)

    async def exit_code(self, limit: float = WAIT_LIMIT) -> int:
        """Wait for the command to end; its exit code."""
        assert self.process is not None
        async with asyncio.timeout(limit):
            code = await self.process.wait()
            while not self._closed:  # the last output, up to the end of the stream
                self._changed.clear()
                await self._changed.wait()
        return code
