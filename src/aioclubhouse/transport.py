"""The product-neutral HTTP core: pool, rate limit, retries, timeouts, redaction, JSON.

A :class:`Transport` sends the request of one endpoint row and hands back the decoded
JSON value, whatever it is (object, array or scalar), or raises a typed error. Whatever
differs between the APIs it speaks to is asked of its :class:`Dialect`: the headers and
where the credential goes, how a body is parsed, which answers are failures and which
exception each one becomes, and whether a refused credential can be renewed. The core
names no product; Clubhouse (:mod:`aioclubhouse.dialect`) and Clarity
(:mod:`aioclubhouse.clarity.dialect`) are two dialects of equal standing.

The transport also owns what outlives one request: the pooled ``aiohttp.ClientSession``
(its own, or one the caller lends and keeps), the one "closed" state checked before
every send, and the hold on the dialect's current secrets in
:data:`~aioclubhouse.redaction.live_secrets`, taken when it opens and released when it
closes. The sleep used between retries and by the rate limit, and the clock the
deadline is read on, are collaborators (``sleep=``, ``clock=``), so a test records the
waits instead of patching this module.

What a server sends is bounded before anything trusts it: redirects are never followed
(:class:`~aioclubhouse.errors.UnexpectedRedirectError`), a body is read up to
``max_body_bytes`` after decompression (:func:`read_limited`), JSON nested deeper than
:data:`~aioclubhouse.redaction.MAX_PAYLOAD_DEPTH` levels is refused, every call ends by
its ``deadline`` whatever retries remain, and every error is scrubbed of the secrets
the request was sent with.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import aiohttp
import attrs

from .answers import (
    DEFAULT_MAX_BODY_BYTES,
    may_nest_deeper_than,
    nests_deeper_than,
    read_limited,
)
from .endpoint_table import Endpoint
from .errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ClubhouseConnectionError,
    ClubhouseError,
    ClubhouseTimeoutError,
    DecodeError,
    ForbiddenError,
    InvalidArgumentError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    SessionClosedError,
    UnexpectedRedirectError,
)
from .ratelimit import RateLimit, TokenBucket
from .redaction import MAX_PAYLOAD_DEPTH, get_logger, live_secrets, scrub

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_RATE_LIMIT",
    "DEFAULT_TIMEOUT",
    "Clock",
    "Dialect",
    "RetryPolicy",
    "Secrets",
    "Sleep",
    "Transport",
    "parse_retry_after",
    "status_error",
    "wire_text",
]

DEFAULT_RATE_LIMIT = RateLimit()
DEFAULT_TIMEOUT = 30.0
"""Seconds one attempt may take, from connecting to the last byte of the answer."""
DEFAULT_DEADLINE = 45.0
"""Seconds one call may take in all: every attempt, backoff and ``Retry-After`` wait.

