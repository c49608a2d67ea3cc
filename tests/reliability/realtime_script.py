"""A PubNub server that answers long-polls from a script, for feeding the realtime link
exactly the answers a hostile or broken server would.

Handshakes (``tt=0``) are answered at once with a fresh timetoken; each long-poll
takes the next scripted `Answer` (waiting for one if there is none yet), so a test
decides byte for byte what the client reads.  Heartbeats and leaves are answered OK
(a leave may be held instead).  Every request is recorded with its query string.
The real `pubnub` request builders are on the other side: this is the wire.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar

import attrs
from aiohttp import web
from multidict import MultiDictProxy

from aioclubhouse.emulator.serving import HttpServer
from aioclubhouse.errors import RealtimeError
from aioclubhouse.rooms.realtime import (
    ConnectionChange,
    ConnectionState,
    RealtimeAccess,
    RealtimeMessage,
    RealtimeOptions,
    RealtimePool,
    Subscription,
)

T = TypeVar("T")
SUBSCRIBE_KEY = "sub-c-a4abea84-9ca3-11ea-8e71-f2b83ac9263d"
FIRST_TIMETOKEN = 17_000_000_000_000_000


@attrs.frozen(kw_only=True)
class Answer:
    """What one long-poll is answered with."""

    body: bytes
    status: int = 200
    chunked: bool = False
    """Sent in chunks without a Content-Length (the size is only known while reading)."""

    @classmethod
    def json(cls, value: Any, status: int = 200) -> Answer:
        return cls(body=json.dumps(value).encode(), status=status)


def envelope(channel: str, payload: Any, timetoken: int | str) -> dict[str, Any]:
    """A complete subscribe envelope, as PubNub sends one."""
    return {
        "a": "1",
        "f": 0,
        "i": "clubhouse",
        "p": {"t": str(timetoken), "r": 1},
        "k": SUBSCRIBE_KEY,
        "c": channel,
        "d": payload,
    }


def poll_answer(timetoken: int, *envelopes: dict[str, Any], region: Any = 1) -> Answer:
    return Answer.json({"t": {"t": str(timetoken), "r": region}, "m": list(envelopes)})


@attrs.frozen(kw_only=True)
class SeenRequest:
    path: str
    query: MultiDictProxy[str]
    raw_path: str = ""
    """The request target exactly as it crossed the socket (path and query string)."""
    headers: dict[str, str] = attrs.field(factory=dict)

    @classmethod
    def of(cls, request: web.Request) -> SeenRequest:
        return cls(
            path=request.path,
            query=request.query,
            raw_path=request.raw_path,
            headers=dict(request.headers),
        )

    @property
    def is_handshake(self) -> bool:
        return self.path.startswith("/v2/subscribe/") and self.query.get("tt") == "0"


class ScriptedPubNub:
    """The server side; `start` it on the running loop, `origin` is where it listens."""

    def __init__(self) -> None:
        self.script: asyncio.Queue[Answer] = asyncio.Queue()
        self.requests: list[SeenRequest] = []
        self.hold_leaves = False
        self.leave_arrived = asyncio.Event()
        self._release = asyncio.Event()
        self._clock = FIRST_TIMETOKEN
        app = web.Application()
        app.router.add_get("/v2/subscribe/{sub_key}/{channels}/0", self._subscribe)
        presence = "/v2/presence/sub-key/{sub_key}/channel/{channels}"
        app.router.add_get(presence + "/heartbeat", self._heartbeat)
        app.router.add_get(presence + "/leave", self._leave)
        self.server = HttpServer(app, host="127.0.0.1", port=0)

    @property
    def origin(self) -> str:
        return f"127.0.0.1:{self.server.port}"

    async def start(self) -> None:
        await self.server.start()

    async def stop(self) -> None:
        self._release.set()
        await self.server.stop()

    def next_timetoken(self) -> int:
        self._clock += 1
        return self._clock

    def polls(self) -> list[SeenRequest]:
        return [r for r in self.requests if r.path.startswith("/v2/subscribe/")]

    async def _subscribe(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(SeenRequest.of(request))
        if request.query.get("tt") == "0":
            return web.json_response({"t": {"t": str(self.next_timetoken()), "r": 1}, "m": []})
        answer = await self.script.get()
        if not answer.chunked:
            return web.Response(
                body=answer.body, status=answer.status, content_type="application/json"
            )
        response = web.StreamResponse(status=answer.status)
        response.content_type = "application/json"
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(answer.body), 64 * 1024):
            await response.write(answer.body[start : start + 64 * 1024])
        await response.write_eof()
        return response

    async def _heartbeat(self, request: web.Request) -> web.Response:
        self.requests.append(SeenRequest.of(request))
        return web.json_response({"status": 200, "message": "OK", "service": "Presence"})

    async def _leave(self, request: web.Request) -> web.Response:
        self.requests.append(SeenRequest.of(request))
        self.leave_arrived.set()
        if self.hold_leaves:
            await self._release.wait()
        return web.json_response({"status": 200, "action": "leave", "service": "Presence"})


class Recorder:
    """A realtime listener that keeps what it is given and signals every change."""

    def __init__(self) -> None:
        self.messages: list[RealtimeMessage] = []
        self.changes: list[ConnectionChange] = []
        self.errors: list[RealtimeError] = []
        self.changed = asyncio.Event()

    def realtime_messages(self, messages: Sequence[RealtimeMessage]) -> None:
        self.messages.extend(messages)
        self.changed.set()

    def realtime_status(self, change: ConnectionChange) -> None:
        self.changes.append(change)
        self.changed.set()

    def realtime_failed(self, error: RealtimeError) -> None:
        self.errors.append(error)
        self.changed.set()

    def states(self) -> list[ConnectionState]:
        return [change.state for change in self.changes]

    def payloads(self, channel: str | None = None) -> list[Any]:
        return [m.payload for m in self.messages if channel is None or m.channel == channel]


QUICK = RealtimeOptions(
    request_timeout=10,
    connect_timeout=5,
    reconnect_delay=0.001,
    max_reconnect_delay=0.01,
    leave_timeout=0.5,
)
"""Retries at once: every scripted failure costs milliseconds."""


def access_for(server: ScriptedPubNub, **fields: Any) -> RealtimeAccess:
    return RealtimeAccess(
        origin=server.origin, ssl=False, auth_token="token-scripted", user_id=7, **fields
    )


class ThreadedLab:
    """A scripted server, a pool and one subscription on a private loop in a thread, so
    that Hypothesis can drive one long-lived link from a plain test, example after
    example, through real sockets."""

    def __init__(self, channels: Sequence[str], options: RealtimeOptions = QUICK) -> None:
        self.channels = list(channels)
        self.options = options
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server: ScriptedPubNub | None = None
        self.pool: RealtimePool | None = None
        self.subscription: Subscription | None = None
        self.recorder: Recorder | None = None

    def run(self, work: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout=timeout)

    def start(self) -> None:
        self.thread.start()
        self.run(self._start())

    async def _start(self) -> None:
        self.server = ScriptedPubNub()
        await self.server.start()
        self.pool = RealtimePool(self.options)
        self.recorder = Recorder()
        self.subscription = self.pool.subscribe(
            access_for(self.server), self.channels, self.recorder
        )
        await asyncio.wait_for(self.subscription.wait_connected(), 10)

    def stop(self) -> None:
        self.run(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()

    async def _stop(self) -> None:
        assert self.pool is not None and self.server is not None
        await self.pool.close()
        await self.server.stop()

    def feed(self, answers: Sequence[Answer], sentinel_channel: str, *, limit: float = 20) -> None:
        """Script `answers`, then a valid message on `sentinel_channel`; return once the
        link delivered it (AssertionError if it never does)."""
        self.run(self._feed(answers, sentinel_channel, limit), timeout=limit + 5)

    async def _feed(self, answers: Sequence[Answer], sentinel: str, limit: float) -> None:
        assert self.server is not None and self.recorder is not None
        for answer in answers:
            self.server.script.put_nowait(answer)
        timetoken = self.server.next_timetoken()
        marker = {"sentinel": timetoken}
        self.server.script.put_nowait(poll_answer(timetoken, envelope(sentinel, marker, timetoken)))
        recorder = self.recorder
        try:
            async with asyncio.timeout(limit):
                while marker not in recorder.payloads(sentinel):
                    recorder.changed.clear()
                    await recorder.changed.wait()
        except TimeoutError:
            raise AssertionError(f"the link stopped delivering after {list(answers)!r}") from None
