"""A webhook receiver for the tests: checks signatures, fails on demand, dedupes by id."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from typing import Any

from aiohttp import web

from aioclubhouse.bridge import SignatureError, verify_signature
from aioclubhouse.fleet.local_nats import free_port

SECRET = "whsec-test-0123456789"


class Receiver:
    """Answers POST /hook; ``failure_rate`` of the requests get a 500 or a 429.

    ``processed`` holds each event id once (what an idempotent receiver keeps);
    ``deliveries`` counts every time an id arrived in an accepted request.
    """

    def __init__(self, *, failure_rate: float = 0.0, seed: int = 7) -> None:
        self.failure_rate = failure_rate
        self.retry_after: str | None = "0"
        self.rng = random.Random(seed)
        self.processed: dict[str, dict[str, Any]] = {}
        self.deliveries: Counter[str] = Counter()
        self.requests = 0
        self.failed = Counter[int]()
        self.bad_signatures = 0
        self.attempt_times: dict[str, list[float]] = {}
        self.port = free_port()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests += 1
        delivery = request.headers.get("X-Aioclubhouse-Delivery", "")
        self.attempt_times.setdefault(delivery, []).append(time.monotonic())
        try:
            verify_signature(SECRET, request.headers, body)
        except SignatureError:
            self.bad_signatures += 1
            return web.json_response({"error": "bad signature"}, status=401)
        if self.rng.random() < self.failure_rate:
            status = self.rng.choice([500, 429])
            self.failed[status] += 1
            headers = (
                {"Retry-After": self.retry_after} if status == 429 and self.retry_after else {}
            )
            return web.json_response({"error": "try later"}, status=status, headers=headers)
        for record in json.loads(body):
            self.deliveries[record["id"]] += 1
            self.processed.setdefault(record["id"], record)
        return web.json_response({"ok": True})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
