"""How the Clarity API speaks HTTP: its dialect of the SDK's neutral core.

Clarity differs from Clubhouse in every way a dialect can. The credential is an
``oauth_token`` query parameter rather than a header, and the only headers are
``Accept`` and a plain SDK user agent. List endpoints answer with a bare JSON array,
and the messages endpoints' documented answers are not quite JSON (keys without
quotes, a closing bracket of the wrong kind), so a body the strict parser refuses is
read again by :func:`~.loose_json.loads_loose`, which repairs exactly those two. A
failure is an HTTP error status and nothing else; its body is Rails-style, with the
text under ``message``, ``error``, ``error_description`` or a list of ``errors``.
Tokens do not expire, so nothing is ever renewed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .. import __version__
from ..endpoint_table import Endpoint
from ..errors import APIError, ClubhouseError
from ..redaction import get_logger
from ..transport import Secrets, status_error
from . import checks
from .loose_json import loads_loose

__all__ = ["DEFAULT_CLARITY_URL", "USER_AGENT", "ClarityDialect", "clarity_error"]

DEFAULT_CLARITY_URL = "https://api.clarity.fm/v1/"
USER_AGENT = f"aioclubhouse/{__version__}"
log = get_logger("aioclubhouse.clarity")


def error_message(body: Any) -> str:
    """The human text of a Rails-style (or OAuth) error body, or ``""``."""
    if not isinstance(body, Mapping):
        return ""
    for key in ("message", "error_description", "error", "errors"):
        value = body.get(key)
        if isinstance(value, list):
            value = "; ".join(str(item) for item in value)
        if isinstance(value, str) and value:
            return value
    return ""


def clarity_error(
    status: int, body: Any, endpoint: str, retry_after: float | None = None
) -> APIError:
    """The exception a Clarity error answer stands for (plain HTTP semantics)."""
    return status_error(
        status, error_message(body), endpoint=endpoint, body=body, retry_after=retry_after
    )


class ClarityDialect:
    """The ``oauth_token`` in the query string, Rails-style errors, lenient JSON."""

    def __init__(self, oauth_token: str | None = None) -> None:
        self._oauth_token = checks.oauth_token(oauth_token)

    @property
    def oauth_token(self) -> str | None:
        return self._oauth_token

    @oauth_token.setter
    def oauth_token(self, value: str | None) -> None:
        self._oauth_token = checks.oauth_token(value)

    def prepare(self, endpoint: Endpoint, headers: dict[str, str], params: dict[str, str]) -> None:
        headers["Accept"] = "application/json"
        headers["User-Agent"] = USER_AGENT
        if endpoint.auth and self._oauth_token is not None:
            params["oauth_token"] = self._oauth_token

    def parse(self, raw: bytes) -> Any:
        try:
            return json.loads(raw)
        except ValueError:
            payload = loads_loose(raw)
        log.debug("read a body that is not strict JSON after repairing it")
        return payload

    def error_for(
        self, endpoint: Endpoint, status: int, body: Any, retry_after: float | None
    ) -> ClubhouseError | None:
        if status >= 400:
            return clarity_error(status, body, endpoint.name, retry_after)
        return None

    def secrets(self) -> Secrets:
        return (self._oauth_token,)

    async def renew(self, endpoint: Endpoint, refused: Secrets) -> bool:
        return False
