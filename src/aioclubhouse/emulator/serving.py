"""The HTTP server under the emulator: JSON bodies for every error, and quick shutdowns.

Clients of both protocols break on non-JSON bodies (the `pubnub` client fails with an
unrelated AttributeError), so every answer is JSON: errors raised by the router
(404, 405), by handlers (500), and even by the HTTP parser itself (400 for a request
line over the limit), which never reaches the application's middlewares and is
therefore turned into JSON by `JsonErrorRequestHandler`.

Server settings follow what the `pubnub` client needs: request lines and header
fields up to 64 KiB and more (a subscribe URL for many channels is long), handlers
cancelled when their client goes away, and a short shutdown timeout so that long-polls
do not keep a stopping server alive for a minute.  Access logs leave out query
strings, where PubNub clients put their tokens.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.typedefs import Handler, Middleware

from aioclubhouse.emulator.faults import API_PREFIX

logger = logging.getLogger(__name__)

MAX_LINE_SIZE = 256 * 1024
MAX_FIELD_SIZE = 64 * 1024
SHUTDOWN_TIMEOUT = 1.0


def error_body(path: str, status: int, message: str) -> dict[str, Any]:
    """The error shape of the API under /api/, PubNub's elsewhere."""
    if path.startswith(API_PREFIX):
        return {"success": False, "error_message": message}
    return {"status": status, "error": True, "message": message}


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def json_error(path: str, status: int, message: str) -> web.Response:
    return web.json_response(error_body(path, status, message), status=status)


def json_errors_middleware() -> Middleware:
    """Build a middleware that turns every error without a JSON body into one with it."""

    @web.middleware
    async def answer_errors_in_json(request: web.Request, handler: Handler) -> web.StreamResponse:
        if len(request.raw_path) > MAX_LINE_SIZE:
            # aiohttp's C parser enforces max_line_size on the request line only from 3.14.1.
            response = json_error(request.path, 400, "request line too long")
            response.force_close()
            return response
        try:
            return await handler(request)
        except web.HTTPException as error:
            if error.content_type == "application/json" or error.empty_body:
                raise
            default_text = f"{error.status}: {error.reason}"
            message = error.text if error.text and error.text != default_text else error.reason
            response = json_error(request.path, error.status, message)
            response.headers.update(
                (name, value)
                for name, value in error.headers.items()
                if name not in ("Content-Type", "Content-Length")
            )
            return response
        except (asyncio.CancelledError, ConnectionError):
            raise
        except Exception:
            logger.exception("Unhandled error while serving %s %s", request.method, request.path)
            return json_error(request.path, 500, "Internal server error")

    return answer_errors_in_json


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Access log lines without query strings: PubNub requests carry tokens in ``auth=``."""

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %s %.1f ms",
            request.remote,
            request.method,
            request.path,
            response.status,
            time * 1000,
        )


class JsonErrorRequestHandler(web.RequestHandler):
    """aiohttp's connection handler, answering malformed requests with JSON instead of text."""

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if request.writer.output_size > 0:
            return super().handle_error(request, status, exc, message)
        if status >= 500:
            logger.error("Error handling request", exc_info=exc)
        else:
            logger.debug("Rejected a malformed request: %s", message)
        response = json_error(request.path, status, message or status_phrase(status))
        response.force_close()
        return response


class HttpServer:
    """Serves one aiohttp application on host:port until stopped."""

    def __init__(self, app: web.Application, *, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.requested_port = port
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._listener: asyncio.Server | None = None

    async def start(self) -> int:
        """Bind and start serving; return the bound port."""
        runner = web.AppRunner(
            self.app,
            handler_cancellation=True,
            shutdown_timeout=SHUTDOWN_TIMEOUT,
        )
        await runner.setup()
        connections = runner.server
        assert connections is not None, "AppRunner.setup() creates the server"
        loop = asyncio.get_running_loop()

        def new_connection() -> JsonErrorRequestHandler:
            return JsonErrorRequestHandler(
                connections,
                loop=loop,
                access_log_class=PathOnlyAccessLogger,
                max_line_size=MAX_LINE_SIZE,
                max_field_size=MAX_FIELD_SIZE,
            )

        try:
            self._listener = await loop.create_server(
                new_connection, self.host, self.requested_port, reuse_address=True
            )
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = self._listener.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        """Stop listening, close idle connections, and give running handlers a second."""
        if self._listener is not None:
            self._listener.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._listener is not None:
            await self._listener.wait_closed()
        self._listener = None
        self._runner = None


class ServedService(ABC):
    """A service run by one :class:`HttpServer`: ``async with`` starts it and stops it."""

    _server: HttpServer | None

    @property
    def running(self) -> bool:
        return self._server is not None

    @abstractmethod
    async def start(self) -> None:
        """Bind and start serving; a no-op while running."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop serving; a no-op while stopped."""

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
