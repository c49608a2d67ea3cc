"""How a session object opens, closes and shows itself, shared by every API client.

A session owns one :class:`~aioclubhouse.transport.Transport` (and through it one
pooled ``aiohttp.ClientSession``, unless the caller lent theirs). It is used as an
async context manager, refuses a plain ``with``, warns when it is dropped with its
own pool still open, and prints without secrets.
"""

from __future__ import annotations

import warnings
from types import TracebackType
from typing import Self

from .transport import Transport

__all__ = ["TransportSession"]


class TransportSession:
    """Base of the session classes: the lifecycle around one transport.

    Subclasses set ``self._transport`` and ``self._closed = False`` in ``__init__``
    and name what their repr shows in :meth:`_repr_fields`.
    """

    _transport: Transport
    _closed: bool

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def closed(self) -> bool:
        return self._closed

    async def __aenter__(self) -> Self:
        self._transport.http()
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
        """Close the HTTP pool (unless it was lent to us). Safe to call twice."""
        self._closed = True
        await self._transport.close()

    def __del__(self) -> None:
        transport = getattr(self, "_transport", None)
        http = getattr(transport, "_http", None)
        if http is not None and transport is not None and transport._owns_http and not http.closed:
            warnings.warn(
                f"Unclosed {type(self).__name__}: use 'async with' or 'await session.close()'",
                ResourceWarning,
                stacklevel=2,
            )

    def _repr_fields(self) -> dict[str, str]:
        """What the repr shows before ``closed``, already formatted (and masked)."""
        return {"base_url": repr(self.base_url)}

    def __repr__(self) -> str:
        fields = {**self._repr_fields(), "closed": str(self._closed)}
        shown = " ".join(f"{key}={value}" for key, value in fields.items())
        return f"<{type(self).__name__} {shown}>"
