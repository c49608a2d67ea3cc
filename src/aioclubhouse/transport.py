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

Each retry is counted in the pool's :class:`~aioclubhouse.policies.TransportStats`,
logged at INFO (what failed, the wait, never a secret) and handed to the ``on_retry``
hook; each wait of the client-side rate limit is counted and logged at DEBUG.

The module runs past 500 lines because the request pipeline (open, throttle, send,
read, decode, map the error, retry) reads best top to bottom in one place.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import aiohttp

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
from .policies import (
    DEFAULT_TIMEOUT,
    RetryHook,
    RetryNotice,
    RetryPolicy,
    RetryReason,
    Timeout,
    TransportStats,
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
    "RetryHook",
    "RetryNotice",
    "RetryPolicy",
    "Secrets",
    "Sleep",
    "Timeout",
    "Transport",
    "TransportStats",
    "parse_retry_after",
    "status_error",
    "wire_text",
]

DEFAULT_RATE_LIMIT = RateLimit()
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


def _timed_out(timeout: aiohttp.ClientTimeout, elapsed: float, exc: TimeoutError) -> str:
    """What ran out: the whole attempt, or (aiohttp says which) connecting or reading."""
    detail = str(exc)
    if not detail:  # the total: aiohttp raises a bare TimeoutError for it
        return f"no answer within {timeout.total:g} s"
    return f"{detail} (after {elapsed:.2f} s)"


def _checked_deadline(deadline: float) -> float:
    if isinstance(deadline, bool) or not isinstance(deadline, int | float) or not deadline > 0:
        raise InvalidArgumentError("deadline", "must be more than 0 seconds")
    return float(deadline)


