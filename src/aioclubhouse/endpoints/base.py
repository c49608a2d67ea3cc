"""What every endpoint group shares: turning a call into a request and a model.

Groups are mixins composed by :class:`~aioclubhouse.session.ClubhouseSession`; they
only see the transport and the two helpers below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import aiohttp

from .. import validation
from ..coerce import wire_int
from ..models.converter import structure
from ..pagination import Page, Pager
from ..transport import Transport
from .registry import ENDPOINTS

__all__ = ["EndpointGroup"]

T = TypeVar("T")


def _without_none(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: v for k, v in values.items() if v is not None}


class EndpointGroup:
    """Base of the endpoint mixins."""

    _transport: Transport

    async def _call(
        self,
        name: str,
        into: type[T],
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        form: Callable[[], aiohttp.FormData] | None = None,
    ) -> T:
        """Send endpoint ``name`` and decode its answer into ``into``.

        For GET endpoints ``body`` is sent as the query string (``None`` values are
        left out); for POST endpoints it is the JSON body, sent as given.
        """
        endpoint = ENDPOINTS[name]
        if endpoint.method == "GET":
            query = {**(query or {}), **(_without_none(body) or {})}
            body = None
        payload = await self._transport.request(endpoint, query=query, body=body, form=form)
        return structure(payload, into, endpoint=name)

    def _pager(
        self,
        name: str,
        item_type: type[T],
        items_key: str,
        *,
        params: Mapping[str, Any] | None = None,
        page_size: int,
        page: int = 1,
        limit: int | None = None,
    ) -> Pager[T]:
        """A :class:`Pager` over endpoint ``name``, whose items are under ``items_key``.

        ``params`` go in the query string for GET endpoints and in the JSON body for
        POST ones; ``page`` and ``page_size`` always go in the query string.
        """
        endpoint = ENDPOINTS[name]
        validation.page_size(page_size)
        validation.page(page)
        fixed = dict(params or {})
        list_type: Any = list[item_type]  # type: ignore[valid-type]

        async def fetch(number: int) -> Page[T]:
            query: dict[str, Any] = {}
            body: dict[str, Any] | None = None
            if endpoint.method == "GET":
                query.update(_without_none(fixed) or {})
            else:
                body = fixed
            query["page_size"] = page_size
            query["page"] = number
            payload = await self._transport.request(endpoint, query=query, body=body)
            items = structure(payload.get(items_key), list_type, endpoint=name)
            return Page(
                items=items,
                count=wire_int(payload.get("count")),
                next=wire_int(payload.get("next")),
                previous=wire_int(payload.get("previous")),
                page=number,
                raw=payload,
            )

        return Pager(fetch, endpoint=name, start_page=page, limit=limit)
