"""How the commands that run until told otherwise stop: ``--seconds``, SIGTERM, or Ctrl-C.

``bridge`` and ``fleet work|discover`` are services as much as commands.  Each gets
a stop event: set after ``--seconds``, or when the process gets SIGTERM (how service
managers and ``kill`` stop a program), and the command then ends its work cleanly
(rooms left, assignments handed back, sinks closed) and exits with 0.  Ctrl-C goes
the way of every command (:mod:`.runtime`): the work is cancelled, unwinds just as
cleanly, and the command exits with 130.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import AsyncIterator

__all__ = ["stop_event"]


@contextlib.asynccontextmanager
async def stop_event(seconds: float | None = None) -> AsyncIterator[asyncio.Event]:
    """An event set after ``seconds`` (if given) or on SIGTERM (in the main thread)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    timer = loop.call_later(seconds, stop.set) if seconds is not None else None
    handled = threading.current_thread() is threading.main_thread()
    if handled:
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        yield stop
    finally:
        if timer is not None:
            timer.cancel()
        if handled:
            loop.remove_signal_handler(signal.SIGTERM)