def wire_text(value: Any) -> str:
    """A value as text in a query string or a form field: booleans as ``true``/``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Pool:
    """What a transport and every view of it share: the HTTP pool, whether it is
    closed, the secrets held while it is open, the rate limit and the counters."""

    __slots__ = ("bucket", "closed", "held", "http", "owns_http", "stats")

    def __init__(self, http: aiohttp.ClientSession | None, bucket: TokenBucket | None) -> None:
        self.http = http
        self.owns_http = http is None
        self.closed = False
        self.held: Secrets | None = None  # None until opened
        self.bucket = bucket
        self.stats = TransportStats()


class Transport:
    """Sends requests through one dialect over one pooled ``aiohttp.ClientSession``.

    :meth:`with_options` gives a view with other per-call settings (timeout, deadline,
    retries) over the same pool, secrets, rate limit and counters.
    """

    def __init__(
        self,
        dialect: Dialect,
        *,
        base_url: str,
        http_session: aiohttp.ClientSession | None = None,
        timeout: float | Timeout = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        on_retry: RetryHook | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
    ) -> None:
        if isinstance(max_body_bytes, bool) or not isinstance(max_body_bytes, int):
            raise InvalidArgumentError("max_body_bytes", "must be an integer")
        if max_body_bytes < 1:
            raise InvalidArgumentError("max_body_bytes", "must be at least 1 byte")
        self.dialect = dialect
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout = Timeout.of(timeout)
        self.deadline = _checked_deadline(deadline)
        self.retry = retry or RetryPolicy()
        self.max_body_bytes = max_body_bytes
        self.on_retry = on_retry
        self.sleep = sleep
        self.clock = clock
        bucket = TokenBucket(rate_limit, sleep=sleep, clock=clock) if rate_limit else None
        self._pool = _Pool(http_session, bucket)
        self._is_view = False

    def with_options(
        self,
        *,
        timeout: float | Timeout | None = None,
        deadline: float | None = None,
        retry: RetryPolicy | None = None,
    ) -> Transport:
        """A view sending with other settings (None keeps this one's) over the same pool,
        secrets, rate limit and counters. It never owns the pool: closing it does nothing."""
        view = copy.copy(self)
        if timeout is not None:
            view.timeout = Timeout.of(timeout)
        if deadline is not None:
            view.deadline = _checked_deadline(deadline)
        if retry is not None:
            view.retry = retry
        view._is_view = True
        return view

    @property
    def stats(self) -> TransportStats:
        """The counters of every request sent through this pool (views included)."""
        return self._pool.stats

    # -- lifecycle -----------------------------------------------------------------
    @property
    def closed(self) -> bool:
        """True once closed (or once the lent pool was closed by its owner): no more sends."""
        pool = self._pool
        return pool.closed or (pool.http is not None and pool.http.closed)

    @property
    def owns_open_pool(self) -> bool:
        """Whether an HTTP pool this transport created is still open (and must be closed)."""
        pool = self._pool
        return (
            not self._is_view and pool.owns_http and pool.http is not None and not pool.http.closed
        )

    def open(self) -> aiohttp.ClientSession:
        """The pooled HTTP session, created on first use inside the running loop.

        Opening also starts holding the dialect's secrets. Raises
        :class:`SessionClosedError` once the transport (or a lent pool) is closed.
        """
        pool = self._pool
        if pool.closed:
            raise SessionClosedError("the session is closed; create a new one")
        http = pool.http
        if http is None:
            # Requests carry their own timeouts (see _attempt); the pool's is a backstop.
            connector = aiohttp.TCPConnector(limit=100, ttl_dns_cache=300)
            http = pool.http = aiohttp.ClientSession(
                connector=connector, timeout=self.timeout.for_attempt(self.deadline)
            )
        elif http.closed:
            raise SessionClosedError("the HTTP session lent to this session was closed")
        if pool.held is None:
            pool.held = self.dialect.secrets()
            live_secrets.hold(*pool.held)
        return http

    def secrets_changed(self) -> None:
        """The dialect's credentials changed (login, refresh, logout): hold the new ones."""
        pool = self._pool
        if pool.held is None or pool.closed:
            return  # not holding yet (opening will) or not any more
        current = self.dialect.secrets()
        live_secrets.swap(pool.held, current)
        pool.held = current

    async def close(self) -> None:
        """Stop sending, release the secrets and close the pool if it is ours. Idempotent.

        A view (see :meth:`with_options`) closes nothing: the transport it came from does.
        """
        pool = self._pool
        if pool.closed or self._is_view:
            return
        pool.closed = True
        if pool.held is not None:
            live_secrets.release(*pool.held)
            pool.held = ()
        if pool.http is not None and pool.owns_http and not pool.http.closed:
            await pool.http.close()

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
            if self._pool.bucket is not None:
                await self._throttle(endpoint)
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
                notice = self._retry_notice(endpoint, exc, attempt)
                if notice is None:
                    raise
                attempt += 1
                if self.clock() + notice.delay >= due:  # a wait that would end past the deadline
                    raise self._deadline_passed(endpoint, attempt) from exc
                self._announce(notice)
            await self.sleep(notice.delay)

    async def _throttle(self, endpoint: Endpoint) -> None:
        """Wait for a slot of the client-side rate limit; count and log a wait."""
        assert self._pool.bucket is not None
        waited = await self._pool.bucket.acquire()
        if waited > 0:
            stats = self._pool.stats
            stats.throttled += 1
            stats.throttled_seconds += waited
            log.debug("%s: held %.3f s by the client-side rate limit", endpoint.name, waited)

    def _retry_notice(
        self, endpoint: Endpoint, exc: ClubhouseError, attempt: int
    ) -> RetryNotice | None:
        """The retry to make after ``exc`` (its reason and wait); None: give up."""
        if isinstance(exc, RateLimitedError) and exc.status == 429:
            stats = self._pool.stats
            stats.rate_limited += 1
            if exc.retry_after is not None:
                stats.last_retry_after = exc.retry_after
        retry = self._retry_delay(endpoint, exc, attempt)
        if retry is None:
            return None
        reason, delay = retry
        return RetryNotice(
            endpoint=endpoint.name,
            reason=reason,
            retry=attempt + 1,
            max_retries=self.retry.max_retries,
            delay=delay,
            status=exc.status,
            retry_after=exc.retry_after if isinstance(exc, RateLimitedError) else None,
        )

    def _retry_delay(
        self, endpoint: Endpoint, exc: ClubhouseError, attempt: int
    ) -> tuple[RetryReason, float] | None:
        """Why and how long to wait before sending ``endpoint`` again; None: give up."""
        if attempt >= self.retry.max_retries:
            return None
        if isinstance(exc, RateLimitedError):
            # The service refused before doing anything: always safe to repeat.
            if exc.retry_after is None:
                return "rate_limited", self.retry.backoff(attempt)
            if exc.retry_after > self.retry.max_retry_after:
                return None
            return "rate_limited", exc.retry_after
        if isinstance(exc, ServerError):
            return ("server_error", self.retry.backoff(attempt)) if endpoint.idempotent else None
        if isinstance(exc, ClubhouseTimeoutError):
            return ("timeout", self.retry.backoff(attempt)) if endpoint.idempotent else None
        if isinstance(exc, ClubhouseConnectionError):
            never_sent = isinstance(exc.__cause__, aiohttp.ClientConnectorError)
            if endpoint.idempotent or never_sent:
                return "connection", self.retry.backoff(attempt)
        return None

    def _announce(self, notice: RetryNotice) -> None:
        """Count the retry, log it at INFO and tell the hook (whose errors are logged)."""
        stats = self._pool.stats
        stats.retries[notice.reason] = stats.retries.get(notice.reason, 0) + 1
        stats.retry_seconds += notice.delay
        log.info("retrying %s", notice.describe())
        if self.on_retry is not None:
            try:
                self.on_retry(notice)
            except Exception:
                log.exception("the on_retry hook failed for %s", notice.endpoint)

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
        # Per request, so it applies whoever owns the pool (a lent one has its own default).
        timeout = self.timeout.for_attempt(remaining)
        kwargs: dict[str, Any] = {
            "headers": headers,
            "allow_redirects": False,  # the APIs never redirect: see UnexpectedRedirectError
            "timeout": timeout,
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
        self._pool.stats.requests += 1
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
                _timed_out(timeout, time.monotonic() - started, exc), endpoint=endpoint.name
            ) from exc
        except aiohttp.ClientError as exc:
            said = f"{type(exc).__name__}: {exc}"
            shown = self._scrub(said)
            broken = ClubhouseConnectionError(shown, endpoint=endpoint.name)
            # aiohttp's error is chained for what it tells (refused, unknown host, ...)
            # unless it names a secret, as one quoting the URL with its query string does.
            raise broken from (
                exc if shown == said and self._scrub(repr(exc)) == repr(exc) else None
            )
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
