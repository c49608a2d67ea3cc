"""Getting an ``oauth_token``: Clarity's OAuth2 code flow (a subset of draft 10).

1. Send the member's browser to :func:`authorize_url`; Clarity redirects it back to
   the application's registered callback with ``?code=...``.
2. Trade the code with :func:`exchange_code`: a POST to the same ``/oauth/authorize``
   path with every parameter in the query string. The response body is the token.

The client secret, the code and the token never appear in logs or error messages, and
a redirect is never followed (it would carry the code elsewhere): a 3xx answer raises
:class:`~aioclubhouse.errors.UnexpectedRedirectError`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import aiohttp

from ..errors import (
    ClubhouseConnectionError,
    ClubhouseTimeoutError,
    DecodeError,
    InvalidArgumentError,
    UnexpectedRedirectError,
)
from ..redaction import get_logger, live_secrets, scrub
from ..validation import non_empty
from .dialect import USER_AGENT, clarity_error

__all__ = ["AUTHORIZE_PATH", "EXCHANGE_TIMEOUT", "OAUTH_BASE", "authorize_url", "exchange_code"]

OAUTH_BASE = "https://clarity.fm/"
AUTHORIZE_PATH = "oauth/authorize"
ENDPOINT_NAME = "oauth_authorize"
EXCHANGE_TIMEOUT = 30.0
log = get_logger("aioclubhouse.clarity.oauth")


def _endpoint(base: str) -> str:
    if not isinstance(base, str) or urlsplit(base).scheme not in ("http", "https"):
        raise InvalidArgumentError("base", "must be an http(s) URL such as 'https://clarity.fm/'")
    return (base if base.endswith("/") else base + "/") + AUTHORIZE_PATH


def authorize_url(
    client_id: str, redirect_uri: str | None = None, *, base: str = OAUTH_BASE
) -> str:
    """Where to send a member's browser to approve the application."""
    params = {"client_id": non_empty(client_id, "client_id"), "response_type": "code"}
    if redirect_uri is not None:
        if not isinstance(redirect_uri, str) or urlsplit(redirect_uri).scheme not in (
            "http",
            "https",
        ):
            raise InvalidArgumentError("redirect_uri", "must be an http(s) URL")
        params["redirect_uri"] = redirect_uri
    return f"{_endpoint(base)}?{urlencode(params)}"


async def exchange_code(
    client_id: str,
    client_secret: str,
    code: str,
    *,
    http_session: aiohttp.ClientSession | None = None,
    base: str = OAUTH_BASE,
) -> str:
    """Trade an authorization ``code`` for an ``oauth_token``.

    The code can be used once, so the request is never retried. ``http_session`` is
    borrowed if given (and left open, its own timeout applying); otherwise a session
    is opened for this call, with a timeout of :data:`EXCHANGE_TIMEOUT` seconds.
    """
    url = _endpoint(base)
    params = {
        "client_id": non_empty(client_id, "client_id"),
        "client_secret": non_empty(client_secret, "client_secret"),
        "code": non_empty(code, "code"),
        "grant_type": "authorization_code",
    }
    secrets = (client_secret, code)
    live_secrets.hold(*secrets)
    headers = {"Accept": "application/json, text/plain", "User-Agent": USER_AGENT}
    session = http_session or aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=EXCHANGE_TIMEOUT)
    )
    try:
        async with session.post(
            url, params=params, headers=headers, allow_redirects=False
        ) as response:
            status = response.status
            location = response.headers.get("Location")
            raw = await response.read()
            content_type = response.content_type
    except TimeoutError:
        raise ClubhouseTimeoutError(
            "no answer to the code exchange", endpoint=ENDPOINT_NAME
        ) from None
    except aiohttp.ClientError as exc:
        # The exception may quote the URL, whose query holds the secret: keep only a
        # scrubbed message and drop the original from the chain.
        raise ClubhouseConnectionError(
            scrub(f"{type(exc).__name__}: {exc}", secrets), endpoint=ENDPOINT_NAME
        ) from None
    finally:
        live_secrets.release(*secrets)
        if http_session is None:
            await session.close()
    if 300 <= status < 400:
        shown = scrub(location, secrets) if location else "no location"
        raise UnexpectedRedirectError(
            f"the code exchange answered HTTP {status} redirecting to {shown}; not followed",
            location=scrub(location, secrets) if location else None,
            endpoint=ENDPOINT_NAME,
            status=status,
        )
    text = raw.decode("utf-8", "replace").strip()
    if status >= 400:
        raise clarity_error(status, _error_body(scrub(text, secrets)), ENDPOINT_NAME)
    token = _token_from_body(text, content_type)
    log.debug("exchanged an authorization code for client %s", client_id)
    return token


def _error_body(text: str) -> Any:
    """The decoded error body; a text that is not JSON is kept (shortened) as the message."""
    try:
        return json.loads(text)
    except ValueError:
        return {"message": text[:200]} if text else {}


def _token_from_body(text: str, content_type: str) -> str:
    """The token from a plain-text body, or from a JSON or form-encoded one if so sent."""
    token: Any = text
    if content_type == "application/json" or text.startswith("{"):
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        token = _first_of(body, ("oauth_token", "access_token")) if isinstance(body, dict) else None
    elif "=" in text:
        fields = parse_qs(text)
        for key in ("oauth_token", "access_token"):
            if fields.get(key):
                token = fields[key][0]
                break
    if not isinstance(token, str) or not token or any(c.isspace() for c in token):
        raise DecodeError(
            "the token response did not contain an oauth_token",
            endpoint=ENDPOINT_NAME,
            status=200,
        )
    return token


def _first_of(body: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if key in body:
            return body[key]
    return None
