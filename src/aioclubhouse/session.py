"""ClubhouseSession: every Clubhouse endpoint as a coroutine, over one HTTP pool.

Use it as an async context manager. It owns one pooled ``aiohttp.ClientSession``
(or borrows the caller's, which it then never closes) and one set of credentials.
"""

from __future__ import annotations

import os
import warnings
from types import TracebackType
from typing import Any

import aiohttp

from .auth import AuthMode, Credentials
from .endpoints.account import AccountEndpoints
from .endpoints.chat import ChatEndpoints
from .endpoints.clubs import ClubEndpoints
from .endpoints.events import EventEndpoints
from .endpoints.invites import InviteEndpoints
from .endpoints.notifications import NotificationEndpoints
from .endpoints.rooms import RoomEndpoints
from .endpoints.topics import TopicEndpoints
from .endpoints.users import UserEndpoints
from .errors import ClubhouseError
from .identity import AppIdentity
from .ratelimit import RateLimit
from .transport import DEFAULT_BASE_URL, DEFAULT_RATE_LIMIT, RetryPolicy, Transport

__all__ = ["ClubhouseSession"]



class ClubhouseSession(
    AccountEndpoints,
    UserEndpoints,
    InviteEndpoints,
    TopicEndpoints,
    NotificationEndpoints,
    RoomEndpoints,
    EventEndpoints,
    ClubEndpoints,
    ChatEndpoints,
):
    """An authenticated (or about to be) connection to the Clubhouse API.

    ``rate_limit=None`` turns the client-side rate limit off; ``http_session`` lends
    an existing ``aiohttp.ClientSession`` that this object will not close.
    """

    def __init__(
        self,
        credentials: Credentials | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        identity: AppIdentity | None = None,
        http_session: aiohttp.ClientSession | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        auth_mode: AuthMode | None = None,
        credentials_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self.credentials = credentials if credentials is not None else Credentials()
        if auth_mode is not None:
            self.credentials.auth_mode = auth_mode
        self.identity = identity or AppIdentity()
        self.credentials_path = credentials_path
        self._transport = Transport(
            base_url=base_url,
            credentials=self.credentials,
            identity=self.identity,
            http_session=http_session,
            timeout=timeout,
            retry=retry,
            rate_limit=rate_limit,
        )
        self._transport.refresher = self._refresh_access_token
        self._closed = False

    @classmethod
    def from_file(
        cls, path: str | os.PathLike[str] | None = None, **kwargs: Any
    ) -> ClubhouseSession:
        """A session for the credentials saved at ``path`` (default: the user config dir).

        Tokens renewed during the session are written back to the same file.
        """
        return cls(Credentials.load(path), credentials_path=path, **kwargs)

    def save_credentials(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the current credentials (0600) to ``path`` or where they came from."""
        self.credentials.save(path if path is not None else self.credentials_path)

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def user_id(self) -> int | None:
        return self.credentials.user_id

    @property
    def closed(self) -> bool:
        return self._closed

    async def __aenter__(self) -> ClubhouseSession:
        self._transport.http()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __enter__(self) -> None:
        raise TypeError("ClubhouseSession is asynchronous: use 'async with ClubhouseSession(...)'")

    def __exit__(self, *args: object) -> None:  # pragma: no cover - __enter__ always raises
        return None

    async def close(self) -> None:
        """Close the HTTP pool (unless it was lent to us). Safe to call twice."""
        self._closed = True
        await self._transport.close()

    def __del__(self) -> None:
        transport = getattr(self, "_transport", None)
        http = getattr(transport, "_http", None)
        if http is not None and transport is not None and transport._owns_http and not http.closed:
            warnings.warn(
                f"Unclosed {type(self).__name__}: use 'async with' or 'await session.close()'",
                ResourceWarning,
                stacklevel=2,
            )

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} user_id={self.credentials.user_id!r} "
            f"base_url={self.base_url!r} closed={self._closed}>"
        )

    # -- bearer-mode renewal ---------------------------------------------------------
    async def _refresh_access_token(self) -> bool:
        """Renew the JWT access token once; False if there is nothing to renew with."""
        if self.credentials.auth_mode != "bearer" or not self.credentials.refresh_token:
            return False
        try:
            await self.refresh_token()
        except ClubhouseError:
            return False
        if self.credentials_path is not None:
            self.save_credentials()
        return True


