"""Presence heartbeats for every connection of a pool, from one task.

A long-poll can stay open far longer than the presence timeout, and PubNub counts
a subscribe as a sign of life only when it is answered, so a client that only
long-polls drops out of presence (a ``timeout``) while it still listens.  The apps
therefore send a heartbeat at once and then every ``pubnub_heartbeat_interval``
seconds (docs/protocol.md C.5).

A fleet holds thousands of connections, so there is no timer per connection: the
pool's :class:`HeartbeatScheduler` keeps one heap of due times and one task that
sleeps until the earliest, sends what is due (each heartbeat in a short task of its
own, so a slow server holds up nobody) and schedules the next.  The task exists
only while some connection is due a heartbeat; a connection that stops
heartbeating is forgotten lazily (its heap entry is skipped when it comes up), or
at once with the task when it was the last.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from typing import Protocol

__all__ = ["HeartbeatScheduler", "Heartbeating"]


class Heartbeating(Protocol):
    """What the scheduler drives: a connection that may want heartbeats."""

    @property
    def heartbeat_interval(self) -> float | None:
        """Seconds until the next heartbeat, or None when none is wanted any more."""

    async def send_heartbeat(self) -> None:
        """Send one heartbeat; must not raise (failures are the sender's to log)."""


class HeartbeatScheduler:
    """Sends the heartbeats of many connections when they are due, from one task."""

    def __init__(self, name: str = "realtime heartbeats") -> None:
        self.name = name
        self._heap: list[tuple[float, int, Heartbeating]] = []
        self._live: dict[Heartbeating, int] = {}
        """The one heap entry (by sequence number) that counts for each target."""
        self._sending: dict[Heartbeating, asyncio.Task[None]] = {}
        self._sequence = itertools.count()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def scheduled(self) -> int:
        """How many connections are due heartbeats."""
        return len(self._live)

    def schedule(self, target: Heartbeating, delay: float = 0.0) -> None:
        """Send ``target``'s next heartbeat in ``delay`` seconds (replacing any other)."""
        if self._closed:
            return
        loop = asyncio.get_running_loop()
        sequence = next(self._sequence)
        self._live[target] = sequence
        heapq.heappush(self._heap, (loop.time() + delay, sequence, target))
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run(), name=self.name)
        elif self._heap[0][1] == sequence:
            self._wake.set()  # earlier than what the task sleeps for

    def cancel(self, target: Heartbeating) -> None:
        """No more heartbeats for ``target``; one in flight is abandoned.  With nobody
        left to heartbeat, the task ends too."""
        self._live.pop(target, None)
        sending = self._sending.pop(target, None)
        if sending is not None:
            sending.cancel()
        if not self._live:
            self._heap.clear()
            task, self._task = self._task, None
            if task is not None and task is not asyncio.current_task():
                task.cancel()

    async def close(self) -> None:
        """Stop for good, abandoning heartbeats in flight."""
        self._closed = True
        self._live.clear()
        self._heap.clear()
        tasks = list(self._sending.values())
        self._sending.clear()
        if self._task is not None:
            tasks.append(self._task)
            self._task = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self._heap:
            due, sequence, target = self._heap[0]
            if self._live.get(target) != sequence:
                heapq.heappop(self._heap)  # replaced or cancelled
                continue
            wait = due - loop.time()
            if wait > 0:
                self._wake.clear()
                try:
                    async with asyncio.timeout(wait):
                        await self._wake.wait()
                except TimeoutError:
                    pass
                continue
            heapq.heappop(self._heap)
            del self._live[target]
            self._send(target)
            interval = target.heartbeat_interval
            if interval is not None:
                self.schedule(target, interval)

    def _send(self, target: Heartbeating) -> None:
        if target in self._sending:
            return  # the last one has not finished: no pile-up against a slow server
        task = asyncio.ensure_future(target.send_heartbeat())
        task.set_name(f"{self.name} send")
        self._sending[target] = task

        def done(finished: asyncio.Task[None]) -> None:
            if self._sending.get(target) is finished:
                del self._sending[target]
            if not finished.cancelled():
                finished.exception()  # retrieved: send_heartbeat logs its own failures

        task.add_done_callback(done)
