"""`Emulator`: one running Clubhouse service on a loopback port, HTTP API and PubNub together.

It composes the parts: the `World` (every user, room and token), the `PubNubHub`
(realtime messages), the API routes, the request log, the fault and rate-limit
middlewares, a sweeper that times out idle room users and silent PubNub clients every
second, and the simulated `Activity` of sample users (paused while its rate is zero).

    async with Emulator(seed=1) as emu:
        credentials = emu.login()
        ...  # point a client at emu.base_url

`restart()` stops the server, rebuilds world and hub from their saved state (as a
new process would from `state_file`) and serves again on the same port: clients
that reconnect with their old PubNub cursor get every message they missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from pathlib import Path
from typing import Any

import attrs
from aiohttp import web

from aioclubhouse.emulator.activity import Activity
from aioclubhouse.emulator.api import add_api_routes
from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.faults import Faults, api_fault_middleware
from aioclubhouse.emulator.inspection import add_inspection_routes
from aioclubhouse.emulator.pubnub import PubNubHub
from aioclubhouse.emulator.ratelimit import RateLimiter, rate_limit_middleware
from aioclubhouse.emulator.request_log import RequestLog
from aioclubhouse.emulator.serving import HttpServer, ServedService, json_errors_middleware
from aioclubhouse.emulator.state import (
    StateFileError,
    read_state_file,
    state_document,
    write_state_file,
)
from aioclubhouse.emulator.world import World

logger = logging.getLogger(__name__)

SWEEP_INTERVAL = 1.0
MAX_REQUEST_BODY = 16 * 1024 * 1024
"""Largest request body accepted (profile photos are uploaded whole)."""


class Emulator(ServedService):
    """A local Clubhouse service: start it, point clients at `base_url`, stop it."""

    def __init__(self, config: EmulatorConfig | None = None, **overrides: Any) -> None:
        base = config if config is not None else EmulatorConfig()
        self.config = attrs.evolve(base, **overrides)
        """This emulator's own copy of the settings; changing it affects the running service."""
        self.faults = Faults()
        """What goes wrong on purpose (see `Faults`); kept across restarts."""
        self.api_requests = RequestLog()
        """Every API request answered (method, endpoint, status, time, headers without
        credentials), for tests to count and inspect."""
        self.rate_limiter = RateLimiter(self.config)
        self.port = 0
        """The bound port once started (kept across restarts)."""
        self.hub, self.world = self._build(self._read_state_file())
        self.activity = Activity(self.world, self.config.activity_rate, self.config.seed)
        """Sample users acting on their own; set `activity.rate` above 0 to start them."""
        self._server: HttpServer | None = None
        self._sweeper: asyncio.Task[None] | None = None

    # -- addresses -------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        """``host:port`` as the `pubnub` client's `origin` wants it."""
        return f"{self.config.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API root, e.g. ``http://127.0.0.1:PORT/api/``."""
        return f"http://{self.origin}/api/"

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind (the same port again after a restart) and start serving."""
        if self._server is not None:
            return
        server = HttpServer(
            self._make_app(), host=self.config.host, port=self.port or self.config.port
        )
        self.port = await server.start()
        self._server = server
        self.world.pubnub_origin = self.origin
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="emulator-sweeper")
        await self.activity.start()
        logger.info("Clubhouse emulator serving on %s", self.base_url)

    async def stop(self) -> None:
        """Stop serving quickly (pending long-polls are answered) and save the state file."""
        if self._server is None:
            return
        await self.activity.stop()
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        self.hub.close()
        server, self._server = self._server, None
        await server.stop()
        if self.config.state_file is not None:
            self.save_state(self.config.state_file)

    async def restart(self, downtime: float = 0.0) -> None:
        """Stop, stay down for `downtime` seconds, and come back with the same state and port."""
        await self.stop()
        state = self.to_state()
        if downtime > 0:
            await asyncio.sleep(downtime)
        self.hub, self.world = self._build(state)
        self.activity = Activity(self.world, self.activity.rate, self.config.seed)
        await self.start()

    # -- state -----------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """World and realtime messages, as one JSON-ready document (see `state`)."""
        return state_document(world=self.world.to_state(), pubnub=self.hub.to_state())

    def save_state(self, path: Path) -> None:
        """Write the state to `path`: atomically, and readable by its owner only (it
        holds live tokens)."""
        write_state_file(path, self.to_state())

    def _read_state_file(self) -> dict[str, Any] | None:
        path = self.config.state_file
        return None if path is None else read_state_file(path)

    def _build(self, state: dict[str, Any] | None) -> tuple[PubNubHub, World]:
        """A hub and a world: the seed's sample world, or the one `state` describes."""
        hub = PubNubHub(self.config, faults=self.faults)
        world = World(self.config, hub)
        if state is None:
            world.populate()
        else:
            try:
                hub.load_state(state["pubnub"])
                world.load_state(state["world"])
            except Exception as error:  # whatever a damaged document makes the loaders raise
                source = self.config.state_file or "the saved state"
                raise StateFileError(f"{source}: cannot be loaded ({error!r})") from error
        world.pubnub_origin = self.origin
        return hub, world

    # -- conveniences for tests ------------------------------------------------------------

    def login(
        self, phone_number: str | None = None, name: str = "Emulator Tester"
    ) -> dict[str, Any]:
        """Log a user in without the phone-code dance; the user is created if new.

        Returns ``user_id``, ``auth_token``, ``access_token``, ``refresh_token`` and the
        ``device_id`` the tokens belong to.
        """
        user = self.world.accounts.by_phone(phone_number) if phone_number else None
        if user is None:
            user = self.world.create_user(name=name, phone_number=phone_number)
        device_id = str(uuid.uuid4()).upper()
        tokens = self.world.issue_tokens(user.user_id, device_id=device_id)
        return {"user_id": user.user_id, **tokens, "device_id": device_id}

    # -- internals -------------------------------------------------------------------------

    def _credential_owner(self, authorization: str) -> int | None:
        """The user an ``Authorization`` value belongs to, in the world served now."""
        return self.world.accounts.owner_of(authorization)

    def _make_app(self) -> web.Application:
        app = web.Application(
            middlewares=[
                json_errors_middleware(),
                self.api_requests.middleware(self._credential_owner),
                api_fault_middleware(self.faults, rng=random.Random(self.config.seed)),
                rate_limit_middleware(self.rate_limiter),
            ],
            client_max_size=MAX_REQUEST_BODY,
        )
        self.hub.add_routes(app)
        add_api_routes(app, self.world, self.config)
        add_inspection_routes(app, self.world, self.hub)
        return app

    async def _sweep_forever(self) -> None:
        """Time out idle room users and silent PubNub clients, once a second."""
        while True:
            await asyncio.sleep(SWEEP_INTERVAL)
            try:
                self.world.sweep()
                self.hub.sweep()
            except Exception:
                logger.exception("Emulator sweep failed")
