"""Holding a room's assignment: in-progress acks while listening, and knowing when it is lost.

JetStream redelivers an assignment whose holder has not acknowledged it for
``ack_wait`` seconds; an in-progress ack (``+WPI``) restarts that clock.  A
:class:`Lease` sends one every third of ``ack_wait``.  Those acks are not answered,
so the lease watches its own connection instead: when it has not been able to send
one for ``give_up`` of ``ack_wait`` (the connection was down), another worker may
already have the room, and :attr:`Lease.lost` is set so that this worker leaves it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING

from ..redaction import get_logger

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.aio.msg import Msg

__all__ = ["Lease"]

log = get_logger("aioclubhouse.fleet")

GIVE_UP = 0.8
"""Share of ``ack_wait`` without a renewal after which the lease counts as lost."""


class Lease:
    """Keeps one assignment alive until released; ``lost`` is set if it may have expired."""

    def __init__(self, message: Msg, client: Client, ack_wait: float, *, room: str) -> None:
        self.message = message
        self.client = client
        self.ack_wait = ack_wait
        self.room = room
        self.lost = asyncio.Event()
        self.renewed = time.monotonic()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._keep(), name=f"lease {self.room}")

    async def _keep(self) -> None:
        while True:
            await asyncio.sleep(self.ack_wait / 3)
            if self.client.is_connected:
                try:
                    await self.message.in_progress()
                except Exception as exc:  # a connection failing under the send
                    log.debug("lease %s: renewal failed (%s)", self.room, type(exc).__name__)
                else:
                    self.renewed = time.monotonic()
                stop_if_cancelled()  # a renewal may have swallowed the lease's stop
            if time.monotonic() - self.renewed > self.ack_wait * GIVE_UP:
                log.warning(
                    "lease %s: not renewed for %.0f s; letting the room go",
                    self.room,
                    time.monotonic() - self.renewed,
                )
                self.lost.set()
                return

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def finish(self, *, done: bool, retry_in: float | None = None) -> None:
        """Acknowledge (``done``: the room ended) or hand the room back for redelivery."""
        await self.stop()
        if self.lost.is_set():
            return  # another worker may hold it now: leave its delivery alone
        try:
            if done:
                await self.message.ack()
            else:
                await self.message.nak(delay=retry_in)
        except Exception as exc:
            log.warning("lease %s: could not be released (%s)", self.room, type(exc).__name__)


def stop_if_cancelled() -> None:
    """Raise CancelledError if this task was told to stop during a call that swallowed it.

    nats-py may swallow a cancellation that arrives while it publishes, or turn it into
    an error of its own; a loop that catches errors would then never stop.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
