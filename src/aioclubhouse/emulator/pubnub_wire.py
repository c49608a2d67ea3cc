"""What the emulated PubNub service puts on the wire, and how it reads requests.

The `pubnub` client is strict about shapes: every envelope of a subscribe answer must
carry ``c d f k p i`` (a missing one kills the client's receive loop without any
error), and every answer, errors included, must be JSON.  The constants, the stored
message with its envelope, and the small functions that read requests and build
answers live here, so that the hub reads as the protocol's logic only.
"""

from __future__ import annotations

import asyncio
from typing import Any

import attrs
from aiohttp import web

from aioclubhouse.emulator.presence import DEFAULT_PRESENCE_TIMEOUT
from aioclubhouse.emulator.request_values import read_int

PUBLISH_KEY = "pub-c-6878d382-5ae6-4494-9099-f930f938868b"
SUBSCRIBE_KEY = "sub-c-a4abea84-9ca3-11ea-8e71-f2b83ac9263d"
PRESENCE_SUFFIX = "-pnpres"
MAX_MESSAGES_PER_POLL = 100
REGION = 1
SERVER_PUBLISHER = "clubhouse"
"""The publisher uuid of messages the service itself sends (room actions, presence events)."""

MESSAGE = 0
SIGNAL = 1


@attrs.define(kw_only=True)
class StoredMessage:
    """One message as the hub keeps it; `timetoken` is unique across all channels."""

    timetoken: int
    channel: str
    payload: Any
    publisher: str | None = None
    message_type: int = MESSAGE
    """0 for a message, 1 for a signal (PubNub's `e` field)."""
    meta: Any = None
    custom_message_type: str | None = None
    in_history: bool = True
    """False for signals and `store=0` publishes: delivered live, absent from fetch_messages."""

    def envelope(self, subscribe_key: str) -> dict[str, Any]:
        """The form a subscribe response carries, with every field the client requires."""
        envelope: dict[str, Any] = {
            "a": "1",
            "f": 0,
            "i": self.publisher if self.publisher is not None else SERVER_PUBLISHER,
            "p": {"t": str(self.timetoken), "r": REGION},
            "k": subscribe_key,
            "c": self.channel,
            "d": self.payload,
        }
        if self.message_type != MESSAGE:
            envelope["e"] = self.message_type
        if self.meta is not None:
            envelope["u"] = self.meta
        if self.custom_message_type is not None:
            envelope["cmt"] = self.custom_message_type
        return envelope

    def to_state(self) -> dict[str, Any]:
        return attrs.asdict(self)

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StoredMessage:
        return cls(**state)


# -- reading requests, building answers ------------------------------------------------------


def base_channel(channel: str) -> str:
    """The channel a presence channel reports on (``x-pnpres`` -> ``x``)."""
    return channel.removesuffix(PRESENCE_SUFFIX)


def is_presence_channel(channel: str) -> bool:
    return channel.endswith(PRESENCE_SUFFIX)


def requested_channels(request: web.Request) -> list[str]:
    """The comma-separated channels of the path, without empty names (``,`` means none)."""
    return [channel for channel in request.match_info["channels"].split(",") if channel]


def int_param(request: web.Request, name: str, default: int | None) -> int | None:
    """An integer query parameter; `default` when absent, None when malformed."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    return read_int(raw)


def presence_timeout(request: web.Request) -> float:
    """The client's `heartbeat=` value (whole seconds): how long it stays present
    without polling; PubNub's default when absent or unusable."""
    seconds = read_int(request.query.get("heartbeat"))
    return float(seconds) if seconds is not None and seconds > 0 else DEFAULT_PRESENCE_TIMEOUT


def subscribe_response(
    timetoken: int, messages: list[StoredMessage], request: web.Request
) -> web.Response:
    subscribe_key = request.match_info["sub_key"]
    return web.json_response(
        {
            "t": {"t": str(timetoken), "r": REGION},
            "m": [message.envelope(subscribe_key) for message in messages],
        }
    )


def forbidden(channels: list[str]) -> web.Response:
    """PubNub Access Manager's refusal; the client reports it as PNAccessDeniedCategory."""
    return web.json_response(
        {
            "message": "Forbidden",
            "payload": {"channels": channels},
            "error": True,
            "service": "Access Manager",
            "status": 403,
        },
        status=403,
    )


def bad_request(message: str) -> web.Response:
    return web.json_response(
        {"status": 400, "error": True, "message": message},
        status=400,
    )


async def drop_connection(request: web.Request) -> web.Response:
    """Close the connection without answering, like a network fault in the middle of a poll.

    With `handler_cancellation` the closed connection cancels this handler at once; the
    short sleep and the empty answer (which cannot be written any more) are the fallback
    for a server running without it.
    """
    transport = request.transport
    if transport is not None:
        transport.close()
    await asyncio.sleep(1.0)
    return web.Response(status=204)
