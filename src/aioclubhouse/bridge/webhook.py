"""The webhook sink: signed POSTs of event batches, retried, and a dead-letter file.

Each batch is one POST of a JSON array of records (``Content-Type:
application/json``), signed as :mod:`.signing` describes.  The **idempotency key** of
an event is its record's ``id``: a retried or replayed batch carries the same ids,
and a receiver that remembers the ids it has processed handles every event once.
``X-Aioclubhouse-Delivery`` names the batch (the same on every attempt) and
``X-Aioclubhouse-Attempt`` counts the attempts, for the receiver's logs.

**Retries.**  A connection failure, a timeout, 408, 429 and 5xx are retried after a
jittered exponential backoff (``base_delay`` doubling up to ``max_delay``); a
``Retry-After`` is honoured (the wait is at least that long), unless it asks for more
than ``max_retry_after`` seconds, which counts as a failure.  Any other answer (a
4xx: the receiver refuses the batch itself, or a redirect, never followed) is not
retried.

**Concurrency and backpressure.**  At most ``max_in_flight`` batches are being posted
at once; :meth:`WebhookSink.send` waits for a free place before taking another, so a
slow receiver slows the bridge down (see :mod:`.pump`).

**Dead letters.**  A batch that failed ``max_attempts`` times, or was refused, is
appended record by record to the ``dead_letter`` JSON lines file (the reason is
logged), and ``aioclubhouse bridge replay FILE --to webhook:URL`` sends it again
later (:func:`aioclubhouse.bridge.command.replay`).  Without a dead-letter file such
a batch makes the next ``send`` or ``close`` raise :class:`SinkError`.  Closing waits
for the batches in flight, retries included, up to ``close_timeout`` seconds; after
that each one still failing goes to the dead-letter file at its next failure instead
of waiting again.
"""

from __future__ import annotations

import asyncio
import os
import random
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import aiohttp
import attrs
from yarl import URL

from ..errors import InvalidArgumentError
from ..redaction import get_logger, live_secrets
from ..transport import parse_retry_after
from .signing import signature_headers
from .sink import Outgoing, SinkContext, SinkError, safe_url

__all__ = ["DELIVERY_HEADER", "WebhookSink", "WebhookStats"]

log = get_logger("aioclubhouse.bridge")

DELIVERY_HEADER: Final = "X-Aioclubhouse-Delivery"
ATTEMPT_HEADER: Final = "X-Aioclubhouse-Attempt"
RETRIED_STATUSES: Final = frozenset({408, 429})


@attrs.define(kw_only=True)
class WebhookStats:
    """Counts of one webhook sink: events delivered, dead-lettered, and attempts made."""

    delivered: int = 0
    dead_lettered: int = 0
    attempts: int = 0
    retries: int = 0


