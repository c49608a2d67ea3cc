"""One PubNub client and the long-poll loop serving the subscriptions placed on it.

The loop asks for the union of its subscribers' channels: a handshake first (and
after every failure, and whenever a subscriber is waiting to be confirmed), then
long-polls from the last cursor.  A change of channels cancels the request in
flight and asks again from the same cursor.  Every failure but a refusal (HTTP 403)
is retried forever with jittered backoff: a request that fails, an answer that is
not JSON, too large, or malformed (:mod:`.answers`), and even a bug in applying one.
Nothing but the last subscriber leaving ends the loop; if it ends anyway, every
subscriber is told (:meth:`RealtimeListener.realtime_failed`).  Messages are handed
out per subscriber, a whole answer at a time, after dropping any whose timetoken is
not newer than the last one delivered on its channel (a window replayed after a
reconnect).

Presence (docs/protocol.md C.5): the channels subscribers ask to keep present get
heartbeats from the pool's scheduler (:mod:`.heartbeats`); channels nobody wants any
more get a presence leave, best effort and bounded by ``leave_timeout``.

The connection holds its token in the log scrubber from its creation until its
last request has ended.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol

import aiohttp
from pubnub.exceptions import PubNubException

from ...errors import RealtimeError
from ...redaction import get_logger, live_secrets
from .access import RealtimeAccess, RealtimeOptions, seconds_to_timetoken
from .answers import MalformedAnswer, PollAnswer, parse_envelope
from .heartbeats import HeartbeatScheduler
from .listener import ConnectionChange, ConnectionState, RealtimeListener, RealtimeMessage
from .wire import (
    AnswerTooLarge,
    SubscribeRequest,
    denied_channels,
    describe_failure,
    heartbeat,
    is_refusal,
    leave,
    make_client,
)

__all__ = ["Connection", "Subscriber"]

log = get_logger("aioclubhouse.realtime")

_REQUEST_FAILURES = (
    PubNubException,
    aiohttp.ClientError,
    OSError,
    TimeoutError,
    ValueError,  # an answer that is not JSON
    MalformedAnswer,
    AnswerTooLarge,
)
"""What a request to a server that is down, slow or broken raises."""


class Subscriber(Protocol):
    """What a connection serves: a subscriber's channels and listener, and the three
    outcomes it reports back (:class:`~.pool.Subscription` is the one implementation)."""

    @property
    def channels(self) -> frozenset[str]: ...

    @property
    def presence_channels(self) -> frozenset[str]: ...

    @property
    def listener(self) -> RealtimeListener: ...

    def _confirm(self) -> bool:
        """Accepted by the server; True the first time."""
        ...

    def _refuse(self, error: RealtimeError) -> None:
        """Refused by the server (HTTP 403); the connection has let it go."""
        ...

    def _fail(self, error: RealtimeError) -> None:
        """The link stopped for good (it never should)."""
        ...


class Connection:
    """One PubNub client and the long-poll loop serving its subscriptions.

    ``on_idle`` is called when the last subscription leaves, so that its owner
    stops placing new ones here; closing is the owner's call.
    """

    def __init__(
        self,
        access: RealtimeAccess,
        options: RealtimeOptions,
        *,
        handler_class: type[Any],
        http: Callable[[], aiohttp.ClientSession],
        heartbeats: HeartbeatScheduler,
        on_idle: Callable[[Connection], None],
    ) -> None:
        self.access = access
        self.options = options
        self.cursor: int | None = None
        self.region: str | None = None
        self._on_idle = on_idle
        self._http = http
        self._heartbeats = heartbeats
        self._subscriptions: dict[Subscriber, frozenset[str]] = {}
        self._pending: set[Subscriber] = set()
        self._wanted_now: frozenset[str] = frozenset()
        """The union of the subscribers' channels (kept up to date by `_regroup`)."""
        self._readers: dict[str, tuple[Subscriber, ...]] = {}
        """Who reads each channel (kept up to date by `_regroup`)."""
        self._prepared: SubscribeRequest | None = None
        """The subscribe request of the channel set asked for last."""
        self._watermarks: dict[str, int] = {}
        self._present: frozenset[str] = frozenset()
        """The channels heartbeats keep present now."""
        self._leaving: set[asyncio.Task[None]] = set()
        self._failures = 0
        """Failed requests since the last answered long-poll: paces the backoff."""
        self._outage = False
        """RECONNECTING was announced and RECONNECTED not yet."""
        self._start_at: int | None = None
        """The earliest start time a subscriber asked for, until the first handshake."""
        self._changed = asyncio.Event()
        self._polling = False
        """A subscribe request is in flight; a change of channels interrupts it."""
        self._interrupted = False
        """`_poke` cancelled the loop's task to drop the request in flight."""
        self._timeout = aiohttp.ClientTimeout(
            total=options.request_timeout, connect=options.connect_timeout
        )
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self.pubnub = make_client(access, options, handler_class)
        if access.scrub_token:
            live_secrets.hold(access.auth_token)

    # -- membership ------------------------------------------------------------------
    @property
    def idle(self) -> bool:
        return not self._subscriptions

    def _wanted(self) -> frozenset[str]:
        return self._wanted_now

    def _regroup(self) -> None:
        """The subscribers or their channels changed: who reads what, once, for every poll."""
        readers: dict[str, list[Subscriber]] = {}
        for subscription, channels in self._subscriptions.items():
            for channel in channels:
                readers.setdefault(channel, []).append(subscription)
        self._readers = {channel: tuple(group) for channel, group in readers.items()}
        self._wanted_now = frozenset(readers)

    def has_room_for(self, channels: frozenset[str]) -> bool:
        return len(self._wanted() | channels) <= self.options.max_channels_per_connection

    def add(
        self,
        subscription: Subscriber,
        *,
        since: int | None = None,
        start_at: int | None = None,
        watermarks: dict[str, int] | None = None,
    ) -> None:
        self._subscriptions[subscription] = subscription.channels
        self._regroup()
        self._pending.add(subscription)
        if since is not None and (self.cursor is None or since < self.cursor):
            self.cursor = since
        if start_at is not None and self.cursor is None:
            self._start_at = start_at if self._start_at is None else min(start_at, self._start_at)
        for channel, timetoken in (watermarks or {}).items():
            self._watermarks[channel] = max(timetoken, self._watermarks.get(channel, 0))
        self._poke()
        self._follow_presence()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"realtime {self.access.origin}")
            self._task.add_done_callback(self._loop_ended)

    def update(self, subscription: Subscriber) -> None:
        """``subscription`` changed its channels; those nobody wants any more are left."""
        if subscription not in self._subscriptions:
            return
        before = self._wanted()
        self._subscriptions[subscription] = subscription.channels
        self._regroup()
        self._poke()
        self._follow_presence()
        dropped = before - self._wanted()
        if dropped:
            task = asyncio.ensure_future(self.leave(dropped))
            self._leaving.add(task)
            task.add_done_callback(self._leaving.discard)

    def remove(self, subscription: Subscriber) -> frozenset[str]:
        """Stop serving ``subscription``; the last one leaving makes the connection idle.

        Returns the channels nobody here wants any more (to leave, when the
        subscriber is leaving rather than moving to other credentials).
        """
        before = self._wanted()
        self._subscriptions.pop(subscription, None)
        self._regroup()
        self._pending.discard(subscription)
        wanted = self._wanted()
        for channel in list(self._watermarks):
            if channel not in wanted:
                del self._watermarks[channel]
        self._poke()
        self._follow_presence()
        if not self._subscriptions:
            self._on_idle(self)
        return frozenset(before - wanted)

    def watermarks_for(self, channels: Iterable[str]) -> dict[str, int]:
        return {c: self._watermarks[c] for c in channels if c in self._watermarks}

    async def close(self) -> None:
        """Stop the loop and wait for it (unless called from inside it); for good."""
        releasing = not self._closed and self.access.scrub_token
        self._closed = True
        self._heartbeats.cancel(self)
        try:
            task, self._task = self._task, None
            if task is not None and task is not asyncio.current_task():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            if self._leaving:
                await asyncio.gather(*self._leaving, return_exceptions=True)
            await self.pubnub.stop()
        finally:
            if releasing:  # after the last request, whose log lines carry the token
                live_secrets.release(self.access.auth_token)

    # -- presence ----------------------------------------------------------------------
    def _follow_presence(self) -> None:
        """Heartbeat the channels subscribers keep present: at once when they change."""
        present = frozenset(
            channel
            for subscription, channels in self._subscriptions.items()
            for channel in subscription.presence_channels & channels
        )
        if present == self._present or self._closed:
            return
        self._present = present
        if present:
            self._heartbeats.schedule(self)
        else:
            self._heartbeats.cancel(self)

    @property
    def heartbeat_interval(self) -> float | None:
        return self.access.heartbeat_seconds if self._present and not self._closed else None

    async def send_heartbeat(self) -> None:
        channels = self._present
        if not channels or self._closed:
            return
        try:
            async with asyncio.timeout(self.options.connect_timeout):
                await heartbeat(self.pubnub, channels)
        except Exception as exc:  # the next one may do better; the long-poll goes on
            log.debug("presence heartbeat failed: %s", describe_failure(exc))

    async def leave(self, channels: Iterable[str]) -> None:
        """Tell presence the client left ``channels``: best effort, within ``leave_timeout``."""
        channels = frozenset(channels)
        if not channels:
            return
        try:
            async with asyncio.timeout(self.options.leave_timeout):
                await leave(self.pubnub, channels)
        except Exception as exc:  # the service times the client out instead
            log.debug("presence leave failed: %s", describe_failure(exc))

    # -- the loop --------------------------------------------------------------------
    async def _run(self) -> None:
        while self._subscriptions:
            try:
                await self._poll()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # every failure is retried or turned into an event
                if self._handle_failure(exc):
                    await self._pause(self.options.backoff(self._failures))

    async def _poll(self) -> None:
        """One subscribe request, and its answer applied."""
        self._changed.clear()
        asked = self._wanted()
        probing = self.cursor is None or bool(self._pending) or self._outage
        started_from = self.cursor
        request = self._prepared
        if request is None or request.channels != asked:
            request = self._prepared = SubscribeRequest(self.pubnub, asked)
        answer = await self._unless_changed(
            request.send(
                self._http(),
                None if probing else started_from,
                self.region,
                timeout=self._timeout,
                limit=self.options.max_answer_size,
            )
        )
        if answer is None:  # the channel set changed mid-request: ask again
            return
        self._apply(answer, asked, probing)
        if not probing and not self._wanted() <= asked:
            # Channels joined while this poll was open: their messages since
            # `started_from` were not asked for. Replay from there; the
            # watermarks drop what the other channels already delivered.
            self.cursor = started_from

    def _loop_ended(self, task: asyncio.Task[None]) -> None:
        """The loop must end only when nobody is subscribed; if not, say so to everyone."""
        if task is not self._task or task.cancelled() or self._closed:
            return
        error = task.exception()
        if error is None and not self._subscriptions:
            return
        log.error("realtime link to %s stopped", self.access.origin, exc_info=error)
        failure = RealtimeError("the realtime link stopped unexpectedly")
        for subscription in list(self._subscriptions):
            self.remove(subscription)
            subscription._fail(failure)
            _notify_failed(subscription, failure)

    async def _unless_changed(self, request: Awaitable[PollAnswer]) -> PollAnswer | None:
        """Await ``request`` unless the channel set changes first (then return None).

        The request runs in the loop's own task (a task per poll would cost more than
        the poll); `_poke` interrupts it by cancelling that task, and the
        cancellation is taken back here, unless someone else is stopping the loop.
        """
        self._polling = True
        try:
            return await request
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if self._interrupted and task is not None:
                self._interrupted = False
                if task.uncancel() == 0:
                    return None  # only the request was cancelled, by _poke
            raise  # this loop itself is being stopped
        finally:
            self._polling = False

    def _poke(self) -> None:
        """The channel set changed: wake the loop and drop the request in flight."""
        self._changed.set()
        task = self._task
        if self._polling and not self._interrupted and task is not None and not task.done():
            self._interrupted = True
            task.cancel()

    async def _pause(self, seconds: float) -> None:
        """Sleep before a retry; returns early when the last subscriber leaves."""
        try:
            async with asyncio.timeout(seconds):
                while self._subscriptions:
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            pass

    def _handle_failure(self, exc: BaseException) -> bool:
        """Deal with a failed poll; True when the loop should back off and retry."""
        if is_refusal(exc):
            self._refuse(exc)
            return False
        self._failures += 1
        self._outage = True
        self.region = None  # the next handshake names the region again
        error = describe_failure(exc)
        if isinstance(exc, MalformedAnswer | AnswerTooLarge | ValueError):
            # Once per outage at WARNING: a broken server must not flood the log.
            level = logging.WARNING if self._failures == 1 else logging.DEBUG
            log.log(level, "realtime answer unusable (attempt %d): %s", self._failures, error)
        elif isinstance(exc, _REQUEST_FAILURES):
            log.debug("realtime request failed (attempt %d): %s", self._failures, error)
        else:
            log.error("realtime poll failed unexpectedly; retrying", exc_info=exc)
        change = ConnectionChange(
            state=ConnectionState.RECONNECTING,
            attempt=self._failures,
            error=error,
            timetoken=self.cursor or 0,
        )
        for subscription in list(self._subscriptions):
            if subscription not in self._pending:
                _notify_status(subscription, change)
        return True

    def _refuse(self, exc: BaseException) -> None:
        """HTTP 403: the token may not read some channels any more; that is final for them."""
        denied = denied_channels(exc)
        refused = [
            s for s, channels in self._subscriptions.items() if denied is None or channels & denied
        ]
        if not refused:
            refused = list(self._subscriptions)
        error = RealtimeError(
            "the realtime service refused the subscription (HTTP 403)", status=403
        )
        for subscription in refused:
            self.remove(subscription)
            subscription._refuse(error)
            _notify_failed(subscription, error)

    def _apply(self, answer: PollAnswer, asked: frozenset[str], probing: bool) -> None:
        if probing:
            if self.cursor is None:
                self.cursor = self._first_cursor(answer.cursor)
        else:
            self._failures = 0
            self.cursor = answer.cursor
            self._deliver(answer.envelopes)
        self.region = answer.region
        if self._outage:
            self._outage = False
            change = ConnectionChange(state=ConnectionState.RECONNECTED, timetoken=self.cursor or 0)
            for subscription in list(self._subscriptions):
                if subscription not in self._pending:
                    _notify_status(subscription, change)
        confirmed = [s for s in self._pending if self._subscriptions.get(s, frozenset()) <= asked]
        for subscription in confirmed:
            self._pending.discard(subscription)
            if subscription._confirm():
                # The handshake's timetoken is the server's "now": everything after
                # it reaches this subscriber.
                now = answer.cursor if probing else self.cursor or 0
                _notify_status(
                    subscription, ConnectionChange(state=ConnectionState.CONNECTED, timetoken=now)
                )

    def _first_cursor(self, handshake: int) -> int:
        """Where a new connection starts: the earliest ``start_at`` asked for, unless it is
        later than the server's clock or further back than ``max_rewind``."""
        start_at, self._start_at = self._start_at, None
        if start_at is None:
            return handshake
        if handshake - seconds_to_timetoken(self.options.max_rewind) <= start_at <= handshake:
            return start_at
        return handshake

    def _deliver(self, envelopes: Iterable[Any]) -> None:
        """Hand each subscriber its messages of one answer, in order, each message once.

        An envelope that cannot be read is dropped alone (logged); the watermark of a
        channel moves only with a message handed out on it.
        """
        batches: dict[Subscriber, list[RealtimeMessage]] = {}
        watermarks = self._watermarks
        readers_of = self._readers
        for envelope in envelopes:
            message = parse_envelope(envelope)
            if message is None:
                continue
            channel = message.channel
            last = watermarks.get(channel)
            if last is not None and message.timetoken <= last:
                continue  # already delivered (a replayed window after a reconnect)
            readers = readers_of.get(channel)
            if not readers:
                continue
            watermarks[channel] = message.timetoken
            for subscription in readers:
                batch = batches.get(subscription)
                if batch is None:
                    batches[subscription] = [message]
                else:
                    batch.append(message)
        for subscription, messages in batches.items():
            try:
                subscription.listener.realtime_messages(messages)
            except Exception:
                log.exception("realtime listener failed; delivery continues")


def _notify_status(subscription: Subscriber, change: ConnectionChange) -> None:
    try:
        subscription.listener.realtime_status(change)
    except Exception:
        log.exception("realtime listener failed")


def _notify_failed(subscription: Subscriber, error: RealtimeError) -> None:
    try:
        subscription.listener.realtime_failed(error)
    except Exception:
        log.exception("realtime listener failed")
