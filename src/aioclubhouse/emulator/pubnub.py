"""The realtime side of the emulator: a message store speaking the PubNub REST protocol.

The real `pubnub` client subscribes with HTTP long-polls: a handshake (``tt=0``) gets
the current timetoken, then each poll asks for every message newer than its cursor and
waits until one arrives or `EmulatorConfig.poll_timeout` passes.  The hub keeps the
last `message_retention` messages of every channel, so a client that comes back with
an old cursor (after a network fault or an emulator restart) still gets what it missed.

Who may read or publish what, as whom, is kept by `AccessManager`
(`pubnub_access`); presence (heartbeats, leaves, join/leave/timeout events on
``<channel>-pnpres``, here_now) by `PresenceTracker` (`presence`), on the hub's
`clock`, which tests may move; the shapes on the wire by `pubnub_wire`.  Heartbeat
and leave requests are logged (`presence_requests`, `wait_for_presence_requests`)
so tests can assert what crossed the socket.
"""

from __future__ import annotations

import asyncio
import bisect
import heapq
import itertools
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from aiohttp import web

from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.faults import Faults, PollFault
from aioclubhouse.emulator.presence import PresenceTracker
from aioclubhouse.emulator.pubnub_access import AccessManager, Limits
from aioclubhouse.emulator.pubnub_presence import PresenceEndpoints, PresenceRequest
from aioclubhouse.emulator.pubnub_wire import (
    MAX_MESSAGES_PER_POLL,
    MESSAGE,
    PRESENCE_SUFFIX,
    SERVER_PUBLISHER,
    SIGNAL,
    StoredMessage,
    bad_request,
    drop_connection,
    forbidden,
    int_param,
    is_presence_channel,
    presence_timeout,
    requested_channels,
    subscribe_response,
)
from aioclubhouse.emulator.timetokens import TimetokenClock

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_MESSAGES_PER_POLL",
    "SERVER_PUBLISHER",
    "PresenceRequest",
    "PubNubHub",
    "StoredMessage",
]


