"""How the Clubhouse API speaks HTTP: its dialect of the SDK's neutral core.

Four things are Clubhouse's own. Every request carries the app identity (build, version,
user agent, locale) and the ``CH-DeviceId``. Once logged in, *every* request also carries
``CH-UserID`` and ``Authorization: Token ...`` (or ``Bearer`` with a JWT), as the apps'
interceptors do, the calls that also work logged out included (docs/protocol.md B.1);
logged out, ``CH-UserID`` is what the identity's platform sends then (``(null)`` on iOS,
nothing on Android). Every answer is a JSON object,
and one saying ``"success": false`` is a failure even with HTTP 200. Error answers are
told apart by the service's own words: the blanket 403 refusal that means a ban, any
mention of the waitlist, a room "no longer available", and ``token_not_valid`` for an
expired JWT. In bearer mode a refused JWT is renewed once, through the ``renewer`` the
session hands in (it knows the ``refresh_token`` endpoint; this module does not).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from . import jsonparse
from .auth import Credentials
from .endpoint_table import Endpoint
from .errors import (
    APIError,
    BannedError,
    ClubhouseError,
    DecodeError,
    RoomNotAvailableError,
    TokenExpiredError,
    WaitlistedError,
)
from .identity import AppIdentity
from .transport import Secrets, status_error

__all__ = ["BANNED_DETAIL", "DEFAULT_BASE_URL", "ClubhouseDialect", "error_from_response"]

DEFAULT_BASE_URL = "https://www.clubhouseapi.com/api/"
BANNED_DETAIL = "You do not have permission to perform this action."
REFRESH_ENDPOINT = "refresh_token"

Renewer = Callable[[Secrets], Awaitable[bool]]
"""Renews the JWT after a request sent with the given secrets was refused."""


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
    """Map a Clubhouse error answer (status + decoded body) to the right exception type."""
    message = _server_message(body)
    lowered = message.lower()
    kwargs: dict[str, Any] = {"endpoint": endpoint, "status": status, "body": body}
    if status == 401:
        code = body.get("code") if isinstance(body, Mapping) else None
        if code == "token_not_valid":
            return TokenExpiredError(message or "token is invalid or expired", **kwargs)
    elif "waitlist" in lowered:
        return WaitlistedError(message, **kwargs)
    elif status == 403 and message == BANNED_DETAIL:
        return BannedError(message, **kwargs)
    elif (
        status < 500
        and status not in (403, 404, 429)
        and ("no longer available" in lowered or "room is not available" in lowered)
    ):
        return RoomNotAvailableError(message, **kwargs)
    return status_error(status, message, endpoint=endpoint, body=body, retry_after=retry_after)


class ClubhouseDialect:
    """Headers, failures and errors as the Clubhouse service and its apps have them."""

    def __init__(
        self,
        credentials: Credentials,
        identity: AppIdentity,
        *,
        renewer: Renewer | None = None,
    ) -> None:
        self.credentials = credentials
        self.identity = identity
        self._identity_headers = identity.headers()
        self._renewer = renewer

    def prepare(self, endpoint: Endpoint, headers: dict[str, str], params: dict[str, str]) -> None:
        # The endpoint row plays no part: whether credentials go out depends only on
        # whether there is a login (an endpoint without a login is refused by the service).
        creds = self.credentials
        headers.update(self._identity_headers)
        headers["CH-DeviceId"] = creds.device_id
        authorization = self._authorization()
        if authorization is not None and creds.user_id is not None:
            headers["CH-UserID"] = str(creds.user_id)
            headers["Authorization"] = authorization
        elif self.identity.logged_out_user_id is not None:
            headers["CH-UserID"] = self.identity.logged_out_user_id

    def _authorization(self) -> str | None:
        """The ``Authorization`` value of the current login, or None when logged out."""
        creds = self.credentials
        if creds.auth_mode == "bearer" and creds.access_token:
            return f"Bearer {creds.access_token}"
        if creds.auth_token:
            return f"Token {creds.auth_token}"
        return None

    def parse(self, raw: bytes) -> Any:
        return jsonparse.loads(raw)

    def error_for(
        self, endpoint: Endpoint, status: int, body: Any, retry_after: float | None
    ) -> ClubhouseError | None:
        if status >= 400:
            return error_from_response(status, body, endpoint.name, retry_after)
        if not isinstance(body, dict):
            return DecodeError(
                f"expected a JSON object, got {type(body).__name__}",
                endpoint=endpoint.name,
                status=status,
                body=body,
            )
        if body.get("success") is False:
            return error_from_response(status, body, endpoint.name, retry_after)
        return None

    def secrets(self) -> Secrets:
        return self.credentials.secrets()

    async def renew(self, endpoint: Endpoint, refused: Secrets) -> bool:
        # Only a JWT expires; the auth token of token mode is refused for good.
        if (
            self.credentials.auth_mode != "bearer"
            or self._renewer is None
            or endpoint.name == REFRESH_ENDPOINT
        ):
            return False
        return await self._renewer(refused)
