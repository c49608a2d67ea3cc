"""Helpers for tests that drive real `pubnub` clients against the emulator's hub."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from pubnub.callbacks import SubscribeCallback
from pubnub.enums import PNStatusCategory
from pubnub.models.consumer.common import PNStatus
from pubnub.models.consumer.pubsub import PNMessageResult, PNPresenceEventResult
from pubnub.pnconfiguration import PNConfiguration, PNReconnectionPolicy
from pubnub.pubnub_asyncio import AsyncioSubscriptionManager, PubNubAsyncio

from aioclubhouse.emulator.pubnub import PubNubHub
from aioclubhouse.emulator.serving import HttpServer

from ..support.waiting import until


class RecordingListener(SubscribeCallback):  # type: ignore[misc]
    """Keeps everything a `pubnub` client delivers, for assertions."""

    def __init__(self) -> None:
        self.messages: list[PNMessageResult] = []
        self.presence_events: list[PNPresenceEventResult] = []
        self.statuses: list[PNStatusCategory] = []

    def status(self, pubnub: PubNubAsyncio, status: PNStatus) -> None:
        self.statuses.append(status.category)

    def message(self, pubnub: PubNubAsyncio, message: PNMessageResult) -> None:
        self.messages.append(message)

    def signal(self, pubnub: PubNubAsyncio, signal: PNMessageResult) -> None:
        self.messages.append(signal)

    def presence(self, pubnub: PubNubAsyncio, presence: PNPresenceEventResult) -> None:
        self.presence_events.append(presence)

    def unique_payloads(self, channel: str) -> list[Any]:
        """Payloads received on `channel` in order, each timetoken once (the client re-delivers)."""
        seen: set[int] = set()
        payloads = []
        for message in self.messages:
            if message.channel == channel and message.timetoken not in seen:
                seen.add(message.timetoken)
                payloads.append(message.message)
        return payloads

    async def connected(self) -> None:
        await until(
            lambda: PNStatusCategory.PNConnectedCategory in self.statuses, what="connection"
        )


@attrs.define(kw_only=True)
class Client:
    pubnub: PubNubAsyncio
    listener: RecordingListener
    subscribed: bool = False

    def subscribe(self, channels: list[str], *, with_presence: bool = False) -> None:
        """One subscribe call with the full channel set (later calls hit client bugs)."""
        builder = self.pubnub.subscribe().channels(channels)
        if with_presence:
            builder = builder.with_presence()
        builder.execute()
        self.subscribed = True


ClientFactory = Callable[..., Client]


@attrs.define(kw_only=True)
class RunningHub:
    hub: PubNubHub
    server: HttpServer

    @property
    def origin(self) -> str:
        return f"127.0.0.1:{self.server.port}"

    @property
    def url(self) -> str:
        return f"http://{self.origin}"


def make_client(
    origin: str, *, user_id: str, token: str | None, legacy_manager: bool = False
) -> Client:
    """A real `pubnub` asyncio client for a local origin, retrying forever every second or so.

    The default event-engine manager never reports a 403 on subscribe as
    PNAccessDeniedCategory (it keeps retrying, then reports a connection error), so
    tests about access denial use the legacy manager, which does (`legacy_manager`).
    """
    config = PNConfiguration()
    config.subscribe_key = "sub-c-a4abea84-9ca3-11ea-8e71-f2b83ac9263d"
    config.publish_key = "pub-c-6878d382-5ae6-4494-9099-f930f938868b"
    config.user_id = user_id
    config.origin = origin
    config.ssl = False
    config.reconnect_policy = PNReconnectionPolicy.LINEAR
    config.reconnection_interval = 1
    config.maximum_reconnection_retries = 1_000_000  # forever (-1 is unlimited only from 10.7)
    config.subscribe_request_timeout = 30
    config.non_subscribe_request_timeout = 10
    config.connect_timeout = 5
    if legacy_manager:
        pubnub = PubNubAsyncio(config, subscription_manager=AsyncioSubscriptionManager)
    else:
        pubnub = PubNubAsyncio(config)
    if token is not None:
        pubnub.set_token(token)
    listener = RecordingListener()
    pubnub.add_listener(listener)
    return Client(pubnub=pubnub, listener=listener)


async def stop_client(client: Client) -> None:
    """Unsubscribe first (stopping a subscribed client only logs noise), then stop."""
    if client.subscribed:
        client.pubnub.unsubscribe_all()
    await client.pubnub.stop()
