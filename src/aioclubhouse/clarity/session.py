"""ClaritySession: every Clarity API v1 endpoint as a coroutine, over one HTTP pool.

Use it as an async context manager. It owns one pooled ``aiohttp.ClientSession``
(or borrows the caller's, which it then never closes) and one ``oauth_token``, which
its :class:`~.dialect.ClarityDialect` sends as a query parameter and which is kept out
of reprs, logs and errors. Endpoints are sent by name through the same ``_call`` as
the Clubhouse ones; list endpoints decode the JSON array they answer with directly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection

import aiohttp

from .. import validation
from ..answers import DEFAULT_MAX_BODY_BYTES
from ..errors import DecodeError, InvalidArgumentError
from ..lifecycle import ApiSession
from ..models.converter import structure
from ..pagination import Page, Pager
from ..ratelimit import RateLimit
from ..redaction import mask
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

__all__ = ["SEARCH_PAGE_SIZE", "ClaritySession"]

SEARCH_PAGE_SIZE = 10
"""Members per search page; the service decides it, the client only steps ``offset`` by it."""


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
        """A member by exactly one of: Clarity id or screen name, Twitter handle, email."""
        given = validation.exactly_one(id=id, twitter=twitter, email=email)
        if given == "id":
            query = {"id": checks.member_key(id, "id")}
        elif given == "twitter":
            query = {"twitter": checks.twitter_handle(twitter)}
        else:
            query = {"email": checks.email(email)}
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

    async def request_call(self, expert_id: int, expires_in: int, reason: str) -> Call:
        """Ask an expert for a call; the request lapses after ``expires_in`` hours."""
        body = {
            "expert_id": validation.positive_id(expert_id, "expert_id"),
            "expires_in": checks.hours(expires_in),
            "reason": checks.reason(reason),
        }
        return await self._call("request_call", Call, body=body)

    def watch_call(
        self,
        call_id: int,
        *,
        interval: float = 2.0,
        stop_at: Collection[CallStatus] = TERMINAL_STATUSES,
    ) -> AsyncIterator[Call]:
        """Poll a call every ``interval`` seconds; yield it each time its status changes.

        The stream ends after a status in ``stop_at`` (completed or canceled by default).
        Wrap it in ``asyncio.timeout(...)`` to give up on a call that never finishes.
        """
        call_id = validation.positive_id(call_id, "call_id")
        seconds = checks.interval(interval)
        final = frozenset(stop_at)
        if not all(isinstance(status, CallStatus) for status in final):
            raise InvalidArgumentError("stop_at", "must be CallStatus members")
        return watch_status(
            lambda: self.get_call(call_id), interval=seconds, stop_at=final, sleep=self._sleep
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
        """Offer to help with a need: creates a pending call with the member who posted it."""
        need_id = validation.positive_id(need_id, "need_id")
        return await self._call("fulfill_need", Call, path={"need_id": need_id})

    # -- organizations -----------------------------------------------------------------
    async def organizations(self) -> list[Organization]:
        """The organizations this member belongs to (with ``member_ids``)."""
        return await self._call("organizations", list[Organization])

    async def get_organization(self, organization_id: int) -> Organization:
        """One organization with its ``members``."""
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
    def search(self, q: str, *, offset: int = 0, limit: int | None = None) -> Pager[Member]:
        """Experts matching ``q``: ``await`` it for one page, ``async for`` for all.

        Pages are 10 members long; ``offset`` skips that many results first.
        """
        term = validation.non_empty(q, "q")
        start = validation.non_negative(offset, "offset")

        async def fetch(number: int) -> Page[Member]:
            at = start + (number - 1) * SEARCH_PAGE_SIZE
            payload = await self._send("search", query={"q": term, "offset": at})
            results = structure(payload, SearchResults, endpoint="search")
            more = bool(results.members) and at + len(results.members) < results.matches
            return Page(
                items=results.members,
                count=results.matches,
                next=number + 1 if more else None,
                previous=number - 1 if number > 1 else None,
                page=number,
                raw=payload,
            )

        return Pager(fetch, endpoint="search", limit=limit)
