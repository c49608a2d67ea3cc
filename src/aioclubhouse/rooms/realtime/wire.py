"""The ``pubnub`` package on the wire: its client, its ``Subscribe`` request, its answers.

The realtime link uses the package's own configuration, request builder and aiohttp
request handler, so what goes over the wire is exactly what the package sends; it
only replaces the subscription manager (see :mod:`aioclubhouse.rooms.realtime`) and
lets every client of a pool send through one aiohttp session.  Failures are
described without the request URL, which carries ``?auth=<token>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp
from pubnub.endpoints.pubsub.subscribe import Subscribe
from pubnub.exceptions import PubNubException
from pubnub.pnconfiguration import PNConfiguration
from pubnub.pubnub_asyncio import PubNubAsyncio
from pubnub.request_handlers.async_aiohttp import AsyncAiohttpRequestHandler

from ...coerce import wire_int
from ...errors import RealtimeError
from ...redaction import get_logger
from .access import PUBLISH_KEY, RealtimeAccess, RealtimeOptions
from .listener import RealtimeMessage

__all__ = [
    "denied_channels",
    "describe_failure",
    "is_refusal",
    "make_client",
    "parse_envelope",
    "session_handler",
    "subscribe",
]

log = get_logger("aioclubhouse.realtime")
get_logger("pubnub")  # its debug lines show request URLs, which carry ?auth=<token>


class _NoSubscriptionManager:
    """Stands in for pubnub's subscription manager, which this package replaces.

    The ``Subscribe`` endpoint asks the manager for extra query parameters; there
    are none without it.
    """

    def __init__(self, pubnub: Any) -> None:
        self._pubnub = pubnub

    def get_custom_params(self) -> dict[str, Any]:
        return {}

    def stop(self) -> None:
        return None


def session_handler(http: Callable[[], aiohttp.ClientSession]) -> type[Any]:
    """A pubnub request handler that sends through the session ``http()`` returns.

    The session belongs to whoever gives ``http``; the handler never closes it.
    """

    class SharedSessionHandler(AsyncAiohttpRequestHandler):  # type: ignore[misc]
        def __init__(self, pubnub: Any) -> None:
            self.pubnub = pubnub
            self._connector = None
            self._session: aiohttp.ClientSession | None = None

        async def create_session(self) -> None:
            self._session = http()

        async def close_session(self) -> None:
            self._session = None  # not ours to close

    return SharedSessionHandler


def make_client(access: RealtimeAccess, options: RealtimeOptions, handler_class: type[Any]) -> Any:
    """A ``PubNubAsyncio`` client for ``access``, without a subscription manager."""
    config = PNConfiguration()
    config.subscribe_key = access.subscribe_key
    config.publish_key = PUBLISH_KEY
    config.user_id = str(access.user_id)
    config.origin = access.origin
    config.ssl = access.ssl
    config.subscribe_request_timeout = int(options.request_timeout)
    config.connect_timeout = int(options.connect_timeout)
    config.non_subscribe_request_timeout = int(options.connect_timeout)
    config.enable_presence_heartbeat = False
    config.disable_config_locking = False  # frozen once built: nothing changes it later
    if access.presence_timeout:
        config.set_presence_timeout(int(access.presence_timeout))
    client = PubNubAsyncio(
        config,
        subscription_manager=_NoSubscriptionManager,
        custom_request_handler=handler_class,
    )
    client.set_token(access.auth_token)
    return client


async def subscribe(
    client: Any, channels: list[str], cursor: int | None, region: str | None
) -> dict[str, Any]:
    """A handshake (``cursor`` None: answered at once) or a long-poll from ``cursor``."""
    request = Subscribe(client).channels(channels)
    request.timetoken(0 if cursor is None else cursor)
    if cursor is not None and region is not None:
        request.region(region)
    answer = await request.result()
    if not isinstance(answer, dict) or not isinstance(answer.get("t"), dict):
        raise RealtimeError("malformed subscribe answer")
    return answer


def is_refusal(exc: BaseException) -> bool:
    """HTTP 403: the token may not read the channels (any more)."""
    return isinstance(exc, PubNubException) and exc.get_status_code() == 403


def parse_envelope(envelope: Any) -> RealtimeMessage | None:
    """A message from a subscribe envelope, or None (logged) when it is unusable."""
    if not isinstance(envelope, dict):
        log.warning("ignoring a realtime envelope that is not an object")
        return None
    channel = envelope.get("c")
    published = envelope.get("p")
    timetoken = wire_int(published.get("t")) if isinstance(published, dict) else None
    if not isinstance(channel, str) or timetoken is None:
        log.warning("ignoring a realtime envelope without channel or timetoken")
        return None
    publisher = envelope.get("i")
    return RealtimeMessage(
        channel=channel,
        timetoken=timetoken,
        payload=envelope.get("d"),
        publisher=publisher if isinstance(publisher, str) else None,
    )


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
    text = str(exc)
    if "auth=" in text:
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
