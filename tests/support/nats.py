"""A real NATS server with JetStream for the tests, and reading a stream back."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import nats
import pytest_asyncio
from nats.aio.client import Client
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from aioclubhouse.fleet.local_nats import LocalNatsServer


@pytest_asyncio.fixture
async def nats_server() -> AsyncIterator[LocalNatsServer]:
    """``nats-server -js`` on a free loopback port with a temporary store."""
    async with LocalNatsServer(name="test") as server:
        yield server


@pytest_asyncio.fixture
async def nats_client(nats_server: LocalNatsServer) -> AsyncIterator[Client]:
    client = await nats.connect(nats_server.url)
    try:
        yield client
    finally:
        await client.close()


async def read_stream(
    client: Client, stream: str, subject: str = ">", *, limit: float = 2.0
) -> list[tuple[str, dict[str, str], dict[str, Any]]]:
    """Every message of ``stream`` on ``subject``: (subject, headers, record), in order."""
    js = client.jetstream()
    info = await js.stream_info(stream)
    total = info.state.messages
    found: list[tuple[str, dict[str, str], dict[str, Any]]] = []
    if total == 0:
        return found
    subscription = await js.pull_subscribe(
        subject,
        stream=stream,
        config=ConsumerConfig(
            deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE, inactive_threshold=30
        ),
    )
    try:
        while subject != ">" or len(found) < total:
            try:
                messages = await subscription.fetch(min(500, total - len(found)), timeout=limit)
            except nats.errors.TimeoutError:
                break
            for message in messages:
                found.append(
                    (message.subject, dict(message.headers or {}), json.loads(message.data))
                )
    finally:
        await subscription.unsubscribe()
    return found
