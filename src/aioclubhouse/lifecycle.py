"""What every API session shares: its lifecycle, and sending an endpoint by name.

:class:`ApiSession` is the base of :class:`~aioclubhouse.ClubhouseSession` and
:class:`~aioclubhouse.clarity.ClaritySession`. It owns one
:class:`~aioclubhouse.transport.Transport` (and through it one pooled
``aiohttp.ClientSession``, unless the caller lent theirs) and the catalogue of its
API's endpoints. It is used as an async context manager, refuses a plain ``with``,
warns when dropped with its own pool still open, and prints without secrets. Whether
it is closed is the transport's one state, so a closed session sends nothing, whoever
owns the pool.

A layer above the session can give it something to own without the session importing
that layer: :meth:`ApiSession.companion` makes one instance of a closeable kind per
session, and :meth:`ApiSession.close` closes the companions (newest first) before the
HTTP pool. The rooms layer keeps each session's realtime pool and open rooms this way.

:meth:`ApiSession.with_options` gives a view of a session with other per-call settings
(timeout, deadline, retries), as openai-python's ``with_options`` does: everything else
(the pool, the credentials, the rate limit, the counters, the companions) is the
session's own, so the view owns nothing and closing it closes nothing.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

import aiohttp

from .endpoint_table import Endpoint
from .errors import SessionClosedError
from .models.converter import structure
from .policies import RetryPolicy, Timeout, TransportStats
from .transport import Transport

__all__ = ["ApiSession", "Companion"]

T = TypeVar("T")


class Companion(Protocol):
    """Something a session owns for a layer above it, closed with the session."""

    async def close(self) -> None: ...


C = TypeVar("C", bound=Companion)


def _without_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


class ApiSession:
    """Base of the session classes: the lifecycle around one transport, and ``_call``."""

    def __init__(self, transport: Transport, endpoints: Mapping[str, Endpoint]) -> None:
        self._transport = transport
        self._endpoints = endpoints
        self._companions: dict[Callable[[], Companion], Companion] = {}
        self._is_view = False

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The API's root URL; endpoint paths are relative to it."""
        return self._transport.base_url

    @property
    def closed(self) -> bool:
        """Whether the session is closed (it then sends nothing)."""
        return self._transport.closed

    @property
    def stats(self) -> TransportStats:
        """What the calls cost so far: requests sent, retries by reason and the time
        waited before them, HTTP 429s and the last ``Retry-After``, and how long the
        client-side rate limit held requests back. Views share their session's."""
        return self._transport.stats

    def with_options(
        self,
        *,
        timeout: float | Timeout | None = None,
        deadline: float | None = None,
        retry: RetryPolicy | None = None,
    ) -> Self:
        """This session with other per-call settings (None keeps the session's).

        ``session.with_options(timeout=5).get_channels()`` sends with a 5 s timeout. The
        view shares the session's pool, credentials, rate limit, counters and rooms; it
        is open while the session is, and closing it (or leaving its ``async with``)
        closes nothing: close the session.
        """
        view = copy.copy(self)
        view._transport = self._transport.with_options(
            timeout=timeout, deadline=deadline, retry=retry
        )
        view._is_view = True
        return view

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

    def companion(self, kind: Callable[[], C]) -> C:
        """This session's own instance of ``kind``, made with ``kind()`` on first use and
        closed by :meth:`close` before the HTTP pool.

        Raises :class:`~aioclubhouse.errors.SessionClosedError` once the session is closed.
        """
        found = self._companions.get(kind)
        if found is None:
            if self.closed:
                raise SessionClosedError("the session is closed; create a new one")
            found = self._companions[kind] = kind()
        made: C = found  # type: ignore[assignment]  # stored under its own kind
        return made

    async def close(self) -> None:
        """Close the companions (newest first), then stop sending and close the HTTP pool
        (unless it was lent to us). Safe to call twice; a view closes nothing."""
        if self._is_view:
            return
        for companion in reversed(list(self._companions.values())):
            await companion.close()
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
        if self._is_view:
            fields["view"] = "True"
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
