"""Publishing to JetStream with many messages in flight, and only the unacknowledged sent again.

JetStream acknowledges every message published to a stream with a reply on the
publisher's subject.  A :class:`Publisher` serves every room of a process: it sends
the messages handed to it together, and one subscription receives the
acknowledgements of all the messages in flight, matched by reply subject.  So a
message costs a message out and a message back, and no task, timer or future of its
own: what matters when a process bridges hundreds of rooms.

* **Sent together.**  Messages handed over while a send is under way, or within
  ``linger`` seconds of the last one, go out in the next send, which the client
  writes to its socket at once: a busy process makes one write for many rooms' events
  instead of one each, and a quiet one sends each message at once.
* **In flight.**  At most ``max_in_flight`` messages wait for their acknowledgement;
  :meth:`Publisher.publish` waits for room before it hands a batch over (a batch
  larger than that goes alone).  That bounds memory and is the sink's backpressure.
* **In order.**  The messages in flight are kept in the order they were sent, which
  is the order of their deadlines, so the publisher's task only looks at the oldest.
  :meth:`Publisher.publish` returns when every message of its batch is acknowledged,
  so a caller that moves a cursor after it (the fleet's workers) never moves it past
  a message JetStream does not have.
* **Again, only what was not acknowledged.**  A message with no acknowledgement after
  ``timeout`` seconds, or refused (JetStream answering an error, no stream
  listening, the connection closed under the send), is sent again after a jittered
  backoff, with the same ``Nats-Msg-Id``: if the first one was stored after all,
  JetStream drops the second as a duplicate.  After ``max_attempts`` sends, its batch
  fails with :class:`PublishFailed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import json
import random
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from ..redaction import get_logger

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.aio.msg import Msg
    from nats.aio.subscription import Subscription

__all__ = ["MSG_ID_HEADER", "Outbound", "PublishFailed", "Publisher"]

log = get_logger("aioclubhouse.bridge")

MSG_ID_HEADER: Final = "Nats-Msg-Id"
STATUS_HEADER: Final = "Status"

Outbound = tuple[str, bytes, str]
"""A message to publish: subject, payload, ``Nats-Msg-Id``."""


class PublishFailed(Exception):
    """A message of the batch was not acknowledged after every attempt (the text says why)."""


class _Batch:
    """One :meth:`Publisher.publish` call: how many of its messages wait, and its outcome."""

    __slots__ = ("done", "waiting")

    def __init__(self, count: int, done: asyncio.Future[None]) -> None:
        self.waiting = count
        self.done = done

    def acknowledged(self) -> None:
        self.waiting -= 1
        if self.waiting == 0 and not self.done.done():
            self.done.set_result(None)

    def fail(self, problem: str) -> None:
        if not self.done.done():
            self.done.set_exception(PublishFailed(problem))


class _Message:
    __slots__ = ("attempts", "batch", "data", "msg_id", "reply", "settled", "subject")

    def __init__(self, subject: str, data: bytes, msg_id: str, batch: _Batch) -> None:
        self.subject = subject
        self.data = data
        self.msg_id = msg_id
        self.batch = batch
        self.attempts = 0
        self.reply: str | None = None
        """The reply subject of the send in flight (None between sends)."""
        self.settled = False
        """Acknowledged, or given up."""


class Publisher:
    """Publishes on ``client`` and tracks acknowledgements; see the module docs."""

    def __init__(
        self,
        client: Client,
        *,
        timeout: float,
        max_attempts: int,
        base_delay: float,
        max_delay: float,
        max_in_flight: int,
        linger: float = 0.002,
        label: str,
    ) -> None:
        self.client = client
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_in_flight = max_in_flight
        self.linger = linger
        self.label = label
        self.acknowledged = 0
        self.duplicates = 0
        """Messages JetStream already had (dropped by their id)."""
        self.retries = 0
        self.sends = 0
        """How many times messages went out together."""
        self._inbox = ""
        self._serial = 0
        self._subscription: Subscription | None = None
        self._outbox: list[_Message] = []
        self._next_send = 0.0
        self._by_reply: dict[str, _Message] = {}
        self._in_flight: deque[tuple[float, _Message, int]] = deque()
        """(deadline, message, attempt) in the order sent; stale entries are skipped."""
        self._retries: list[tuple[float, int, _Message]] = []
        """A heap of (when, serial, message) to send again."""
        self._unsettled = 0
        self._space = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        """Set to wake the task before the time it sleeps until."""
        self._sleeps_until: float | None = None
        """When the task wakes by itself (None: not before it is woken)."""

    @property
    def in_flight(self) -> int:
        """Messages handed over and neither acknowledged nor given up."""
        return self._unsettled

    async def start(self) -> None:
        """Subscribe to the acknowledgements and start sending."""
        self._inbox = self.client.new_inbox()
        self._subscription = await self.client.subscribe(f"{self._inbox}.*", cb=self._on_reply)
        self._task = asyncio.create_task(self._run(), name=f"publishing to {self.label}")
        self._task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        """The task ends only when stopped; should it fail, nothing may wait forever."""
        if not task.cancelled() and task.exception() is not None:
            log.error("%s: publishing failed (%r)", self.label, task.exception())
            self._fail_all(f"publishing failed ({task.exception()!r})")

    async def stop(self) -> None:
        """Stop; batches still waiting fail (nothing waits after a clean stop: every
        :meth:`publish` waited for its acknowledgements)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        subscription, self._subscription = self._subscription, None
        if subscription is not None:
            with contextlib.suppress(Exception):  # the connection may be gone already
                await subscription.unsubscribe()
        self._fail_all("the sink was closed")

    def _fail_all(self, problem: str) -> None:
        waiting = [m for _, m, _ in self._in_flight] + [m for _, _, m in self._retries]
        for message in waiting + self._outbox:
            message.batch.fail(problem)
        self._in_flight.clear()
        self._retries.clear()
        self._outbox.clear()
        self._by_reply.clear()

    async def publish(self, messages: Sequence[Outbound]) -> None:
        """Send ``messages``; return once JetStream acknowledged every one of them.

        Raises :class:`PublishFailed` when one was not acknowledged after every attempt.
        """
        if not messages:
            return
        if self._task is None or self._task.done():
            raise PublishFailed("not publishing (not started, or stopped)")
        while self._unsettled and self._unsettled + len(messages) > self.max_in_flight:
            self._space.clear()
            await self._space.wait()
        loop = asyncio.get_running_loop()
        batch = _Batch(len(messages), loop.create_future())
        self._unsettled += len(messages)
        self._outbox.extend(_Message(subject, data, key, batch) for subject, data, key in messages)
        self._wake_by(max(self._next_send, loop.time()))
        await batch.done

    # -- the task: sending, deadlines, retries -----------------------------------------------
    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            self._expire(now)
            while self._retries and self._retries[0][0] <= now:
                self._outbox.append(heapq.heappop(self._retries)[2])
            if self._outbox and now >= self._next_send:
                await self._send_all(now)
                self._next_send = now + self.linger
            times = [when for when, _, _ in self._retries[:1]]
            if self._in_flight:  # its oldest message waits: _expire dropped the others
                times.append(self._in_flight[0][0])
            if self._outbox:
                times.append(self._next_send)
            self._sleeps_until = min(times) if times else None
            self._wake.clear()
            try:
                async with asyncio.timeout_at(self._sleeps_until):
                    await self._wake.wait()
            except TimeoutError:
                pass
            finally:
                self._sleeps_until = loop.time()  # awake: nobody needs to wake it

    def _wake_by(self, when: float) -> None:
        """Make sure the task looks again at ``when`` at the latest."""
        if self._sleeps_until is None or when < self._sleeps_until:
            self._wake.set()

    async def _send_all(self, now: float) -> None:
        outbox, self._outbox = self._outbox, []
        deadline = now + self.timeout
        self.sends += 1
        for message in outbox:
            self._serial += 1
            reply = f"{self._inbox}.{self._serial}"
            message.reply = reply
            message.attempts += 1
            self._by_reply[reply] = message
            self._in_flight.append((deadline, message, message.attempts))
            try:
                await self.client.publish(
                    message.subject,
                    message.data,
                    reply=reply,
                    headers={MSG_ID_HEADER: message.msg_id},
                )
            except Exception as exc:  # closed, reconnecting with a full buffer...
                self._by_reply.pop(reply, None)
                message.reply = None
                self._again(message, type(exc).__name__)

    async def _on_reply(self, reply: Msg) -> None:
        message = self._by_reply.pop(reply.subject, None)
        if message is None:
            return  # the answer to a send already given up on
        message.reply = None
        problem, duplicate = _answer(reply)
        if problem is not None:
            self._again(message, problem)
            return
        self.acknowledged += 1
        self.duplicates += duplicate
        self._settle(message)
        message.batch.acknowledged()
        in_flight = self._in_flight
        while in_flight and not _waiting(in_flight[0]):
            in_flight.popleft()

    def _settle(self, message: _Message) -> None:
        message.settled = True
        self._unsettled -= 1
        if self._unsettled < self.max_in_flight:
            self._space.set()

    def _again(self, message: _Message, problem: str) -> None:
        """Send ``message`` again later, or fail its batch after the last attempt."""
        if message.attempts >= self.max_attempts:
            self._settle(message)
            message.batch.fail(
                f"a message was not acknowledged after {message.attempts} attempts ({problem})"
            )
            return
        ceiling = min(self.max_delay, self.base_delay * 2 ** (message.attempts - 1))
        when = asyncio.get_running_loop().time() + random.uniform(ceiling / 2, ceiling)
        self._serial += 1
        heapq.heappush(self._retries, (when, self._serial, message))
        self.retries += 1
        log.warning(
            "%s: a publish was not acknowledged (%s); again in up to %.1f s",
            self.label,
            problem,
            ceiling,
        )
        self._wake_by(when)

    def _expire(self, now: float) -> None:
        """Give up waiting for the messages whose deadline passed; send them again."""
        in_flight = self._in_flight
        while in_flight:
            deadline, message, _ = entry = in_flight[0]
            if not _waiting(entry):
                in_flight.popleft()  # acknowledged, or sent again since
                continue
            if deadline > now:
                return
            in_flight.popleft()
            if message.reply is not None:
                self._by_reply.pop(message.reply, None)
            message.reply = None
            self._again(message, f"no acknowledgement in {self.timeout:g} s")


def _waiting(entry: tuple[float, _Message, int]) -> bool:
    """Whether an entry of the in-flight queue still waits for its acknowledgement."""
    _, message, attempt = entry
    return not message.settled and message.attempts == attempt and message.reply is not None


def _answer(reply: Msg) -> tuple[str | None, bool]:
    """What JetStream answered: (the problem, or None; whether it was a duplicate)."""
    headers = reply.headers
    if headers and headers.get(STATUS_HEADER) == "503":
        return "no stream takes the subject (no responders)", False
    data = reply.data
    if data.startswith(b'{"stream":') and b'"error"' not in data and b'"duplicate"' not in data:
        return None, False  # the usual answer, read without parsing it
    try:
        answer = json.loads(reply.data)
    except ValueError:
        return "an answer that is not JSON", False
    if not isinstance(answer, dict):
        return "an answer that is not an object", False
    error = answer.get("error")
    if error is not None:
        text = error.get("description") if isinstance(error, dict) else None
        return f"JetStream refused it: {text or error}", False
    return None, answer.get("duplicate") is True
