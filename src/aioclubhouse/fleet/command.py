"""The fleet commands as plain coroutines: discover, work, status.

``python -m aioclubhouse.fleet`` (:mod:`.__main__`) calls these, and so can any
front end.  Each checks its input first (credentials files, the NATS URL) and
connects before it starts anything, so bad input is an error naming the problem
with nothing left running.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path

from ..bridge.accounts import load_account, load_accounts
from ..bridge.nats_link import close_quietly, connect, server_list
from ..dialect import DEFAULT_BASE_URL
from ..session import ClubhouseSession
from .discovery import Discoverer, RoomFilter
from .settings import FleetSettings
from .status import FleetStatus, fleet_status
from .worker import Worker, WorkerOptions

__all__ = ["discover", "status", "work"]


async def discover(
    credentials: Path,
    *,
    nats: str | Sequence[str],
    api_url: str = DEFAULT_BASE_URL,
    settings: FleetSettings | None = None,
    room_filter: RoomFilter | None = None,
    interval: float = 10.0,
    once: bool = False,
    stop: asyncio.Event | None = None,
) -> int:
    """Queue the live rooms one account sees until ``stop`` (or one poll, ``once``);
    return how many rooms this discoverer queued."""
    account = load_account(credentials)
    servers = server_list(nats)
    settings = settings or FleetSettings()
    stop = stop or asyncio.Event()
    async with contextlib.AsyncExitStack() as stack:
        client = await connect(servers, name="aioclubhouse fleet discovery")
        stack.push_async_callback(close_quietly, client)
        js = client.jetstream(timeout=10)
        bucket = await settings.ensure(js, label="discovery")
        session = ClubhouseSession(
            account.credentials, base_url=api_url, credentials_path=account.path
        )
        stack.push_async_callback(session.close)
        discoverer = Discoverer(session, js, bucket, settings, room_filter=room_filter)
        if once:
            await discoverer.poll_once()
        else:
            await discoverer.run(stop, interval=interval)
        return discoverer.queued


async def work(
    accounts: Path,
    *,
    nats: str | Sequence[str],
    api_url: str = DEFAULT_BASE_URL,
    settings: FleetSettings | None = None,
    options: WorkerOptions | None = None,
    name: str | None = None,
    stop: asyncio.Event | None = None,
) -> Worker:
    """Run a worker with every account of the ``accounts`` directory until ``stop``."""
    people = load_accounts(accounts)
    worker = Worker(
        people,
        servers=server_list(nats),
        api_url=api_url,
        settings=settings,
        options=options,
        name=name,
    )
    await worker.run(stop or asyncio.Event())
    return worker


async def status(
    nats: str | Sequence[str], *, settings: FleetSettings | None = None
) -> FleetStatus:
    """The fleet's rooms and counts (see :mod:`.status`)."""
    return await fleet_status(server_list(nats), settings)