class PubNubHub:
    """Stores realtime messages, serves them to long-polls, and keeps grants and presence."""

    def __init__(
        self, config: EmulatorConfig | None = None, *, faults: Faults | None = None
    ) -> None:
        self.config = config if config is not None else EmulatorConfig()
        self.faults = faults if faults is not None else Faults()
        self.clock: Callable[[], float] = time.time
        """Wall-clock source of presence and revocation times; tests may replace it to
        move time (message timetokens keep following the real clock)."""
        self._timetokens = TimetokenClock()
        self._channels: dict[str, list[StoredMessage]] = {}
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self._held_polls: set[asyncio.Event] = set()
        self._parked_polls = 0
        self._parking_watchers: set[asyncio.Future[None]] = set()
        self._closed = False
        self.presence = PresenceTracker(self._announce_presence)
        self.access = AccessManager(self.config)
        self.presence_endpoints = PresenceEndpoints(
            self.presence, self.access, lambda: self.clock()
        )

    # -- what the world calls ----------------------------------------------------------------

    def publish(
        self, channel: str, message: dict[str, Any], *, publisher: str | None = None
    ) -> int:
        """Store `message` on `channel`, wake the polls waiting for it, return its timetoken."""
        return self._store(channel, message, publisher=publisher)

    def grant(
        self, token: str, user_id: int, channels: Iterable[str], *, publish: bool = False
    ) -> None:
        """Let `token`, of user `user_id`, read `channels` (and their presence twins),
        and publish on them when `publish`; granting again adds channels."""
        self.access.grant(token, user_id, channels, publish=publish)

    def revoke(self, token: str) -> None:
        """Take every channel away from `token`.

        A handshake or a caught-up poll is answered 403 at once; a poll that is behind
        still gets what was published up to now, for `revocation_grace` seconds.
        """
        self.revoke_channels(token, self.access.granted_channels(token))

    def revoke_channels(self, token: str, channels: Iterable[str]) -> None:
        """Take some channels away from `token`, keeping the others (with the grace of `revoke`)."""
        self.access.revoke_channels(
            token, channels, timetoken=self._timetokens.current(), now=self.clock()
        )

    def is_allowed(self, token: str | None, channel: str) -> bool:
        """Whether `token` may read `channel` (a presence channel follows its base channel)."""
        return self.access.is_allowed(token, channel, self.clock())

    def is_polling(self, uuid: str, channel: str) -> bool:
        """Whether client `uuid` has a long-poll open on `channel` right now."""
        return self.presence.is_polling(channel, uuid)

    @property
    def parked_polls(self) -> int:
        """Long-polls waiting at the hub for their next message right now (a message
        published on one of their channels answers them; stalled polls do not count)."""
        return self._parked_polls

    def parked_on(self, channels: Iterable[str]) -> int:
        """How many parked long-polls wait on at least one of `channels`.

        A poll a publish has just answered is not counted, even before it has run
        again to take its leave: a burst published as soon as the polls are parked
        then reaches each poll in one answer, not in several.
        """
        waiting: set[asyncio.Event] = set()
        for channel in channels:
            waiting.update(event for event in self._waiters.get(channel, ()) if not event.is_set())
        return len(waiting)

    async def wait_for_parked_polls(
        self, count: int = 1, *, channels: Iterable[str] | None = None
    ) -> None:
        """Return once at least `count` long-polls are parked (see `parked_polls`), or,
        with `channels`, parked on at least one of them (see `parked_on`).

        What is published after this reaches those polls at once: tests and
        benchmarks order events by this signal instead of sleeping and hoping the
        poll has arrived.
        """
        loop = asyncio.get_running_loop()
        watched = None if channels is None else list(channels)

        def parked() -> int:
            return self._parked_polls if watched is None else self.parked_on(watched)

        while parked() < count:
            changed: asyncio.Future[None] = loop.create_future()
            self._parking_watchers.add(changed)
            try:
                await changed
            finally:
                self._parking_watchers.discard(changed)

    @property
    def presence_requests(self) -> list[PresenceRequest]:
        """The latest heartbeat and leave requests, as answered, oldest first."""
        return list(self.presence_endpoints.requests)

    async def wait_for_presence_requests(
        self, count: int = 1, *, kind: str | None = None, uuid: str | None = None
    ) -> list[PresenceRequest]:
        """Return the logged heartbeats and leaves (of `kind`, from `uuid`) once there are
        at least `count`: what tests await instead of sleeping."""
        return await self.presence_endpoints.wait_for(count, kind=kind, uuid=uuid)

    def messages(self, channel: str) -> list[StoredMessage]:
        """Every retained message of `channel`, oldest first (for assertions in tests)."""
        return list(self._channels.get(channel, ()))

    def sweep(self, now: float | None = None) -> None:
        """Time out clients that stopped polling and forget revocations whose grace is over;
        the app calls this every second."""
        now = self.clock() if now is None else now
        self.presence.sweep(now)
        self.access.forget_expired(now)

    def close(self) -> None:
        """Answer every pending long-poll now so that the server can shut down quickly."""
        self._closed = True
        for waiters in self._waiters.values():
            for event in waiters:
                event.set()
        for event in self._held_polls:
            event.set()

    # -- state --------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Everything needed to carry on after a restart, JSON-ready (the ``pubnub``
        section of the emulator's state document, see `state`)."""
        return {
            "last_timetoken": self._timetokens.last_issued,
            "channels": {
                channel: [message.to_state() for message in messages]
                for channel, messages in self._channels.items()
            },
            "grants": self.access.to_state(),
            "presence": self.presence.to_state(),
        }

    def load_state(self, state: dict[str, Any]) -> None:
        """Replace everything with what `to_state` saved."""
        self._timetokens = TimetokenClock(
            max(int(state["last_timetoken"]), self._timetokens.last_issued)
        )
        self._channels = {
            channel: [StoredMessage.from_state(saved) for saved in messages]
            for channel, messages in state["channels"].items()
        }
        self.access.load_state(state["grants"])
        self.presence.load_state(state.get("presence", {}))

    # -- routes -------------------------------------------------------------------------------

    def add_routes(self, app: web.Application) -> None:
        """Register the PubNub REST endpoints the `pubnub` client uses."""
        app.router.add_get("/v2/subscribe/{sub_key}/{channels}/0", self._subscribe)
        app.router.add_get(
            "/publish/{pub_key}/{sub_key}/0/{channel}/{callback}/{message:.+}", self._publish_get
        )
        app.router.add_post(
            "/publish/{pub_key}/{sub_key}/0/{channel}/{callback}", self._publish_post
        )
        app.router.add_get(
            "/signal/{pub_key}/{sub_key}/0/{channel}/{callback}/{message:.+}", self._signal
        )
        self.presence_endpoints.add_routes(app)
        app.router.add_get("/v3/history/sub-key/{sub_key}/channel/{channels}", self._fetch_messages)
        app.router.add_get("/time/0", self._time)

    async def _subscribe(self, request: web.Request) -> web.StreamResponse:
        channels = requested_channels(request)
        if not channels:
            return bad_request("Invalid channel: subscribe needs at least one channel")
        cursor = int_param(request, "tt", 0)
        if cursor is None:
            return bad_request("Invalid timetoken")
        uuid = request.query.get("uuid")
        timeout = presence_timeout(request)
        token = request.query.get("auth")
        now = self.clock()
        if (
            uuid
            and self.access.live_grant(token, now)
            and not self.access.may_act_as(token, uuid, now)
        ):
            return forbidden(channels)  # another user's id: nobody subscribes as someone else

        if cursor == 0:
            denied = self._denied(request, channels)
            if denied:
                return forbidden(denied)
            handshake = self._timetokens.current()
            if uuid:
                present_on = [channel for channel in channels if not is_presence_channel(channel)]
                self.presence.heartbeat(present_on, uuid, timeout, self.clock())
            return subscribe_response(handshake, [], request)

        limits = self._poll_limits(token, channels, cursor)
        refused = [channel for channel in channels if channel not in limits]
        if refused:
            return forbidden(refused)
        # Only channels still granted count for presence, not those read in grace.
        present_on = [
            channel
            for channel, limit in limits.items()
            if limit is None and not is_presence_channel(channel)
        ]

        fault = self.faults.next_poll_fault()
        if fault is PollFault.DROP:
            return await drop_connection(request)
        if uuid:
            self.presence.poll_started(present_on, uuid, timeout, self.clock())
        answered = False
        try:
            if fault is PollFault.STALL:
                await self._hold(self.faults.stall_polls)
                messages = []
            else:
                messages = await self._wait_for_messages(limits, cursor)
            answered = True
        finally:
            if uuid:
                self.presence.poll_finished(
                    present_on, uuid, timeout, self.clock(), answered=answered
                )
        next_cursor = messages[-1].timetoken if messages else cursor
        return subscribe_response(next_cursor, messages, request)

    async def _publish_get(self, request: web.Request) -> web.Response:
        return self._publish_from_request(request, request.match_info["message"], MESSAGE)

    async def _publish_post(self, request: web.Request) -> web.Response:
        return self._publish_from_request(request, await request.text(), MESSAGE)

    async def _signal(self, request: web.Request) -> web.Response:
        return self._publish_from_request(request, request.match_info["message"], SIGNAL)

    def _publish_from_request(
        self, request: web.Request, body: str, message_type: int
    ) -> web.Response:
        """Publish for a token granted to publish on the channel, under its own uuid only.

        The service's room and user tokens are never granted that: no Clubhouse client
        publishes (docs/protocol.md C), so a listener cannot put an ``end_channel`` on
        another room's channel, or on its own.
        """
        channel = request.match_info["channel"]
        uuid = request.query.get("uuid")
        if not self.access.may_publish(request.query.get("auth"), uuid, channel, self.clock()):
            return forbidden([channel])
        try:
            payload = json.loads(body)
            meta = json.loads(request.query["meta"]) if "meta" in request.query else None
        except ValueError:
            return web.json_response(
                [0, "Invalid JSON", str(self._timetokens.current())], status=400
            )
        timetoken = self._store(
            channel,
            payload,
            publisher=uuid,
            message_type=message_type,
            meta=meta,
            custom_message_type=request.query.get("custom_message_type"),
            in_history=message_type == MESSAGE and request.query.get("store") != "0",
        )
        return web.json_response([1, "Sent", str(timetoken)])

    async def _fetch_messages(self, request: web.Request) -> web.Response:
        channels = requested_channels(request)
        if not channels:
            return bad_request("Invalid channel: fetch_messages needs at least one channel")
        denied = self._denied(request, channels)
        if denied:
            return forbidden(denied)
        default_count = 100 if len(channels) == 1 else 25
        count = int_param(request, "max", default_count)
        start = int_param(request, "start", None)
        end = int_param(request, "end", None)
        if count is None or count < 1:
            count = default_count
        with_meta = request.query.get("include_meta") == "true"
        with_type = request.query.get("include_message_type") == "true"

        def history_item(message: StoredMessage) -> dict[str, Any]:
            item: dict[str, Any] = {"message": message.payload, "timetoken": str(message.timetoken)}
            if message.publisher is not None:
                item["uuid"] = message.publisher
            if with_meta:
                item["meta"] = message.meta if message.meta is not None else ""
            if with_type:
                item["message_type"] = None
            return item

        found: dict[str, list[dict[str, Any]]] = {}
        for channel in channels:
            in_range = [
                message
                for message in self._channels.get(channel, ())
                if message.in_history
                and (start is None or message.timetoken < start)
                and (end is None or message.timetoken >= end)
            ]
            if in_range:
                found[channel] = [history_item(message) for message in in_range[-count:]]
        return web.json_response(
            {"status": 200, "error": False, "error_message": "", "channels": found}
        )

    async def _time(self, request: web.Request) -> web.Response:
        return web.json_response([self._timetokens.current()])

    # -- internals ----------------------------------------------------------------------------

    def _store(
        self,
        channel: str,
        payload: Any,
        *,
        publisher: str | None,
        message_type: int = MESSAGE,
        meta: Any = None,
        custom_message_type: str | None = None,
        in_history: bool = True,
    ) -> int:
        message = StoredMessage(
            timetoken=self._timetokens.next(),
            channel=channel,
            payload=payload,
            publisher=publisher,
            message_type=message_type,
            meta=meta,
            custom_message_type=custom_message_type,
            in_history=in_history,
        )
        messages = self._channels.setdefault(channel, [])
        messages.append(message)
        excess = len(messages) - max(self.config.message_retention, 1)
        if excess > 0:
            del messages[:excess]
        for event in self._waiters.get(channel, ()):
            event.set()
        return message.timetoken

    def _announce_presence(self, channel: str, event: dict[str, Any]) -> None:
        self._store(channel + PRESENCE_SUFFIX, event, publisher=event["uuid"])

    def _denied(self, request: web.Request, channels: list[str]) -> list[str]:
        token = request.query.get("auth")
        return [channel for channel in channels if not self.is_allowed(token, channel)]

    def _poll_limits(self, token: str | None, channels: list[str], cursor: int) -> Limits:
        """What a long-poll from `cursor` may read: the newest timetoken of each channel
        (None: no limit); a refused channel is absent.

        A channel revoked after `cursor` is read up to its revocation, as long as some
        channel of the poll still has something to deliver up to its own; once nothing
        is left, every revoked channel is refused.
        """
        limits = self.access.read_limits(token, channels, cursor, self.clock())
        in_grace = any(limit is not None for limit in limits.values())
        if in_grace and not self._newer_than(limits, cursor):
            return {channel: limit for channel, limit in limits.items() if limit is None}
        return limits

    def _newer_than(self, limits: Mapping[str, int | None], cursor: int) -> list[StoredMessage]:
        """Up to MAX_MESSAGES_PER_POLL messages after `cursor` on the channels of `limits`
        (each up to its limit), in timetoken order."""

        def newer(channel: str, limit: int | None) -> Iterator[StoredMessage]:
            messages = self._channels.get(channel, [])
            first = bisect.bisect_right(messages, cursor, key=lambda message: message.timetoken)
            end = len(messages)
            if limit is not None:
                end = bisect.bisect_right(messages, limit, key=lambda message: message.timetoken)
            return iter(messages[first : min(end, first + MAX_MESSAGES_PER_POLL)])

        merged = heapq.merge(
            *(newer(channel, limit) for channel, limit in limits.items()),
            key=lambda message: message.timetoken,
        )
        return list(itertools.islice(merged, MAX_MESSAGES_PER_POLL))

    async def _wait_for_messages(self, limits: Limits, cursor: int) -> list[StoredMessage]:
        """Messages after `cursor`, waiting up to poll_timeout for the first to arrive.

        A poll reading a revoked channel always has something to deliver (else it was
        refused), so it is answered at once.
        """
        channels = list(limits)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.config.poll_timeout
        while True:
            messages = self._newer_than(limits, cursor)
            remaining = deadline - loop.time()
            if messages or self._closed or remaining <= 0:
                return messages
            arrived = asyncio.Event()
            for channel in channels:
                self._waiters.setdefault(channel, set()).add(arrived)
            self._count_parked(+1)
            try:
                async with asyncio.timeout(remaining):
                    await arrived.wait()
            except TimeoutError:
                pass
            finally:
                self._count_parked(-1)
                for channel in channels:
                    waiters = self._waiters.get(channel)
                    if waiters is not None:
                        waiters.discard(arrived)
                        if not waiters:
                            del self._waiters[channel]

    def _count_parked(self, change: int) -> None:
        """Count a poll starting or ending its wait, and tell whoever waits for that."""
        self._parked_polls += change
        for watcher in self._parking_watchers:
            if not watcher.done():
                watcher.set_result(None)

    async def _hold(self, seconds: float) -> None:
        """Keep a stalled poll open for `seconds`, or until the hub closes."""
        if self._closed:
            return
        released = asyncio.Event()
        self._held_polls.add(released)
        try:
            async with asyncio.timeout(seconds):
                await released.wait()
        except TimeoutError:
            pass
        finally:
            self._held_polls.discard(released)