class _Failure(Exception):
    def __init__(self, reason: str, *, retry: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.retry_after = retry_after


class WebhookSink(SinkContext):
    """POSTs batches of records to ``url``; see the module docs."""

    def __init__(
        self,
        url: str,
        *,
        secret: str | bytes | None,
        dead_letter: str | os.PathLike[str] | None = None,
        max_attempts: int = 6,
        max_in_flight: int = 4,
        timeout: float = 10.0,
        base_delay: float = 0.5,
        max_delay: float = 30.0,
        max_retry_after: float = 300.0,
        close_timeout: float = 60.0,
        http_session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.url = _checked_url(url)
        self._secret = secret
        self.dead_letter = Path(dead_letter) if dead_letter is not None else None
        for field, value in (("max_attempts", max_attempts), ("max_in_flight", max_in_flight)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidArgumentError(field, "must be a whole number of at least 1")
        for field, seconds in (
            ("timeout", timeout),
            ("base_delay", base_delay),
            ("max_delay", max_delay),
            ("max_retry_after", max_retry_after),
            ("close_timeout", close_timeout),
        ):
            if not isinstance(seconds, int | float) or not seconds > 0:
                raise InvalidArgumentError(field, "must be a positive number of seconds")
        self.max_attempts = max_attempts
        self.max_in_flight = max_in_flight
        self.timeout = float(timeout)
        self.base_delay = float(base_delay)
        self.max_delay = float(max_delay)
        self.max_retry_after = float(max_retry_after)
        self.close_timeout = float(close_timeout)
        self.stats = WebhookStats()
        self._lent_http = http_session
        self._http: aiohttp.ClientSession | None = None
        self._slots = asyncio.Semaphore(max_in_flight)
        self._tasks: set[asyncio.Task[None]] = set()
        self._lost: list[str] = []
        self._giving_up = asyncio.Event()
        self._dead_letter_lock = asyncio.Lock()
        self._open = False

    @property
    def name(self) -> str:
        return f"webhook:{safe_url(self.url)}"

    def __repr__(self) -> str:
        return f"<WebhookSink {safe_url(self.url)} delivered={self.stats.delivered}>"

    # -- lifecycle -------------------------------------------------------------------------
    async def open(self) -> None:
        if self._open:
            return
        if self.dead_letter is not None:
            try:
                self.dead_letter.parent.mkdir(parents=True, exist_ok=True)
                with self.dead_letter.open("ab"):
                    pass
            except OSError as exc:
                raise SinkError(
                    self.name, f"cannot write the dead-letter file {self.dead_letter} ({exc})"
                ) from None
        if isinstance(self._secret, str):
            live_secrets.hold(self._secret)
        self._http = self._lent_http or aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self.max_in_flight),
            timeout=aiohttp.ClientTimeout(total=self.timeout),
        )
        self._giving_up.clear()
        self._open = True

    async def close(self) -> None:
        if not self._open:
            return
        try:
            if self._tasks:
                _, pending = await asyncio.wait(set(self._tasks), timeout=self.close_timeout)
                if pending:
                    self._giving_up.set()
                    await asyncio.wait(pending)
        finally:
            self._open = False
            if self._http is not None and self._http is not self._lent_http:
                await self._http.close()
            self._http = None
            if isinstance(self._secret, str):
                live_secrets.release(self._secret)
        self._raise_lost()

    # -- sending ---------------------------------------------------------------------------
    async def send(self, batch: Sequence[Outgoing]) -> None:
        if not self._open:
            raise SinkError(self.name, "not open")
        self._raise_lost()
        if not batch:
            return
        await self._slots.acquire()
        task = asyncio.create_task(self._deliver(list(batch)), name=f"post to {self.name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def deliver_now(self, batch: Sequence[Outgoing]) -> bool:
        """Post ``batch`` and wait for the outcome: True if delivered, False if it went to
        the dead-letter file (replaying uses this)."""
        if not self._open:
            raise SinkError(self.name, "not open")
        await self._slots.acquire()
        before = self.stats.dead_lettered
        await self._deliver(list(batch))
        self._raise_lost()
        return self.stats.dead_lettered == before

    def _raise_lost(self) -> None:
        if self._lost:
            reasons, self._lost = self._lost, []
            raise SinkError(
                self.name, f"events not delivered and no dead-letter file: {reasons[0]}"
            )

    async def _deliver(self, batch: list[Outgoing]) -> None:
        try:
            body = b"[" + b",".join(item.line for item in batch) + b"]"
            delivery = uuid.uuid4().hex
            attempt = 0
            while True:
                attempt += 1
                self.stats.attempts += 1
                try:
                    await self._post(body, delivery, attempt)
                except _Failure as failure:
                    wait = self._wait_before_retry(failure, attempt)
                    if wait is None or not await self._sleep(wait):
                        await self._give_up(batch, failure.reason, attempt)
                        return
                    self.stats.retries += 1
                    continue
                self.stats.delivered += len(batch)
                return
        finally:
            self._slots.release()

    async def _post(self, body: bytes, delivery: str, attempt: int) -> None:
        assert self._http is not None
        headers = {
            "Content-Type": "application/json",
            DELIVERY_HEADER: delivery,
            ATTEMPT_HEADER: str(attempt),
        }
        if self._secret:
            headers.update(signature_headers(self._secret, body))
        try:
            async with self._http.post(
                self.url,
                data=body,
                headers=headers,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            ) as response:
                await response.read()
                status = response.status
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise _Failure(f"{type(exc).__name__}: {exc}", retry=True) from None
        if 200 <= status < 300:
            return
        retry = status in RETRIED_STATUSES or status >= 500
        raise _Failure(f"HTTP {status}", retry=retry, retry_after=retry_after)

    def _wait_before_retry(self, failure: _Failure, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        if not failure.retry or attempt >= self.max_attempts:
            return None
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        wait = random.uniform(ceiling / 2, ceiling)
        if failure.retry_after is not None:
            if not failure.retry_after <= self.max_retry_after:
                return None
            wait = max(wait, failure.retry_after)
        return wait

    async def _sleep(self, seconds: float) -> bool:
        """Wait; False when the sink gave up waiting (closing took too long)."""
        if self._giving_up.is_set():
            return False
        try:
            async with asyncio.timeout(seconds):
                await self._giving_up.wait()
        except TimeoutError:
            return True
        return False

    async def _give_up(self, batch: list[Outgoing], reason: str, attempts: int) -> None:
        if self.dead_letter is None:
            log.error(
                "%s: %d events lost after %d attempts: %s", self.name, len(batch), attempts, reason
            )
            self._lost.append(f"{len(batch)} events after {attempts} attempts: {reason}")
            return
        async with self._dead_letter_lock:
            try:
                with self.dead_letter.open("ab") as handle:
                    handle.write(b"".join(item.line + b"\n" for item in batch))
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as exc:
                self._lost.append(f"cannot write the dead-letter file ({exc})")
                return
        self.stats.dead_lettered += len(batch)
        log.warning(
            "%s: %d events went to %s after %d attempts: %s",
            self.name,
            len(batch),
            self.dead_letter,
            attempts,
            reason,
        )


def _checked_url(url: str) -> str:
    if not isinstance(url, str):
        raise InvalidArgumentError("url", "must be a text")
    try:
        parsed = URL(url)
    except ValueError:
        raise InvalidArgumentError("url", f"{safe_url(url)!r} is not a URL") from None
    if parsed.scheme not in ("http", "https"):
        raise InvalidArgumentError(
            "url", f"{safe_url(url)!r}: a webhook URL starts with http:// or https://"
        )
    if not parsed.host:
        raise InvalidArgumentError("url", f"{safe_url(url)!r} names no host")
    return url
