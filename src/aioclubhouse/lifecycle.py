"""What every API session shares: its lifecycle, and sending an endpoint by name.

:class:`ApiSession` is the base of :class:`~aioclubhouse.ClubhouseSession` and
:class:`~aioclubhouse.clarity.ClaritySession`. It owns one
:class:`~aioclubhouse.transport.Transport` (and through it one pooled
``aiohttp.ClientSession``, unless the caller lent theirs) and the catalogue of its
API's endpoints. It is used as an async context manager, refuses a plain ``with``,
warns when dropped with its own pool still open, and prints without secrets. Whether
it is closed is the transport's one state, so a closed session sends nothing, whoever
owns the pool.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self, TypeVar

import aiohttp

from .endpoint_table import Endpoint
from .models.converter import structure
from .transport import Transport

__all__ = ["ApiSession"]

T = TypeVar("T")


def _without_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


class ApiSession:
    """Base of the session classes: the lifecycle around one transport, and ``_call``."""

    def __init__(self, transport: Transport, endpoints: Mapping[str, Endpoint]) -> None:
        self._transport = transport
        self._endpoints = endpoints

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def closed(self) -> bool:
        return self._transport.closed

    async def __aenter__(self) -> Self:
        self._transport.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __enter__(self) -> None:
        name = type(self).__name__
        raise TypeError(f"{name} is asynchronous: use 'async with {name}(...)'")

    def __exit__(self, *args: object) -> None:  # pragma: no cover - __enter__ always raises
        return None

    async def close(self) -> None:
        """Stop sending and close the HTTP pool (unless it was lent to us). Safe to call twice."""
        await self._transport.close()

    def __del__(self) -> None:
        transport = getattr(self, "_transport", None)
        if transport is not None and transport.owns_open_pool:
            warnings.warn(
                f"Unclosed {type(self).__name__}: use 'async with' or 'await session.close()'",
                ResourceWarning,
                stacklevel=2,
            )

    def _repr_fields(self) -> dict[str, str]:
        """What the repr shows before ``closed``, already formatted (and masked)."""
        return {"base_url": repr(self.base_url)}

    def __repr__(self) -> str:
        fields = {**self._repr_fields(), "closed": str(self.closed)}
        shown = " ".join(f"{key}={value}" for key, value in fields.items())
        return f"<{type(self).__name__} {shown}>"

    # -- sending -----------------------------------------------------------------------
    async def _send(
        self,
        name: str,
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        form: Callable[[], aiohttp.FormData] | None = None,
    ) -> Any:
        """Send endpoint ``name``; the decoded JSON answer, whatever its shape.

        ``path`` fills the route template. A GET has no body, so for GET endpoints
        ``body`` joins the query string (``None`` values left out); for POST endpoints
        it is the JSON body, sent as given.
        """
        endpoint = self._endpoints[name]
        if endpoint.method == "GET" and body is not None:
            query = {**_without_none(body), **(query or {})}
            body = None
        return await self._transport.request(
            endpoint, path_values=path, query=query, body=body, form=form
        )

    async def _call(
        self,
        name: str,
        into: type[T],
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        form: Callable[[], aiohttp.FormData] | None = None,
    ) -> T:
        """Send endpoint ``name`` and decode its answer into ``into`` (a model or a list)."""
        payload = await self._send(name, path=path, query=query, body=body, form=form)
        return structure(payload, into, endpoint=name)
