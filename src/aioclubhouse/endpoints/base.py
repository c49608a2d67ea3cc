"""What every Clubhouse endpoint group shares, and the one contract they all keep.

Groups are mixins composed by :class:`~aioclubhouse.session.ClubhouseSession`. The
base takes what they need in its constructor (the transport, the credentials and the
:class:`~aioclubhouse.identity.AppIdentity`, whose platform decides the few request
bodies that differ between the apps) and gives them three things: :meth:`_call` (from
:class:`~aioclubhouse.lifecycle.ApiSession`) to send one endpoint and decode its
answer, :meth:`_pager` for the paginated ones, and :meth:`_adopt_login`, the one
way the session's login changes. No group touches another's state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from .. import validation
from ..auth import Credentials
from ..coerce import wire_int
from ..errors import DecodeError
from ..identity import AppIdentity
from ..lifecycle import ApiSession
from ..models.converter import structure
from ..pagination import Page, Pager
from ..transport import Transport
from .registry import ENDPOINTS

__all__ = ["EndpointGroup"]

T = TypeVar("T")


class EndpointGroup(ApiSession):
    """Base of the endpoint mixins: the transport, the credentials and the helpers."""

    def __init__(
        self, transport: Transport, credentials: Credentials, identity: AppIdentity
    ) -> None:
        super().__init__(transport, ENDPOINTS)
        self.credentials = credentials
        self.identity = identity

    def _adopt_login(
        self,
        *,
        user_id: int | None,
        auth_token: str | None,
        access_token: str | None,
        refresh_token: str | None,
    ) -> None:
        """Become this login (or, with no tokens, none): the device id stays.

        The credentials change in place (callers may hold them), and the log scrubber
        holds the new tokens instead of the old ones.
        """
        creds = self.credentials
        creds.user_id = user_id
        creds.auth_token = auth_token
        creds.access_token = access_token
        creds.refresh_token = refresh_token
        self._transport.secrets_changed()

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
        validation.page_size(page_size)
        validation.page(page)
        fixed = dict(params or {})
        list_type: Any = list[item_type]  # type: ignore[valid-type]

        async def fetch(number: int) -> Page[T]:
            query = {"page_size": page_size, "page": number}
            payload = await self._send(name, query=query, body=fixed)
            if not isinstance(payload, dict):  # the dialect already refuses these
                raise DecodeError("expected a JSON object", endpoint=name, body=payload)
            items = structure(payload.get(items_key), list_type, endpoint=name)
            return Page(
                items=items,
                count=wire_int(payload.get("count")),
                next=wire_int(payload.get("next")),
                previous=wire_int(payload.get("previous")),
                page=number,
                raw=payload,
            )

        return Pager(fetch, endpoint=name, start_page=page, limit=limit, by_number=True)