Without it an idempotent call could take (1 + retries) x timeout plus the waits, about
two minutes with the defaults; 45 s lets a call ride out a short outage and still
answers a person well within a minute."""
log = get_logger("aioclubhouse.transport")
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))
"""``json.dumps(body, separators=(",", ":"))``, without making an encoder per request."""

Sleep = Callable[[float], Awaitable[None]]
"""How the transport waits: ``asyncio.sleep`` unless a test passes its own."""
Clock = Callable[[], float]
"""Seconds on a monotonic clock: ``time.monotonic`` unless a test passes its own."""
Secrets = tuple[str | None, ...]


class Dialect(Protocol):
    """What one API does its own way; everything else is the core's.

    Modelled on the split in openai-python, whose base client leaves the auth headers
    and the mapping of an error answer to each concrete client.
    """

    def prepare(self, endpoint: Endpoint, headers: dict[str, str], params: dict[str, str]) -> None:
        """Add this API's headers and the credential (in a header or the query string)."""
        ...

    def parse(self, raw: bytes) -> Any:
        """Decode a non-empty body; raise ``ValueError`` when it is not this API's JSON."""
        ...

    def error_for(
        self, endpoint: Endpoint, status: int, body: Any, retry_after: float | None
    ) -> ClubhouseError | None:
        """The error a decoded answer stands for, or None when it is a success."""
        ...

    def secrets(self) -> Secrets:
        """The credentials requests carry now: held for the log scrubber, kept out of errors."""
        ...

    async def renew(self, endpoint: Endpoint, refused: Secrets) -> bool:
        """After a 401 to a request sent with ``refused``: True when a fresh credential is
        in place and the request may be sent once more."""
        ...


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """Bounded, jittered exponential backoff.

    ``max_retry_after`` caps how long the SDK will sleep for a server's
    ``Retry-After``; a longer wait raises :class:`RateLimitedError` instead.
    """

    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 30.0

    def __attrs_post_init__(self) -> None:
        if self.max_retries < 0:
            raise InvalidArgumentError("retry.max_retries", "must be 0 or more")
        if self.base_delay < 0 or self.max_delay < 0:
            raise InvalidArgumentError("retry.base_delay", "delays must be 0 or more")

    def backoff(self, attempt: int) -> float:
        """Full-jitter delay before retry number ``attempt`` (0-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def status_error(
    status: int,
    message: str,
    *,
    endpoint: str,
    body: Any,
    retry_after: float | None = None,
) -> APIError:
    """The exception plain HTTP semantics give an error status; dialects refine it."""
    kwargs: dict[str, Any] = {"endpoint": endpoint, "status": status, "body": body}
    if status == 401:
        return AuthenticationError(message or "authentication failed", **kwargs)
    if status == 403:
        return ForbiddenError(message or "forbidden", **kwargs)
    if status == 404:
        return NotFoundError(message or "not found", **kwargs)
    if status == 429:
        return RateLimitedError(
            message or "rate limited by the service", retry_after=retry_after, **kwargs
        )
    if status >= 500:
        return ServerError(message or f"server error {status}", **kwargs)
    return BadRequestError(message or f"request failed (HTTP {status})", **kwargs)


def wire_text(value: Any) -> str:
    """A value as text in a query string or a form field: booleans as ``true``/``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Transport:
    """Sends requests through one dialect over one pooled ``aiohttp.ClientSession``."""

    def __init__(
        self,
        dialect: Dialect,
        *,
        base_url: str,
        http_session: aiohttp.ClientSession | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
    ) -> None:
        if not timeout > 0:
            raise InvalidArgumentError("timeout", "must be more than 0 seconds")
        if not deadline > 0:
            raise InvalidArgumentError("deadline", "must be more than 0 seconds")
        if isinstance(max_body_bytes, bool) or not isinstance(max_body_bytes, int):
            raise InvalidArgumentError("max_body_bytes", "must be an integer")
        if max_body_bytes < 1:
            raise InvalidArgumentError("max_body_bytes", "must be at least 1 byte")
        self.dialect = dialect
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.retry = retry or RetryPolicy()
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.deadline = deadline
        self.max_body_bytes = max_body_bytes
        self.sleep = sleep
        self.clock = clock
        self._bucket = (
            TokenBucket(rate_limit, sleep=sleep, clock=clock) if rate_limit is not None else None
        )
        self._http = http_session
        self._owns_http = http_session is None
        self._closed = False
        self._held: Secrets | None = None  # None until opened

    # -- lifecycle -----------------------------------------------------------------
    @property
    def closed(self) -> bool:
        """True once closed (or once the lent pool was closed by its owner): no more sends."""
        return self._closed or (self._http is not None and self._http.closed)

    @property
    def owns_open_pool(self) -> bool:
        """Whether an HTTP pool this transport created is still open (and must be closed)."""
        return self._owns_http and self._http is not None and not self._http.closed

    def open(self) -> aiohttp.ClientSession:
        """The pooled HTTP session, created on first use inside the running loop.

        Opening also starts holding the dialect's secrets. Raises
        :class:`SessionClosedError` once the transport (or a lent pool) is closed.
        """
        if self._closed:
            raise SessionClosedError("the session is closed; create a new one")
        http = self._http
        if http is None:
            connector = aiohttp.TCPConnector(limit=100, ttl_dns_cache=300)
            http = self._http = aiohttp.ClientSession(connector=connector, timeout=self.timeout)
        elif http.closed:
            raise SessionClosedError("the HTTP session lent to this session was closed")
        if self._held is None:
            self._held = self.dialect.secrets()
            live_secrets.hold(*self._held)
        return http

    def secrets_changed(self) -> None:
        """The dialect's credentials changed (login, refresh, logout): hold the new ones."""
        if self._held is None or self._closed:
            return  # not holding yet (opening will) or not any more
        current = self.dialect.secrets()
        live_secrets.swap(self._held, current)
        self._held = current

    async def close(self) -> None:
        """Stop sending, release the secrets and close the pool if it is ours. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._held is not None:
            live_secrets.release(*self._held)
            self._held = ()
        if self._http is not None and self._owns_http and not self._http.closed:
            await self._http.close()

    # -- sending ---------------------------------------------------------------------
    async def request(
        self,
        endpoint: Endpoint,
        *,
        path_values: Mapping[str, object] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        form: Callable[[], aiohttp.FormData] | None = None,
    ) -> Any:
        """Send one logical request, retrying what is safe to retry; the decoded answer.

        ``path_values`` fill the endpoint's route template; ``query`` values that are
        None are left out; ``body`` is sent as JSON with POST; ``form`` is a factory (a
        FormData can be sent only once) for multipart uploads.
        """
        due = self.clock() + self.deadline
        attempt = 0
        renewed = False
        while True:
            http = self.open()  # checked before every attempt: a closed session sends nothing
            if self._bucket is not None:
                await self._bucket.acquire()
                http = self.open()  # and again after waiting for a slot
            remaining = due - self.clock()
            if remaining <= 0:
                raise self._deadline_passed(endpoint, attempt)
            sent_with = self.dialect.secrets()
            try:
                return await self._send_once(
                    http, endpoint, path_values, query, body, form, remaining, sent_with
                )
            except AuthenticationError:
                if renewed or not await self.dialect.renew(endpoint, sent_with):
                    raise
                renewed = True
                continue
            except ClubhouseError as exc:
                delay = self._retry_delay(endpoint, exc, attempt)
                if delay is None:
                    raise
                attempt += 1
                if self.clock() + delay >= due:  # a wait that would end past the deadline
                    raise self._deadline_passed(endpoint, attempt) from exc
            await self.sleep(delay)

    def _retry_delay(self, endpoint: Endpoint, exc: ClubhouseError, attempt: int) -> float | None:
        """Seconds to wait before sending ``endpoint`` again after ``exc``; None: give up."""
        if attempt >= self.retry.max_retries:
            return None
        if isinstance(exc, RateLimitedError):
            # The service refused before doing anything: always safe to repeat.
            if exc.retry_after is None:
                return self.retry.backoff(attempt)
            return exc.retry_after if exc.retry_after <= self.retry.max_retry_after else None
        if isinstance(exc, (ServerError, ClubhouseTimeoutError)):
            if not endpoint.idempotent:
                return None
            log.debug("retrying %s after %s", endpoint.name, type(exc).__name__)
            return self.retry.backoff(attempt)
        if isinstance(exc, ClubhouseConnectionError):
            never_sent = isinstance(exc.__cause__, aiohttp.ClientConnectorError)
            return self.retry.backoff(attempt) if endpoint.idempotent or never_sent else None
        return None

    def _deadline_passed(self, endpoint: Endpoint, attempts: int) -> ClubhouseTimeoutError:
        tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
        return ClubhouseTimeoutError(
            f"no answer within the {self.deadline:g} s deadline ({tries})", endpoint=endpoint.name
        )

    async def _send_once(
        self,
        http: aiohttp.ClientSession,
        endpoint: Endpoint,
        path_values: Mapping[str, object] | None,
        query: Mapping[str, Any] | None,
        body: Any,
        form: Callable[[], aiohttp.FormData] | None,
        remaining: float,
        sent_with: Secrets,
    ) -> Any:
        """One attempt; every error it raises is scrubbed of the secrets it was sent with."""
        try:
            return await self._attempt(
                http, endpoint, path_values, query, body, form, remaining, sent_with
            )
        except ClubhouseError as exc:
            exc.scrub_secrets(sent_with)
            raise

    async def _attempt(
        self,
        http: aiohttp.ClientSession,
        endpoint: Endpoint,
        path_values: Mapping[str, object] | None,
        query: Mapping[str, Any] | None,
        body: Any,
        form: Callable[[], aiohttp.FormData] | None,
        remaining: float,
        sent_with: Secrets,
    ) -> Any:
        path = endpoint.format(**path_values) if path_values else endpoint.path
        headers: dict[str, str] = {}
        params = {k: wire_text(v) for k, v in query.items() if v is not None} if query else {}
        self.dialect.prepare(endpoint, headers, params)
        limit = min(self.timeout.total or remaining, remaining)
        kwargs: dict[str, Any] = {
            "headers": headers,
            "allow_redirects": False,  # the APIs never redirect: see UnexpectedRedirectError
            "timeout": aiohttp.ClientTimeout(total=limit),
        }
        if params:
            kwargs["params"] = params
        if form is not None:
            kwargs["data"] = form()
        elif endpoint.method == "POST" and body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
            try:
                kwargs["data"] = _COMPACT_JSON.encode(body)
            except (TypeError, ValueError) as exc:
                problem = f"cannot be sent as JSON: {exc}"
                raise InvalidArgumentError(endpoint.name, problem) from None
        started = time.monotonic()
        try:
            async with http.request(endpoint.method, self.base_url + path, **kwargs) as response:
                status = response.status
                if 300 <= status < 400:
                    raise self._redirected(endpoint, status, response, sent_with)
                raw = await read_limited(response, self.max_body_bytes, endpoint=endpoint.name)
                content_type = response.content_type
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
        except TimeoutError as exc:
            raise ClubhouseTimeoutError(
                f"no answer within {limit:g} s", endpoint=endpoint.name
            ) from exc
        except aiohttp.ClientError as exc:
            raise ClubhouseConnectionError(
                self._scrub(f"{type(exc).__name__}: {exc}"), endpoint=endpoint.name
            ) from exc
        log.debug(
            "%s %s -> %s in %.1f ms",
            endpoint.method,
            endpoint.name,
            status,
            (time.monotonic() - started) * 1000,
        )
        payload = self._decode(endpoint, status, raw, content_type, retry_after)
        error = self.dialect.error_for(endpoint, status, payload, retry_after)
        if error is not None:
            raise error
        return payload

    def _redirected(
        self,
        endpoint: Endpoint,
        status: int,
        response: aiohttp.ClientResponse,
        sent_with: Secrets,
    ) -> UnexpectedRedirectError:
        location = response.headers.get("Location")
        shown = scrub(location, sent_with) if location else None
        target = f"redirecting to {shown}" if shown else "without a location"
        return UnexpectedRedirectError(
            f"the service answered HTTP {status} {target}; the SDK never follows redirects",
            location=shown,
            endpoint=endpoint.name,
            status=status,
        )

    def _decode(
        self,
        endpoint: Endpoint,
        status: int,
        raw: bytes,
        content_type: str,
        retry_after: float | None,
    ) -> Any:
        """Any JSON value the dialect can read; an empty body is an empty object."""
        if not raw:
            return {}
        try:
            payload = self.dialect.parse(raw)
        except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, nesting
            snippet = self._scrub(raw[:200].decode("utf-8", "replace"))
            problem = f"response is not JSON ({content_type or 'no content type'}): {snippet!r}"
            error = self._unreadable(endpoint, status, content_type, retry_after, problem, snippet)
            raise error from None
        if may_nest_deeper_than(raw, MAX_PAYLOAD_DEPTH) and nests_deeper_than(
            payload, MAX_PAYLOAD_DEPTH
        ):
            problem = f"response nests deeper than {MAX_PAYLOAD_DEPTH} levels"
            raise self._unreadable(endpoint, status, content_type, retry_after, problem, None)
        return payload

    @staticmethod
    def _unreadable(
        endpoint: Endpoint,
        status: int,
        content_type: str,
        retry_after: float | None,
        problem: str,
        body: str | None,
    ) -> ClubhouseError:
        """The error an answer stands for when its body cannot be used.

        Its status still counts: a 5xx stays a (retryable) server error, a 429 a rate
        limit with its ``Retry-After``.
        """
        if status >= 500:
            return ServerError(
                f"server error {status} ({content_type or 'no content type'})",
                endpoint=endpoint.name,
                status=status,
                body=body,
            )
        if status == 429:
            return RateLimitedError(
                "rate limited by the service",
                retry_after=retry_after,
                endpoint=endpoint.name,
                status=status,
            )
        return DecodeError(problem, endpoint=endpoint.name, status=status, body=body)

    def _scrub(self, text: str) -> str:
        return scrub(text, self.dialect.secrets())
