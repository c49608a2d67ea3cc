"""Shared fixtures for the emulator tests: a bare PubNub hub on a socket, real `pubnub` clients."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.faults import Faults
from aioclubhouse.emulator.pubnub import PubNubHub
from aioclubhouse.emulator.serving import HttpServer, json_errors_middleware

from .pubnub_testkit import Client, ClientFactory, RunningHub, make_client, stop_client


@pytest.fixture
async def running_hub() -> AsyncIterator[RunningHub]:
    """A PubNub hub alone on a loopback port, with a short long-poll."""
    hub = PubNubHub(EmulatorConfig(poll_timeout=2.0), faults=Faults())
    app = web.Application(middlewares=[json_errors_middleware()])
    hub.add_routes(app)
    server = HttpServer(app, host="127.0.0.1", port=0)
    await server.start()
    try:
        yield RunningHub(hub=hub, server=server)
    finally:
        hub.close()
        await server.stop()


@pytest.fixture
async def pubnub_client() -> AsyncIterator[ClientFactory]:
    """Build real `pubnub` asyncio clients; all are unsubscribed and stopped at teardown."""
    clients: list[Client] = []

    def make(
        origin: str, *, user_id: str, token: str | None, legacy_manager: bool = False
    ) -> Client:
        client = make_client(origin, user_id=user_id, token=token, legacy_manager=legacy_manager)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await stop_client(client)
