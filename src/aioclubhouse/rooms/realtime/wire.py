"""The ``pubnub`` package on the wire: its client, its requests, and a bound on answers.

The realtime link uses the package's own configuration, request builders
(``Subscribe``, ``Heartbeat``, ``Leave``) and aiohttp request handler, so what goes
over the wire is exactly what the package sends.  It changes three things around
them:

* the subscription manager is replaced (see :mod:`aioclubhouse.rooms.realtime`);
* every client of a pool sends through the pool's one aiohttp session, and reads
  each answer whole, up to ``max_answer_size`` bytes, inside the request's timeout
  (the package's handler reads the body without any limit or timeout);
* the client may present another ``pnsdk`` (the official apps' PubNub SDK name).

Failures are described without the request URL, which carries ``?auth=<token>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

import aiohttp
from pubnub.endpoints.presence.heartbeat import Heartbeat
from pubnub.endpoints.presence.leave import Leave
from pubnub.endpoints.pubsub.subscribe import Subscribe
from pubnub.exceptions import PubNubException
from pubnub.pnconfiguration import PNConfiguration
from pubnub.pubnub_asyncio import PubNubAsyncio
from pubnub.request_handlers.async_aiohttp import AsyncAiohttpRequestHandler

from .access import PUBLISH_KEY, RealtimeAccess, RealtimeOptions
from .answers import MalformedAnswer, PollAnswer, read_answer

__all__ = [
    "AnswerTooLarge",
    "ClubhousePubNub",
    "denied_channels",
    "describe_failure",
    "heartbeat",
    "is_refusal",
    "leave",
    "make_client",
    "session_handler",
    "subscribe",
]


class AnswerTooLarge(Exception):
    """An answer longer than the link accepts; the request counts as failed."""


class _NoSubscriptionManager:
    """Stands in for pubnub's subscription manager, which this package replaces.

    The endpoints ask the manager for extra query parameters; there are none
    without it.
    """

    def __init__(self, pubnub: Any) -> None:
        self._pubnub = pubnub

    def get_custom_params(self) -> dict[str, Any]:
        return {}

    def stop(self) -> None:
        return None


class ClubhousePubNub(PubNubAsyncio):  # type: ignore[misc]
    """``PubNubAsyncio`` as the realtime link uses it: no subscription manager, an
    optional ``pnsdk`` of its own, and a bound on answers its handler reads."""

    def __init__(
        self,
        config: PNConfiguration,
        *,
        handler_class: type[Any],
        pnsdk: str | None,
        max_answer_size: int,
    ) -> None:
        self._pnsdk = pnsdk  # before the base class reads sdk_name
        self.max_answer_size = max_answer_size
        super().__init__(
            config,
            subscription_manager=_NoSubscriptionManager,
            custom_request_handler=handler_class,
        )

    @property
    def sdk_name(self) -> str:
        """Sent as ``pnsdk=`` on every request and as the User-Agent."""
        return self._pnsdk or str(super().sdk_name)


class _ReadAnswer:
    """A response whose body was read whole already; the handler reads it from here."""

    def __init__(self, response: aiohttp.ClientResponse, body: bytes) -> None:
        self._response = response
        self._body = body

    def __getattr__(self, name: str) -> Any:
        return getattr(self._response, name)

    async def read(self) -> bytes:
        return self._body

    async def text(self, encoding: str | None = None) -> str:
        # PubNub answers are UTF-8 JSON; a stray byte must not cost the whole answer.
        return self._body.decode("utf-8", errors="replace")


class _BoundedSession:
    """The part of an aiohttp session the package's handler uses, reading bodies whole
    and refusing those over ``limit`` bytes (after decompression)."""

    def __init__(self, http: aiohttp.ClientSession, limit: int) -> None:
        self._http = http
        self._limit = limit

    async def request(self, method: str, url: Any, **options: Any) -> _ReadAnswer:
        response = await self._http.request(method, url, **options)
        try:
            body = await _read_at_most(response, self._limit)
        except BaseException:
            response.close()  # the rest of the body is unread: the connection goes
            raise
        return _ReadAnswer(response, body)


async def _read_at_most(response: aiohttp.ClientResponse, limit: int) -> bytes:
    length = response.content_length
    if length is not None and length > limit:
        raise AnswerTooLarge(f"the answer has {length} bytes, more than {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_any():
        size += len(chunk)
        if size > limit:
            raise AnswerTooLarge(f"the answer has more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def session_handler(http: Callable[[], aiohttp.ClientSession]) -> type[Any]:
    """A pubnub request handler that sends through the session ``http()`` returns.

    The session belongs to whoever gives ``http``; the handler never closes it.  The
    client using the handler must be a :class:`ClubhousePubNub` (for its bound).
    """

    class SharedSessionHandler(AsyncAiohttpRequestHandler):  # type: ignore[misc]
        def __init__(self, pubnub: ClubhousePubNub) -> None:
            self.pubnub = pubnub
            self._connector = None
            self._session: _BoundedSession | None = None

        async def create_session(self) -> None:
            self._session = _BoundedSession(http(), self.pubnub.max_answer_size)

        async def close_session(self) -> None:
            self._session = None  # not ours to close

    return SharedSessionHandler


def make_client(
    access: RealtimeAccess, options: RealtimeOptions, handler_class: type[Any]
) -> ClubhousePubNub:
    """A client for ``access``: its uuid, token, origin, presence timing and ``pnsdk``."""
    config = PNConfiguration()
    config.subscribe_key = access.subscribe_key
    config.publish_key = PUBLISH_KEY
    config.user_id = str(access.user_id)
    config.origin = access.origin
    config.ssl = access.ssl
    config.subscribe_request_timeout = int(options.request_timeout)
    config.connect_timeout = int(options.connect_timeout)
    config.non_subscribe_request_timeout = int(options.connect_timeout)
    config.enable_presence_heartbeat = False  # heartbeats are sent by the pool's scheduler
    config.disable_config_locking = False  # frozen once built: nothing changes it later
    if access.presence_timeout:
        # What the apps call with the join's heartbeat value and interval: every
        # subscribe then carries heartbeat=<timeout>, as every heartbeat does.
        config.set_presence_timeout_with_custom_interval(
            access.presence_seconds, access.heartbeat_seconds
        )
    client = ClubhousePubNub(
        config,
        handler_class=handler_class,
        pnsdk=access.pnsdk,
        max_answer_size=options.max_answer_size,
    )
    client.set_token(access.auth_token)
    return client


async def subscribe(
    client: ClubhousePubNub, channels: list[str], cursor: int | None, region: str | None
) -> PollAnswer:
    """A handshake (``cursor`` None: answered at once) or a long-poll from ``cursor``.

    Raises :class:`~.answers.MalformedAnswer` for an answer that cannot be applied.
    """
    request = Subscribe(client).channels(channels)
    request.timetoken(0 if cursor is None else cursor)
    if cursor is not None and region is not None:
        request.region(quote(region, safe=""))
    return read_answer(await request.result())


async def heartbeat(client: ClubhousePubNub, channels: Iterable[str]) -> None:
    """Tell presence that the client is still on ``channels`` (``heartbeat=`` timeout)."""
    await Heartbeat(client).channels(sorted(channels)).result()


async def leave(client: ClubhousePubNub, channels: Iterable[str]) -> None:
    """Tell presence that the client left ``channels``."""
    await Leave(client).channels(sorted(channels)).result()


def is_refusal(exc: BaseException) -> bool:
    """HTTP 403: the token may not read the channels (any more)."""
    return isinstance(exc, PubNubException) and exc.get_status_code() == 403


def denied_channels(exc: BaseException) -> frozenset[str] | None:
    """The channels a 403 names (PubNub Access Manager lists them), if it names any."""
    body = getattr(exc, "_errormsg", None)
    payload = body.get("payload") if isinstance(body, dict) else None
    channels = payload.get("channels") if isinstance(payload, dict) else None
    if isinstance(channels, list) and channels:
        return frozenset(str(c).removesuffix("-pnpres") for c in channels)
    return None


def describe_failure(exc: BaseException) -> str:
    """A short, token-free description of a failed request."""
    if isinstance(exc, PubNubException):
        status = exc.get_status_code()
        return f"HTTP {status}" if status else type(exc).__name__
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, MalformedAnswer | AnswerTooLarge):
        return f"{type(exc).__name__}: {exc}"
    text = str(exc)
    if "auth=" in text:
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
