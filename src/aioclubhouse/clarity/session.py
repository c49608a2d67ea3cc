"""ClaritySession: every Clarity API v1 endpoint as a coroutine, over one HTTP pool.

Use it as an async context manager. It owns one pooled ``aiohttp.ClientSession``
(or borrows the caller's, which it then never closes) and one ``oauth_token``, which
its :class:`~.dialect.ClarityDialect` sends as a query parameter and which is kept out
of reprs, logs and errors. Endpoints are sent by name through the same ``_call`` as
the Clubhouse ones; list endpoints decode the JSON array they answer with directly.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Collection
from typing import Any, Literal

import aiohttp

from .. import validation
from ..answers import DEFAULT_MAX_BODY_BYTES
from ..errors import BadRequestError, DecodeError, InvalidArgumentError, NotFoundError
from ..lifecycle import ApiSession
from ..models.converter import structure
from ..pagination import Page, Pager
from ..ratelimit import RateLimit
from ..redaction import get_logger, mask
from ..transport import (
    DEFAULT_DEADLINE,
    DEFAULT_RATE_LIMIT,
    DEFAULT_TIMEOUT,
    RetryPolicy,
    Sleep,
    Transport,
)
from . import checks
from .dialect import DEFAULT_CLARITY_URL, ClarityDialect
from .endpoints import CLARITY_ENDPOINTS
from .models import (
    TERMINAL_STATUSES,
    Call,
    CallStatus,
    Conversation,
    Member,
    Message,
    MessageThread,
    Need,
    Organization,
    SearchResults,
)
from .oauth import OAUTH_BASE, exchange_code
from .watch import watch_status

__all__ = ["SEARCH_FORMS", "SEARCH_PAGE_SIZE", "ClaritySession", "SearchForm"]

log = get_logger("aioclubhouse.clarity")

SEARCH_PAGE_SIZE = 10
"""Members per search page, as documented; the service decides it, and the client steps
``offset`` by the members each page actually holds."""

SearchForm = Literal["auto", "query", "path"]
"""Which documented form of search to send (see :meth:`ClaritySession.search`)."""
SEARCH_FORMS: tuple[SearchForm, ...] = ("auto", "query", "path")


class ClaritySession(ApiSession):
    """A connection to the Clarity API on behalf of one member.

    ``oauth_token`` may be left out and set later (for example by
    :meth:`authorize_with_code`). ``rate_limit=None`` turns the client-side rate
    limit off; ``http_session`` lends an ``aiohttp.ClientSession`` this object will
    not close; ``sleep`` is how retries, the rate limit and :meth:`watch_call` wait.
    ``timeout`` bounds one attempt, ``deadline`` the whole call with its retries and
    waits, and ``max_body_bytes`` the length of an answer after decompression.
    """

    def __init__(
        self,
        oauth_token: str | None = None,
        *,
        base_url: str = DEFAULT_CLARITY_URL,
        http_session: aiohttp.ClientSession | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._dialect = ClarityDialect(oauth_token)
        self._sleep = sleep
        transport = Transport(
            self._dialect,
            base_url=base_url,
            http_session=http_session,
            timeout=timeout,
            deadline=deadline,
            max_body_bytes=max_body_bytes,
            retry=retry,
            rate_limit=rate_limit,
            sleep=sleep,
        )
        super().__init__(transport, CLARITY_ENDPOINTS)
        self._search_by_path = False

    # -- the token -----------------------------------------------------------------------
    @property
    def oauth_token(self) -> str | None:
        return self._dialect.oauth_token

    @oauth_token.setter
    def oauth_token(self, value: str | None) -> None:
        """Use another token from now on; the log scrubber forgets the old one."""
        self._dialect.oauth_token = value
        self._transport.secrets_changed()

    def _repr_fields(self) -> dict[str, str]:
        return {"base_url": repr(self.base_url), "oauth_token": mask(self.oauth_token)}

    async def authorize_with_code(
        self,
        client_id: str,
        client_secret: str,
        code: str,
        *,
        oauth_base: str = OAUTH_BASE,
    ) -> None:
        """Exchange an OAuth authorization code and use the token for every later call."""
        self.oauth_token = await exchange_code(
            client_id,
            client_secret,
            code,
            http_session=self._transport.open(),
            base=oauth_base,
        )

    # -- members -----------------------------------------------------------------------
    async def me(self) -> Member:
        """The member the token belongs to."""
        return await self._call("me", Member)

    async def get_member(self, id_or_screen_name: int | str) -> Member:
        """A member by Clarity id (``7``) or screen name (``"danmartell"``)."""
        key = checks.member_key(id_or_screen_name)
        return await self._call("get_member", Member, path={"id_or_screen_name": key})

    async def find_member(
        self, *, id: int | str | None = None, twitter: str | None = None, email: str | None = None
    ) -> Member:
        """A member by at most one of: Clarity id or screen name, Twitter handle, email.

        With none of them this is the document's bare ``GET /v1/members``, "the current
        member": the same member as :meth:`me`, by the other documented route.
        """
        given = [
            name
            for name, value in (("id", id), ("twitter", twitter), ("email", email))
            if value is not None
        ]
        if len(given) > 1:
            raise InvalidArgumentError(given[0], "give at most one of id, twitter and email")
        query: dict[str, str] = {}
        if id is not None:
            query["id"] = checks.member_key(id, "id")
        elif twitter is not None:
            query["twitter"] = checks.twitter_handle(twitter)
        elif email is not None:
            query["email"] = checks.email(email)
        return await self._call("find_member", Member, query=query)

    # -- calls -------------------------------------------------------------------------
    async def requested_calls(self) -> list[Call]:
        """Pending calls in which this member is the seeker."""
        return await self._call("requested_calls", list[Call])

    async def callback_calls(self) -> list[Call]:
        """Pending calls in which this member is the expert (they can be connected)."""
        return await self._call("callback_calls", list[Call])

    async def completed_calls(self) -> list[Call]:
        """Completed calls, as seeker and as expert."""
        return await self._call("completed_calls", list[Call])

    async def canceled_calls(self) -> list[Call]:
        """Canceled calls, as seeker and as expert."""
        return await self._call("canceled_calls", list[Call])

    async def get_call(self, call_id: int) -> Call:
        """One call, with its current status."""
        call_id = validation.positive_id(call_id, "call_id")
        return await self._call("get_call", Call, path={"call_id": call_id})

    async def connect_call(self, call_id: int) -> Call:
        """Start a call from the callback list; follow it with :meth:`watch_call`."""
        call_id = validation.positive_id(call_id, "call_id")
        return await self._call("connect_call", Call, path={"call_id": call_id})

    async def request_call(self, expert_id: int, expires_in: dt.timedelta, reason: str) -> Call:
        """Ask an expert for a call, open for ``expires_in`` (a ``timedelta`` of whole hours).

        The API counts the expiry in hours, so ``timedelta(hours=72)`` or
        ``timedelta(days=3)`` is sent as ``"expires_in": 72``; a bare number is refused
        rather than guessed at. ``reason`` is at most 140 characters.
        """
        body = {
            "expert_id": validation.positive_id(expert_id, "expert_id"),
            "expires_in": checks.expiry_hours(expires_in),
            "reason": checks.reason(reason),
        }
        return await self._call("request_call", Call, body=body)

    def watch_call(
        self,
        call_id: int,
        *,
        interval: float = 2.0,
        stop_at: Collection[CallStatus] = TERMINAL_STATUSES,
        timeout: float | dt.timedelta | None = None,
    ) -> AsyncIterator[Call]:
        """Poll a call every ``interval`` seconds; yield it each time its status changes.

        The stream ends after a status in ``stop_at`` (completed or canceled by default).
        ``timeout`` (seconds or a ``timedelta``, counted from the first step of the
        iteration) bounds the whole watch: when it runs out,
        :class:`~.watch.WatchTimeoutError` (a ``TimeoutError``) is raised carrying the
        call as last seen. Without it, a call that never reaches a status in
        ``stop_at`` is polled until the caller stops iterating.
        """
        call_id = validation.positive_id(call_id, "call_id")
        seconds = checks.interval(interval)
        limit = None if timeout is None else checks.seconds(timeout, "timeout")
        final = frozenset(stop_at)
        if not all(isinstance(status, CallStatus) for status in final):
            raise InvalidArgumentError("stop_at", "must be CallStatus members")
        return watch_status(
            lambda: self.get_call(call_id),
            interval=seconds,
            stop_at=final,
            sleep=self._sleep,
            time_limit=limit,
        )

    # -- needs -------------------------------------------------------------------------
    async def needs(self) -> list[Need]:
        """Needs posted by members of this member's organizations."""
        return await self._call("needs", list[Need])

    async def create_need(self, description: str, paid: bool) -> Need:
        """Post a need; ``paid`` says whether the member is willing to pay."""
        body = {
            "description": validation.non_empty(description, "description"),
            "paid": validation.boolean(paid, "paid"),
        }
        payload = await self._send("create_need", body=body)
        if not isinstance(payload, list):
            return structure(payload, Need, endpoint="create_need")
        if not payload:
            raise DecodeError("the service returned no need", endpoint="create_need", body=payload)
        # The documented answer is an array holding the new need.
        return structure(payload[-1], Need, endpoint="create_need")

    async def fulfill_need(self, need_id: int) -> Call:
        """Offer to help with a need: creates a pending call with the member who posted it.

        ``need_id`` is :attr:`Need.id <.models.Need.id>`. The document's need examples
        carry no id, so it is only known when the service sends one (a Rails service
        usually does; the emulator does, see ``docs/protocol.md`` H); the API offers
        no other way to learn it.
        """
        need_id = validation.positive_id(need_id, "need_id")
        return await self._call("fulfill_need", Call, path={"need_id": need_id})

    # -- organizations -----------------------------------------------------------------
    async def organizations(self) -> list[Organization]:
        """The organizations this member belongs to (with ``member_ids``)."""
        return await self._call("organizations", list[Organization])

    async def get_organization(self, organization_id: int) -> Organization:
        """One organization with its ``members``.

        ``organization_id`` is :attr:`Organization.resolved_id <.models.Organization.resolved_id>`
        of an entry of :meth:`organizations`: the documented answers carry no ``id``,
        but the organization's logo URL holds it (``.../networks/logos/17/...``).
        """
        organization_id = validation.positive_id(organization_id, "organization_id")
        return await self._call(
            "get_organization", Organization, path={"organization_id": organization_id}
        )

    # -- messages ----------------------------------------------------------------------
    async def messages(self) -> list[Conversation]:
        """This member's conversations, each with its latest message."""
        return await self._call("messages", list[Conversation])

    async def conversation(self, member_id: int) -> MessageThread:
        """The last 50 messages exchanged with ``member_id``, newest first."""
        member_id = validation.positive_id(member_id, "member_id")
        return await self._call("conversation", MessageThread, path={"member_id": member_id})

    async def send_message(self, member_id: int, message: str) -> Message:
        """Send ``message`` to ``member_id``; returns the stored message."""
        member_id = validation.positive_id(member_id, "member_id")
        body = {"message": validation.non_empty(message, "message")}
        return await self._call("send_message", Message, path={"member_id": member_id}, body=body)

    # -- search ------------------------------------------------------------------------
    def search(
        self, q: str, *, offset: int = 0, limit: int | None = None, form: SearchForm = "auto"
    ) -> Pager[Member]:
        """Experts matching ``q``: ``await`` it for one page, ``async for`` for all.

        ``offset`` skips that many results first. Each page starts where the previous
        one ended: the service says 10 a page, but the next offset is the previous
        one plus the members actually returned, so a short page skips nothing. Paging
        stops at an empty page or once ``matches`` members have been returned.

        The document gives two forms, ``GET /v1/search?q=..`` and
        ``GET /v1/search/:q``. ``form="query"`` or ``"path"`` sends one of them;
        ``"auto"`` sends the query form and, if the service refuses it (any 4xx but
        401, 403 and 429), the path form, which this session then keeps using.
        """
        term = validation.non_empty(q, "q")
        start = validation.non_negative(offset, "offset")
        if form not in SEARCH_FORMS:
            raise InvalidArgumentError("form", "must be 'auto', 'query' or 'path'")
        if form == "path":
            checks.path_segment(term, "q")
        offsets = {1: start}  # where each page starts, known once the one before is back

        async def fetch(number: int) -> Page[Member]:
            at = offsets[number]
            payload = await self._search_page(term, at, form)
            results = structure(payload, SearchResults, endpoint="search")
            reached = at + len(results.members)
            more = bool(results.members) and (results.matches is None or reached < results.matches)
            if more:
                offsets[number + 1] = reached
            return Page(
                items=results.members,
                count=results.matches,
                next=number + 1 if more else None,
                previous=number - 1 if number > 1 else None,
                page=number,
                raw=payload,
            )

        return Pager(fetch, endpoint="search", limit=limit)

    async def _search_page(self, term: str, offset: int, form: SearchForm) -> Any:
        """One search answer, in the form asked for or the one that works."""
        by_path = form == "path" or (form == "auto" and self._search_by_path)
        if not by_path:
            try:
                return await self._send("search", query={"q": term, "offset": offset})
            except (BadRequestError, NotFoundError):
                if form == "query" or term in checks.DOT_SEGMENTS:
                    raise
                log.info("search: the query form was refused; trying the path form")
        payload = await self._send("search_by_path", path={"q": term}, query={"offset": offset})
        if form == "auto":
            self._search_by_path = True
        return payload
