"""One PubNub client and the long-poll loop serving the subscriptions placed on it.

The loop asks for the union of its subscribers' channels: a handshake first (and
after every failure, and whenever a subscriber is waiting to be confirmed), then
long-polls from the last cursor.  A change of channels cancels the request in
flight and asks again from the same cursor.  Every failure but a refusal (HTTP 403)
is retried forever with jittered backoff.  Messages are handed out per subscriber,
a whole answer at a time, after dropping any whose timetoken is not newer than the
last one delivered on its channel (a window replayed after a reconnect).

The connection holds its token in the log scrubber from its creation until its
last request has ended.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ...coerce import wire_int
from ...errors import RealtimeError
from ...redaction import get_logger, live_secrets
from .access import RealtimeAccess, RealtimeOptions, seconds_to_timetoken
from .listener import ConnectionChange, ConnectionState, RealtimeMessage
from .wire import (
    denied_channels,
    describe_failure,
    is_refusal,
    make_client,
    parse_envelope,
    subscribe,
)

if TYPE_CHECKING:
    from .pool import Subscription

__all__ = ["Connection"]

log = get_logger("aioclubhouse.realtime")


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
        on_idle: Callable[[Connection], None],
    ) -> None:
        self.access = access
        self.options = options
        self.cursor: int | None = None
        self.region: str | None = None
        self._on_idle = on_idle
        self._subscriptions: dict[Subscription, frozenset[str]] = {}
        self._pending: set[Subscription] = set()
        self._watermarks: dict[str, int] = {}
        self._failures = 0
        """Failed requests since the last answered long-poll: paces the backoff."""
        self._outage = False
        """RECONNECTING was announced and RECONNECTED not yet."""
        self._start_at: int | None = None
        """The earliest start time a subscriber asked for, until the first handshake."""
        self._changed = asyncio.Event()
        self._request: asyncio.Task[dict[str, Any]] | None = None
        """The subscribe request in flight; a change of channels cancels it."""
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self.pubnub = make_client(access, options, handler_class)
        if access.scrub_token:
            live_secrets.hold(access.auth_token)

    # -- membership ------------------------------------------------------------------
    @property
    def idle(self) -> bool:
        return not self._subscriptions

    def _wanted(self) -> set[str]:
        return {c for channels in self._subscriptions.values() for c in channels}

    def has_room_for(self, channels: frozenset[str]) -> bool:
        return len(self._wanted() | channels) <= self.options.max_channels_per_connection

    def add(
        self,
        subscription: Subscription,
        *,
        since: int | None = None,
        start_at: int | None = None,
        watermarks: dict[str, int] | None = None,
    ) -> None:
        self._subscriptions[subscription] = subscription.channels
        self._pending.add(subscription)
        if since is not None and (self.cursor is None or since < self.cursor):
            self.cursor = since
        if start_at is not None and self.cursor is None:
            self._start_at = start_at if self._start_at is None else min(start_at, self._start_at)
        for channel, timetoken in (watermarks or {}).items():
            self._watermarks[channel] = max(timetoken, self._watermarks.get(channel, 0))
        self._poke()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"realtime {self.access.origin}")

    def update(self, subscription: Subscription) -> None:
        if subscription in self._subscriptions:
            self._subscriptions[subscription] = subscription.channels
            self._poke()

    def remove(self, subscription: Subscription) -> None:
        """Stop serving ``subscription``; the last one leaving makes the connection idle."""
        self._subscriptions.pop(subscription, None)
        self._pending.discard(subscription)
        wanted = self._wanted()
        for channel in list(self._watermarks):
            if channel not in wanted:
                del self._watermarks[channel]
        self._poke()
        if not self._subscriptions:
            self._on_idle(self)

    def watermarks_for(self, channels: Iterable[str]) -> dict[str, int]:
        return {c: self._watermarks[c] for c in channels if c in self._watermarks}

    async def close(self) -> None:
        """Stop the loop and wait for it (unless called from inside it); for good."""
        releasing = not self._closed and self.access.scrub_token
        self._closed = True
        try:
            task, self._task = self._task, None
            if task is not None and task is not asyncio.current_task():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            await self.pubnub.stop()
        finally:
            if releasing:  # after the last request, whose log lines carry the token
                live_secrets.release(self.access.auth_token)

    # -- the loop --------------------------------------------------------------------
    async def _run(self) -> None:
        while self._subscriptions:
            self._changed.clear()
            asked = self._wanted()
            probing = self.cursor is None or bool(self._pending) or self._outage
            started_from = self.cursor
            request = subscribe(
                self.pubnub, sorted(asked), None if probing else started_from, self.region
            )
            try:
                answer = await self._unless_changed(request)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # every failure is retried or turned into an event
                if self._handle_failure(exc):
                    await self._pause(self.options.backoff(self._failures))
                continue
            if answer is None:  # the channel set changed mid-request: ask again
                continue
            self._handle_answer(answer, asked, probing)
            if not probing and not self._wanted() <= asked:
                # Channels joined while this poll was open: their messages since
                # `started_from` were not asked for. Replay from there; the
                # watermarks drop what the other channels already delivered.
                self.cursor = started_from

    async def _unless_changed(self, request: Any) -> dict[str, Any] | None:
        """Run ``request`` unless the channel set changes first (then return None)."""
        task: asyncio.Task[dict[str, Any]] = asyncio.ensure_future(request)
        self._request = task
        try:
            return await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # this loop itself is being stopped
            return None  # only the request was cancelled, by _poke
        finally:
            self._request = None

    def _poke(self) -> None:
        """The channel set changed: wake the loop and drop the request in flight."""
        self._changed.set()
        request = self._request
        if request is not None and not request.done():
            request.cancel()

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
        """Deal with a failed request; True when the loop should back off and retry."""
        if is_refusal(exc):
            self._refuse(exc)
            return False
        self._failures += 1
        self._outage = True
        error = describe_failure(exc)
        log.debug("realtime request failed (attempt %d): %s", self._failures, error)
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
            try:
                subscription.listener.realtime_failed(error)
            except Exception:
                log.exception("realtime listener failed")

    def _handle_answer(self, answer: dict[str, Any], asked: set[str], probing: bool) -> None:
        cursor_info = answer["t"]
        cursor = wire_int(cursor_info.get("t"))
        region = cursor_info.get("r")
        if probing:
            if self.cursor is None and cursor is not None:
                self.cursor = self._first_cursor(cursor)
                self.region = None if region is None else str(region)
        else:
            self._failures = 0
            if cursor is not None:
                self.cursor = cursor
            if region is not None:
                self.region = str(region)
            self._deliver(answer.get("m") or [])
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
                now = cursor if probing and cursor is not None else self.cursor or 0
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

    def _deliver(self, envelopes: list[Any]) -> None:
        batches: dict[Subscription, list[RealtimeMessage]] = {}
        for envelope in envelopes:
            message = parse_envelope(envelope)
            if message is None:
                continue
            last = self._watermarks.get(message.channel)
            if last is not None and message.timetoken <= last:
                continue  # already delivered (a replayed window after a reconnect)
            self._watermarks[message.channel] = message.timetoken
            for subscription, channels in self._subscriptions.items():
                if message.channel in channels:
                    batches.setdefault(subscription, []).append(message)
        for subscription, messages in batches.items():
            try:
                subscription.listener.realtime_messages(messages)
            except Exception:
                log.exception("realtime listener failed; delivery continues")


def _notify_status(subscription: Subscription, change: ConnectionChange) -> None:
    try:
        subscription.listener.realtime_status(change)
    except Exception:
        log.exception("realtime listener failed")
