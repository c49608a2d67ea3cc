"""Where output goes: rich consoles for people, plain lines for pipes, logs on stderr.

Results go to stdout, everything about the run (progress, live views, logs, errors)
to stderr, so ``aioclubhouse rooms --json > rooms.json`` still shows progress.  A
reader that closes the pipe early (``| head -1``) raises :class:`PipeClosed` from
:func:`write_line`; the command then ends quietly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import stat
import sys
from collections.abc import Awaitable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.logging import RichHandler

from .output import dumps

__all__ = [
    "PipeClosed",
    "err_console",
    "logging_to_stderr",
    "out_console",
    "print_json",
    "silence_stdout",
    "stop_when_stdout_closes",
    "write_line",
]

T = TypeVar("T")


class PipeClosed(Exception):
    """The reader of stdout went away."""


def out_console() -> Console:
    """A console on the current stdout (looked up now: test runners replace it)."""
    return Console(file=sys.stdout, highlight=False)


def err_console() -> Console:
    """A console on the current stderr."""
    return Console(file=sys.stderr, highlight=False)


def write_line(text: str) -> None:
    """One line to stdout, flushed, so that pipes see it at once."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        raise PipeClosed from None


def print_json(value: object, *, pretty: bool = False) -> None:
    """``value`` as JSON (credentials redacted): indented, or one line."""
    write_line(dumps(value, pretty=pretty))


def silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # stdout is no file descriptor (a test runner's buffer): nothing to flush


@contextlib.contextmanager
def logging_to_stderr(verbose: int) -> Iterator[None]:
    """Logs on stderr while the command runs: warnings by default, ``-v`` info,
    ``-vv`` debug.  The logging setup is put back as it was afterwards.

    The ``pubnub`` library's own logs stay hidden without ``-v``: what they report
    (lost connections, retries) is shown as the command's own connection state.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = RichHandler(console=err_console(), show_path=False)
    root = logging.getLogger()
    pubnub = logging.getLogger("pubnub")
    saved = root.level, pubnub.level
    root.addHandler(handler)
    root.setLevel(level)
    pubnub.setLevel(logging.CRITICAL + 1 if verbose == 0 else level)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        pubnub.setLevel(saved[1])


def _stdout_is_pipe() -> int | None:
    """stdout's descriptor when it is a pipe (whose reader may go away), else None."""
    try:
        fd = sys.stdout.fileno()
        return fd if stat.S_ISFIFO(os.fstat(fd).st_mode) else None
    except (OSError, ValueError, AttributeError):
        return None


async def stop_when_stdout_closes(work: Awaitable[T]) -> T:
    """Await ``work``; if stdout is a pipe whose reader goes away first, cancel it and
    raise :class:`PipeClosed`.

    The write end of a pipe reports an error condition as soon as the reader closes
    it, so a quiet room is left at once rather than at its next event.
    """
    task = asyncio.ensure_future(work)
    fd = _stdout_is_pipe()
    if fd is None:
        return await task
    loop = asyncio.get_running_loop()
    closed = loop.create_future()

    def reader_gone() -> None:
        if not closed.done():
            closed.set_result(None)

    loop.add_reader(fd, reader_gone)
    try:
        await asyncio.wait({task, closed}, return_when=asyncio.FIRST_COMPLETED)
    except BaseException:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        raise
    finally:
        loop.remove_reader(fd)
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    raise PipeClosed
