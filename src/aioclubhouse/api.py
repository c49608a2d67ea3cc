"""ClubhouseAPI: every Clubhouse endpoint as a coroutine, over one HTTP pool.

It owns one pooled ``aiohttp.ClientSession`` (or borrows the caller's, which it then
never closes) and one set of credentials, and composes the endpoint groups (one mixin
per area; their contract is in :mod:`aioclubhouse.endpoints.base`) over a transport
speaking the Clubhouse dialect. It knows nothing of rooms: the rooms layer is written
against it, and :class:`~aioclubhouse.session.ClubhouseSession`, the class programs
use, adds the realtime side on top, so imports flow one way.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Self

import aiohttp

from .answers import DEFAULT_MAX_BODY_BYTES
from .auth import AuthMode, Credentials, default_credentials_path
from .dialect import DEFAULT_BASE_URL, ClubhouseDialect
from .endpoints.account import AccountEndpoints
from .endpoints.chat import ChatEndpoints
from .endpoints.clubs import ClubEndpoints
from .endpoints.invites import InviteEndpoints
from .endpoints.notifications import NotificationEndpoints
from .endpoints.rooms import RoomEndpoints
from .endpoints.scheduled_events import ScheduledEventEndpoints
from .endpoints.topics import TopicEndpoints
from .endpoints.users import UserEndpoints
from .errors import ClubhouseError
from .identity import AppIdentity
from .ratelimit import RateLimit
from .transport import (
    DEFAULT_DEADLINE,
    DEFAULT_RATE_LIMIT,
    DEFAULT_TIMEOUT,
    RetryPolicy,
    Secrets,
    Sleep,
    Transport,
)

__all__ = ["ClubhouseAPI"]


class ClubhouseAPI(
    AccountEndpoints,
    UserEndpoints,
    InviteEndpoints,
    TopicEndpoints,
    NotificationEndpoints,
    RoomEndpoints,
    ScheduledEventEndpoints,
    ClubEndpoints,
    ChatEndpoints,
):
    """An authenticated (or about to be) connection to the Clubhouse HTTP API.

    ``rate_limit=None`` turns the client-side rate limit off; ``http_session`` lends
    an existing ``aiohttp.ClientSession`` that this object will not close; ``sleep``
    is how retries and the rate limit wait (``asyncio.sleep`` unless a test records).
    ``timeout`` bounds one attempt, ``deadline`` the whole call with its retries and
    waits, and ``max_body_bytes`` the length of an answer after decompression.
    """

    def __init__(
        self,
        credentials: Credentials | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        identity: AppIdentity | None = None,
        http_session: aiohttp.ClientSession | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        auth_mode: AuthMode | None = None,
        credentials_path: str | os.PathLike[str] | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.identity = identity or AppIdentity()
        if credentials is None:  # a new login gets a device id in the identity's form
            credentials = Credentials(device_id=self.identity.new_device_id())
        if auth_mode is not None:
            credentials.auth_mode = auth_mode
        self.credentials_path = credentials_path
        self._refresh_lock = asyncio.Lock()
        dialect = ClubhouseDialect(credentials, self.identity, renewer=self._renew_access_token)
        transport = Transport(
            dialect,
            base_url=base_url,
            http_session=http_session,
            timeout=timeout,
            deadline=deadline,
            max_body_bytes=max_body_bytes,
            retry=retry,
            rate_limit=rate_limit,
            sleep=sleep,
        )
        super().__init__(transport, credentials, self.identity)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str] | None = None, **kwargs: Any) -> Self:
        """A session for the credentials saved at ``path`` (default: the user config dir).

        Tokens renewed during the session are written back to the same file.
        """
        source = Path(path) if path is not None else default_credentials_path()
        return cls(Credentials.load(source), credentials_path=source, **kwargs)

    def save_credentials(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the current credentials (0600) to ``path`` or where they came from."""
        self.credentials.save(path if path is not None else self.credentials_path)

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def user_id(self) -> int | None:
        return self.credentials.user_id

    def _repr_fields(self) -> dict[str, str]:
        return {"user_id": repr(self.credentials.user_id), "base_url": repr(self.base_url)}

    # -- bearer-mode renewal ---------------------------------------------------------
    async def _renew_access_token(self, refused: Secrets) -> bool:
        """Renew the JWT access token; False if there is nothing to renew with.

        Requests refused at the same moment all land here: the first renews, the others
        see credentials other than the ones they were refused with and simply resend,
        because the service accepts each refresh token only once.
        """
        async with self._refresh_lock:
            if self.credentials.secrets() != refused:
                return True
            if not self.credentials.refresh_token:
                return False
            try:
                await self.refresh_token()
            except ClubhouseError:
                return False
            if self.credentials_path is not None:
                self.save_credentials()
            return True
