"""What API requests an emulator answered, and how: so tests count what really crossed
the socket (a retry that happened, a 429 that was given) instead of trusting the client,
and see which headers each one carried (the app identity, ``CH-UserID``).

Kept: the method, the endpoint, the status, the arrival time and the headers, except
the credential-bearing ones: ``Authorization`` is kept as its scheme alone (``Token``
or ``Bearer``) plus whose credential it was, and ``Cookie`` not at all.  Query strings
and bodies are never kept.  The log is bounded: it keeps the latest
`REQUEST_LOG_SIZE` requests.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from aioclubhouse.emulator.faults import API_PREFIX

REQUEST_LOG_SIZE = 10_000
WITHHELD_HEADERS = frozenset({"authorization", "cookie"})
"""Headers that carry credentials: never kept as sent."""

CredentialOwner = Callable[[str], int | None]
"""Whose login an ``Authorization`` value is (a user id), or None when it is nobody's."""


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
    headers: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    """The request headers as sent, but for `WITHHELD_HEADERS`."""
    authorization: str | None = None
    """The scheme of the ``Authorization`` header (``Token``, ``Bearer``), None without one."""
    credential_owner: int | None = None
    """The user whose credential ``Authorization`` carried (valid or not), when it arrived."""


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

    def middleware(self, owner_of: CredentialOwner | None = None) -> Middleware:
        """Build a middleware recording every request under /api/ with its final status.

        `owner_of` names the user behind an ``Authorization`` value; it is asked when the
        request arrives (a logout ends the credential while it is handled).
        """

        @web.middleware
        async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not request.path.startswith(API_PREFIX):
                return await handler(request)
            received_at = time.monotonic()
            headers = MappingProxyType(
                {k: v for k, v in request.headers.items() if k.lower() not in WITHHELD_HEADERS}
            )
            authorization = request.headers.get("Authorization")
            scheme = authorization.strip().partition(" ")[0] if authorization else None
            owner = owner_of(authorization) if authorization and owner_of else None
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
                        headers=headers,
                        authorization=scheme or None,
                        credential_owner=owner,
                    )
                )

        return record
