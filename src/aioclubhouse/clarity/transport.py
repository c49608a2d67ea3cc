"""The SDK's request pipeline, adapted to the Clarity API.

Clarity differs from Clubhouse in three ways that matter here: the credential is an
``oauth_token`` query parameter rather than a header, list endpoints answer with a
bare JSON array, and error bodies are undocumented (an ``error`` field is read as the
message). Retries, the rate limit, error mapping and redaction are the shared ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp

from .. import __version__
from ..auth import Credentials
from ..endpoints.registry import Endpoint
from ..errors import DecodeError, InvalidArgumentError
from ..identity import AppIdentity
from ..ratelimit import RateLimit
from ..redaction import live_secrets, scrub
from ..transport import DEFAULT_RATE_LIMIT, RetryPolicy, Transport
from .loose_json import loads_loose

__all__ = ["DEFAULT_CLARITY_URL", "LIST_KEY", "USER_AGENT", "ClarityTransport", "unwrap_list"]

DEFAULT_CLARITY_URL = "https://api.clarity.fm/v1/"
USER_AGENT = f"aioclubhouse/{__version__}"
LIST_KEY = "__list__"
"""Key under which a top-level JSON array is handed back (the core pipeline returns objects)."""


def check_token(value: object) -> str | None:
    """An ``oauth_token`` must be None or a non-empty string without spaces."""
    if value is None:
        return None
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        raise InvalidArgumentError("oauth_token", "must be a non-empty string without spaces")
    return value


def unwrap_list(payload: Mapping[str, Any]) -> list[Any] | None:
    """The array a list endpoint answered with, or None if it answered with an object."""
    items = payload.get(LIST_KEY)
    return items if isinstance(items, list) else None


class ClarityTransport(Transport):
    """Sends Clarity requests, with the ``oauth_token`` in each query string."""

    def __init__(
        self,
        oauth_token: str | None = None,
        *,
        base_url: str = DEFAULT_CLARITY_URL,
        http_session: aiohttp.ClientSession | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
    ) -> None:
        super().__init__(
            base_url=base_url,
            credentials=Credentials(),
            identity=AppIdentity(),
            http_session=http_session,
            timeout=timeout,
            retry=retry,
            rate_limit=rate_limit,
        )
        self._oauth_token: str | None = None
        self.oauth_token = oauth_token

    @property
    def oauth_token(self) -> str | None:
        return self._oauth_token

    @oauth_token.setter
    def oauth_token(self, value: str | None) -> None:
        self._oauth_token = check_token(value)
        live_secrets.hold(self._oauth_token)

    # -- what goes on the wire -------------------------------------------------------------
    def headers(self, endpoint: Endpoint) -> dict[str, str]:
        return {"Accept": "application/json", "User-Agent": USER_AGENT}

    def authorize_query(
        self, endpoint: Endpoint, query: Mapping[str, Any] | None
    ) -> Mapping[str, Any] | None:
        if not endpoint.auth or self._oauth_token is None:
            return query
        return {**(query or {}), "oauth_token": self._oauth_token}

    # -- redaction -------------------------------------------------------------------------
    def remember_secrets(self) -> None:
        super().remember_secrets()
        live_secrets.hold(self._oauth_token)

    def _scrub(self, text: str) -> str:
        return scrub(text, (*self.credentials.secrets(), self._oauth_token))

    # -- what comes back -------------------------------------------------------------------
    def _decode(
        self,
        endpoint: Endpoint,
        status: int,
        raw: bytes,
        content_type: str,
        retry_after: float | None = None,
    ) -> Any:
        try:
            payload = super()._decode(endpoint, status, raw, content_type, retry_after)
        except DecodeError as error:
            try:
                payload = loads_loose(raw)
            except (ValueError, UnicodeDecodeError):
                raise error from None
        if isinstance(payload, list):
            return {LIST_KEY: payload}
        if status >= 400 and isinstance(payload, dict):
            return _with_message(payload)
        return payload


def _with_message(body: dict[str, Any]) -> dict[str, Any]:
    """Copy a Rails-style ``error``/``errors`` text into ``message`` for the error mapper."""
    if isinstance(body.get("message"), str):
        return body
    for key in ("error_description", "error", "errors"):
        value = body.get(key)
        if isinstance(value, list):
            value = "; ".join(str(item) for item in value)
        if isinstance(value, str) and value:
            return {**body, "message": value}
    return body
