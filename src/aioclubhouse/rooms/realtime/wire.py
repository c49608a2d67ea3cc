"""The ``pubnub`` package on the wire: its client, its requests, and a bound on answers.

The realtime link uses the package's own configuration and request builders
(``Subscribe``, ``Heartbeat``, ``Leave``), so what goes over the wire is exactly what
the package sends.  It changes four things around them:

* the subscription manager is replaced (see :mod:`aioclubhouse.rooms.realtime`);
* every client of a pool sends through the pool's one aiohttp session, and reads
  each answer whole, up to ``max_answer_size`` bytes, inside the request's timeout
  (the package's handler reads the body without any limit or timeout);
* the client may present another ``pnsdk`` (the official apps' PubNub SDK name);
* the long-poll, sent for every answer, is a :class:`SubscribeRequest`: the
  package's ``Subscribe`` builder makes the request once per channel set, and each
  poll re-sends it with only ``tt`` and ``tr`` filled in (the package's builder and
  handler cost more than the whole HTTP request otherwise).  Its answers are judged
  as the package's handler judges them: 200, 204 and 307 succeed, any other status
  raises ``PubNubException`` with the decoded body and the status.

Heartbeats and leaves, rare by comparison, go through the package's builders and
handler whole.  Failures are described without the request URL, which carries
``?auth=<token>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlunsplit

import aiohttp
from pubnub.endpoints.endpoint import Endpoint
from pubnub.endpoints.presence.heartbeat import Heartbeat
from pubnub.endpoints.presence.leave import Leave
from pubnub.endpoints.pubsub.subscribe import Subscribe
from pubnub.errors import PNERR_CLIENT_ERROR, PNERR_SERVER_ERROR
from pubnub.exceptions import PubNubException
from pubnub.pnconfiguration import PNConfiguration
from pubnub.pubnub_asyncio import PubNubAsyncio
from pubnub.request_handlers.async_aiohttp import AsyncAiohttpRequestHandler
from yarl import URL

from ... import jsonparse
from .access import PUBLISH_KEY, RealtimeAccess, RealtimeOptions
from .answers import MalformedAnswer, PollAnswer, read_answer

__all__ = [
    "AnswerTooLarge",
    "ClubhousePubNub",
    "SubscribeRequest",
    "denied_channels",
    "describe_failure",
    "heartbeat",
    "is_refusal",
    "leave",
    "make_client",
    "session_handler",
    "subscribe",
    "subscribe_url",
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
    if length is not None and "Content-Encoding" not in response.headers:
        # Not compressed, and aiohttp reads no more than the declared length: bounded.
        return await response.read()
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


def _subscribe_builder(
    client: ClubhousePubNub, channels: Sequence[str], cursor: int | None, region: str | None
) -> Subscribe:
    request = Subscribe(client).channels(list(channels))
    request.timetoken(0 if cursor is None else cursor)
    if cursor is not None and region is not None:
        request.region(quote(region, safe=""))
    return request


async def subscribe(
    client: ClubhousePubNub, channels: list[str], cursor: int | None, region: str | None
) -> PollAnswer:
    """A handshake or long-poll sent through the package's builder and handler whole.

    The long-poll loop sends :class:`SubscribeRequest` instead; this is the reference
    it is held equal to (tests compare what both put on the wire).
    """
    request = _subscribe_builder(client, channels, cursor, region)
    return read_answer(await request.result())


def subscribe_url(
    client: ClubhousePubNub, channels: Sequence[str], cursor: int | None, region: str | None
) -> str:
    """The URL the package's handler sends for a subscribe, built by the package."""
    return _endpoint_url(client, _subscribe_builder(client, channels, cursor, region))


def _endpoint_url(client: ClubhousePubNub, request: Endpoint) -> str:
    """What ``AsyncAiohttpRequestHandler.async_request`` sends ``request`` to."""
    request.validate_params()
    options = request.options()
    options.merge_params_in({})
    return str(
        urlunsplit(
            (client.config.scheme(), client.base_origin, options.path, options.query_string, "")
        )
    )


_CURSOR_MARK = "\x00cursor\x00"
_REGION_MARK = "\x00region\x00"
_SUCCESS = frozenset({200, 204, 307})
"""What the package's handler takes for success (docs/pubnub.md section 3)."""


class SubscribeRequest:
    """The subscribe request of one channel set, made once by the package's builder.

    The builder's URL is kept in pieces around the two values a poll changes, the
    cursor (``tt``) and the region (``tr``), so a poll only joins strings: what it
    sends is, byte for byte, what the builder makes for the same cursor and region
    (``tests/rooms/test_realtime_wire.py`` holds the two equal).
    """

    __slots__ = ("_handshake", "_headers", "_with_region", "_without_region", "channels")

    def __init__(self, client: ClubhousePubNub, channels: Iterable[str]) -> None:
        self.channels = frozenset(channels)
        """The channels asked for (sent sorted, as the link always sent them)."""
        channels = sorted(self.channels)
        self._headers = dict(client.headers)
        self._handshake = URL(subscribe_url(client, channels, None, None), encoded=True)
        # The builder writes tt= and tr= as given (a region is quoted first, as
        # `subscribe` does): marks in their place cut its URL into the fixed pieces.
        marked = Subscribe(client).channels(list(channels)).timetoken(_CURSOR_MARK)
        head, _, tail = _endpoint_url(client, marked).partition(_CURSOR_MARK)
        self._without_region = (head, tail)
        marked.region(_REGION_MARK)
        head, _, tail = _endpoint_url(client, marked).partition(_CURSOR_MARK)
        middle, _, end = tail.partition(_REGION_MARK)
        self._with_region = (head, middle, end)
        if not (tail and end):
            raise ValueError("the package's subscribe URL has no tt= or tr= to fill in")

    def url(self, cursor: int | None, region: str | None) -> URL:
        """The request for a handshake (``cursor`` None) or a long-poll from ``cursor``."""
        if cursor is None:
            return self._handshake
        if region is None:
            head, tail = self._without_region
            return URL(head + str(cursor) + tail, encoded=True)
        head, middle, end = self._with_region
        return URL(head + str(cursor) + middle + quote(region, safe="") + end, encoded=True)

    async def send(
        self,
        http: aiohttp.ClientSession,
        cursor: int | None,
        region: str | None,
        *,
        timeout: aiohttp.ClientTimeout,  # noqa: ASYNC109 - aiohttp's own, covering the read
        limit: int,
    ) -> PollAnswer:
        """Send the request and check the answer (:func:`~.answers.read_answer`).

        Raises ``PubNubException`` for a status the package counts as failure (its
        ``status_code`` and decoded body as the package's handler sets them),
        ``ValueError`` for a body that is not JSON, :class:`AnswerTooLarge` past
        ``limit`` bytes, :class:`~.answers.MalformedAnswer` for an unusable answer.
        """
        async with http.get(
            self.url(cursor, region), headers=self._headers, timeout=timeout
        ) as response:
            body = await _read_at_most(response, limit)
            status = response.status
        # As the package's handler reads it (`_ReadAnswer.text`): UTF-8, a stray
        # byte replaced rather than costing the whole answer.
        data: Any = jsonparse.loads(body.decode("utf-8", errors="replace")) if body else "N/A"
        if status not in _SUCCESS:
            raise PubNubException(
                errormsg=data,
                pn_error=PNERR_SERVER_ERROR if status >= 500 else PNERR_CLIENT_ERROR,
                status_code=status,
            )
        return read_answer(data)


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
