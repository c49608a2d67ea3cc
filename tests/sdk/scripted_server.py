"""A tiny local HTTP server that answers each request from a script, for transport tests."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import attrs
from aiohttp import web
from aiohttp.test_utils import TestServer


@attrs.define
class Reply:
    status: int = 200
    json: Any = attrs.field(factory=lambda: {"success": True})
    text: str | None = None
    headers: dict[str, str] = attrs.field(factory=dict)
    content_type: str = "application/json"


@attrs.define
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@attrs.define
class ScriptedServer:
    replies: deque[Reply] = attrs.field(factory=deque)
    seen: list[Seen] = attrs.field(factory=list)
    default: Reply = attrs.field(factory=Reply)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.seen.append(
            Seen(
                method=request.method,
                path=request.path,
                query=dict(request.query),
                headers=dict(request.headers),
                body=await request.read(),
            )
        )
        reply = self.replies.popleft() if self.replies else self.default
        if reply.text is not None:
            return web.Response(
                status=reply.status,
                text=reply.text,
                content_type=reply.content_type,
                headers=reply.headers,
            )
        return web.json_response(reply.json, status=reply.status, headers=reply.headers)


@asynccontextmanager
async def scripted_server(*replies: Reply) -> AsyncIterator[ScriptedServer]:
    script = ScriptedServer(replies=deque(replies))
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", script.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    script.url = str(server.make_url("/api/"))
    try:
        yield script
    finally:
        await server.close()
