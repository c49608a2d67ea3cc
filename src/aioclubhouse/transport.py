"""The request pipeline: headers, rate limit, retries, error mapping, redaction.

It knows nothing about individual endpoints beyond their :class:`Endpoint` row: it
sends one request and returns the decoded JSON object, or raises a typed error.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
import attrs

from .auth import Credentials
from .endpoints.registry import Endpoint
from .errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    BannedError,
    ClubhouseConnectionError,
    ClubhouseTimeoutError,
    DecodeError,
    ForbiddenError,
    InvalidArgumentError,
    NotFoundError,
    RateLimitedError,
    RoomNotAvailableError,
    ServerError,
    SessionClosedError,
    TokenExpiredError,
    WaitlistedError,
)
from .identity import AppIdentity
from .ratelimit import RateLimit, TokenBucket
from .redaction import get_logger, live_secrets, scrub

__all__ = ["DEFAULT_BASE_URL", "RetryPolicy", "Transport", "error_from_response"]

DEFAULT_BASE_URL = "https://www.clubhouseapi.com/api/"
DEFAULT_RATE_LIMIT = RateLimit()
BANNED_DETAIL = "You do not have permission to perform this action."
log = get_logger("aioclubhouse.transport")
_sleep = asyncio.sleep  # indirection so tests can observe backoff without waiting

JSONObject = dict[str, Any]
# Called with the access token a request was refused with; True when a fresh one is in place.
Refresher = Callable[[str | None], Awaitable[bool]]


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


def _server_message(body: Any) -> str:
    if isinstance(body, Mapping):
        for key in ("error_message", "detail", "message"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    return ""


def error_from_response(
    status: int, body: Any, endpoint: str, retry_after: float | None = None
) -> APIError:
    """Map an error answer (status + decoded body) to the right exception type."""
    message = _server_message(body)
    lowered = message.lower()
    kwargs: dict[str, Any] = {"endpoint": endpoint, "status": status, "body": body}
    code = body.get("code") if isinstance(body, Mapping) else None
    if status == 401:
        if code == "token_not_valid":
            return TokenExpiredError(message or "token is invalid or expired", **kwargs)
        return AuthenticationError(message or "authentication failed", **kwargs)
    if "waitlist" in lowered:
        return WaitlistedError(message, **kwargs)
    if status == 403:
        if message == BANNED_DETAIL:
            return BannedError(message, **kwargs)
        return ForbiddenError(message or "forbidden", **kwargs)
    if status == 404:
        return NotFoundError(message or "not found", **kwargs)
    if status == 429:
        return RateLimitedError(
            message or "rate limited by the service", retry_after=retry_after, **kwargs
        )
    if status >= 500:
        return ServerError(message or f"server error {status}", **kwargs)
    if "no longer available" in lowered or "room is not available" in lowered:
        return RoomNotAvailableError(message, **kwargs)
    return BadRequestError(message or f"request failed (HTTP {status})", **kwargs)


class Transport:
    """Sends requests for one credential over one pooled ``aiohttp.ClientSession``."""

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        credentials: Credentials,
        identity: AppIdentity,
        http_session: aiohttp.ClientSession | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.credentials = credentials
        self.identity = identity
        self.retry = retry or RetryPolicy()
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._bucket = TokenBucket(rate_limit) if rate_limit is not None else None
        self._http = http_session
        self._owns_http = http_session is None
        self._static_headers = identity.headers()
        self.refresher: Refresher | None = None
        live_secrets.hold(*credentials.secrets())

    # -- lifecycle -----------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return self._http is not None and self._http.closed

    def http(self) -> aiohttp.ClientSession:
        """The pooled HTTP session, created on first use inside the running loop."""
        if self._http is not None and self._http.closed:
            raise SessionClosedError("the session is closed; create a new one")
        if self._http is None:
            connector = aiohttp.TCPConnector(limit=100, ttl_dns_cache=300)
            self._http = aiohttp.ClientSession(connector=connector, timeout=self.timeout)
        return self._http

    async def close(self) -> None:
        if self._http is not None and self._owns_http and not self._http.closed:
            await self._http.close()

    # -- headers ---------------------------------------------------------------------
    def headers(self, endpoint: Endpoint) -> dict[str, str]:
        creds = self.credentials
        headers = dict(self._static_headers)
        headers["CH-DeviceId"] = creds.device_id
        if endpoint.auth and creds.user_id is not None:
            headers["CH-UserID"] = str(creds.user_id)
            if creds.auth_mode == "bearer" and creds.access_token:
                headers["Authorization"] = f"Bearer {creds.access_token}"
            elif creds.auth_token:
                headers["Authorization"] = f"Token {creds.auth_token}"
        else:
            headers["CH-UserID"] = "(null)"
        return headers

    def authorize_query(
        self, endpoint: Endpoint, query: Mapping[str, Any] | None
    ) -> Mapping[str, Any] | None:
        """Add credentials to the query string; Clubhouse sends them as headers instead."""
        return query

    def remember_secrets(self) -> None:
        """Register the current tokens with the log scrubber (after login or refresh)."""
        live_secrets.hold(*self.credentials.secrets())

    def _scrub(self, text: str) -> str:
        return scrub(text, self.credentials.secrets())

    # -- sending ---------------------------------------------------------------------
    async def request(
        self,
        endpoint: Endpoint,
        *,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        form: Callable[[], aiohttp.FormData] | None = None,
        path: str | None = None,
    ) -> JSONObject:
        """Send one logical request, retrying what is safe to retry.

        ``form`` is a factory (a FormData can be sent only once) for multipart uploads;
        ``path`` overrides the endpoint's own path (for paths with ids in them).
        """
        attempt = 0
        refreshed = False
        while True:
            if self._bucket is not None:
                await self._bucket.acquire()
            sent_with = self.credentials.access_token
            try:
                return await self._send_once(endpoint, query, body, form, path)
            except AuthenticationError:
                # Bearer mode: a 401 means the JWT expired; renew it once and resend.
                if (
                    self.credentials.auth_mode != "bearer"
                    or self.refresher is None
                    or refreshed
                    or endpoint.name == "refresh_token"
                ):
                    raise
                refreshed = True
                if not await self.refresher(sent_with):
                    raise
                continue
            except RateLimitedError as exc:
                # The service refused before doing anything: always safe to repeat.
                delay = exc.retry_after if exc.retry_after is not None else self.retry.backoff(
                    attempt
                )
                if attempt >= self.retry.max_retries or delay > self.retry.max_retry_after:
                    raise
            except (ServerError, ClubhouseTimeoutError) as exc:
                if not endpoint.idempotent or attempt >= self.retry.max_retries:
                    raise
                delay = self.retry.backoff(attempt)
                log.debug("retrying %s after %s", endpoint.name, type(exc).__name__)
            except ClubhouseConnectionError as exc:
                never_sent = isinstance(exc.__cause__, aiohttp.ClientConnectorError)
                if not (endpoint.idempotent or never_sent) or attempt >= self.retry.max_retries:
                    raise
                delay = self.retry.backoff(attempt)
            attempt += 1
            await _sleep(delay)

    async def _send_once(
        self,
        endpoint: Endpoint,
        query: Mapping[str, Any] | None,
        body: Mapping[str, Any] | None,
        form: Callable[[], aiohttp.FormData] | None,
        path: str | None = None,
    ) -> JSONObject:
        url = self.base_url + (path if path is not None else endpoint.path)
        headers = self.headers(endpoint)
        query = self.authorize_query(endpoint, query)
        kwargs: dict[str, Any] = {"headers": headers}
        if query:
            kwargs["params"] = {k: _query_value(v) for k, v in query.items() if v is not None}
        if form is not None:
            kwargs["data"] = form()
        elif endpoint.method == "POST" and body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
            try:
                kwargs["data"] = json.dumps(body, separators=(",", ":"))
            except (TypeError, ValueError) as exc:
                problem = f"cannot be sent as JSON: {exc}"
                raise InvalidArgumentError(endpoint.name, problem) from None
        started = time.monotonic()
        try:
            async with self.http().request(endpoint.method, url, **kwargs) as response:
                raw = await response.read()
                status = response.status
                content_type = response.content_type
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
        except TimeoutError as exc:
            raise ClubhouseTimeoutError(
                f"no answer within {self.timeout.total} s", endpoint=endpoint.name
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
        if status >= 400:
            raise error_from_response(status, payload, endpoint.name, retry_after)
        if not isinstance(payload, dict):
            raise DecodeError(
                f"expected a JSON object, got {type(payload).__name__}",
                endpoint=endpoint.name,
                status=status,
                body=payload,
            )
        if payload.get("success") is False:
            raise error_from_response(status, payload, endpoint.name, retry_after)
        return payload

    def _decode(
        self,
        endpoint: Endpoint,
        status: int,
        raw: bytes,
        content_type: str,
        retry_after: float | None = None,
    ) -> Any:
        try:
            return json.loads(raw) if raw else {}
        except (ValueError, UnicodeDecodeError):
            snippet = self._scrub(raw[:200].decode("utf-8", "replace"))
            if status >= 500:
                raise ServerError(
                    f"server error {status} ({content_type or 'no content type'})",
                    endpoint=endpoint.name,
                    status=status,
                    body=snippet,
                ) from None
            if status == 429:
                raise RateLimitedError(
                    "rate limited by the service",
                    retry_after=retry_after,
                    endpoint=endpoint.name,
                    status=status,
                ) from None
            raise DecodeError(
                f"response is not JSON ({content_type or 'no content type'}): {snippet!r}",
                endpoint=endpoint.name,
                status=status,
                body=snippet,
            ) from None


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

