"""What API requests an emulator answered, and how: so tests count what really crossed
the socket (a retry that happened, a 429 that was given) instead of trusting the client.

Only the method, the endpoint, the status and the arrival time are kept; headers,
query strings and bodies (where the tokens are) never are.  The log is bounded: it
keeps the latest `REQUEST_LOG_SIZE` requests.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Iterator

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from aioclubhouse.emulator.faults import API_PREFIX

REQUEST_LOG_SIZE = 10_000


@attrs.frozen(kw_only=True)
class ReceivedRequest:
    """One API request as the emulator answered it."""

    method: str
    endpoint: str
    """The name after ``/api/``, e.g. ``get_channels``."""
    status: int
    """The HTTP status answered; 0 when the client went away before the answer."""
    received_at: float
    """`time.monotonic()` when the request arrived."""


class RequestLog:
    """The latest API requests, oldest first."""

    def __init__(self, size: int = REQUEST_LOG_SIZE) -> None:
        self._requests: deque[ReceivedRequest] = deque(maxlen=size)

    def __iter__(self) -> Iterator[ReceivedRequest]:
        return iter(list(self._requests))

    def __len__(self) -> int:
        return len(self._requests)

    def to(self, endpoint: str) -> list[ReceivedRequest]:
        """The requests to one endpoint, oldest first."""
        return [request for request in self._requests if request.endpoint == endpoint]

    def clear(self) -> None:
        self._requests.clear()

    def middleware(self) -> Middleware:
        """Build a middleware recording every request under /api/ with its final status."""

        @web.middleware
        async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not request.path.startswith(API_PREFIX):
                return await handler(request)
            received_at = time.monotonic()
            status = 500
            try:
                response = await handler(request)
                status = response.status
                return response
            except web.HTTPException as error:
                status = error.status
                raise
            except asyncio.CancelledError:
                status = 0  # the client went away before the answer
                raise
            finally:
                self._requests.append(
                    ReceivedRequest(
                        method=request.method,
                        endpoint=request.path.removeprefix(API_PREFIX),
                        status=status,
                        received_at=received_at,
                    )
                )

        return record
