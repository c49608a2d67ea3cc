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
from typing import Self, TypedDict, Unpack

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
from .policies import DEFAULT_TIMEOUT, RetryHook, RetryPolicy, Timeout
from .ratelimit import RateLimit
from .transport import DEFAULT_DEADLINE, DEFAULT_RATE_LIMIT, Secrets, Sleep, Transport

__all__ = ["BASE_URL_ENV", "ClubhouseAPI", "SessionOptions"]

BASE_URL_ENV = "AIOCLUBHOUSE_BASE_URL"
"""Names the API root a session uses when given no ``base_url`` (the emulator's, say)."""


class SessionOptions(TypedDict, total=False):
    """The keyword options of a session, as :meth:`ClubhouseAPI.from_file` takes them.

    They are :class:`ClubhouseAPI`'s own keywords (a test holds the two to the same
    names and types), so a misspelt option is a type error, not a run-time one.
    """

    base_url: str | None
    identity: AppIdentity | None
    http_session: aiohttp.ClientSession | None
    timeout: float | Timeout
    deadline: float
    max_body_bytes: int
    retry: RetryPolicy | None
    rate_limit: RateLimit | None
    on_retry: RetryHook | None
    auth_mode: AuthMode | None
    sleep: Sleep


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

    ``base_url`` defaults to ``$AIOCLUBHOUSE_BASE_URL`` if set (point a program at the
    emulator without changing it, as ``AWS_ENDPOINT_URL`` does for boto3), else the
    service's own. ``rate_limit=None`` turns the client-side rate limit off; ``http_session`` lends
    an existing ``aiohttp.ClientSession`` that this object will not close; ``sleep``
    is how retries and the rate limit wait (``asyncio.sleep`` unless a test records).
    ``timeout`` bounds one attempt (seconds, or a :class:`~aioclubhouse.Timeout` with
    ``connect`` and ``read`` bounds too), ``deadline`` the whole call with its retries
    and waits, and ``max_body_bytes`` the length of an answer after decompression.
    ``on_retry`` is called with a :class:`~aioclubhouse.RetryNotice` before each retry;
    :attr:`stats` counts requests, retries and rate-limit waits.
    """

    def __init__(
        self,
        credentials: Credentials | None = None,
        *,
        base_url: str | None = None,
        identity: AppIdentity | None = None,
        http_session: aiohttp.ClientSession | None = None,
        timeout: float | Timeout = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        on_retry: RetryHook | None = None,
        auth_mode: AuthMode | None = None,
        credentials_path: str | os.PathLike[str] | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.identity = identity or AppIdentity()
        """The app this session presents itself as (headers, login fields, ``pnsdk``)."""
        if credentials is None:  # a new login gets a device id in the identity's form
            credentials = Credentials(device_id=self.identity.new_device_id())
        if auth_mode is not None:
            credentials.auth_mode = auth_mode
        self.credentials_path = credentials_path
        """Where the credentials were loaded from, and renewed tokens are written back
        (None: kept in memory only)."""
        self._refresh_lock = asyncio.Lock()
        dialect = ClubhouseDialect(credentials, self.identity, renewer=self._renew_access_token)
        if base_url is None:
            base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        transport = Transport(
            dialect,
            base_url=base_url,
            http_session=http_session,
            timeout=timeout,
            deadline=deadline,
            max_body_bytes=max_body_bytes,
            retry=retry,
            rate_limit=rate_limit,
            on_retry=on_retry,
            sleep=sleep,
        )
        super().__init__(transport, credentials, self.identity)

    @classmethod
    def from_file(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        strict_permissions: bool = False,
        **options: Unpack[SessionOptions],
    ) -> Self:
        """A session for the credentials saved at ``path`` (default: the user config dir).

        ``options`` are the constructor's keywords. Tokens renewed during the session
        are written back to the same file. A missing file raises
        :class:`~aioclubhouse.errors.CredentialsNotFoundError`; ``strict_permissions``
        is as for :meth:`Credentials.load`.
        """
        source = Path(path) if path is not None else default_credentials_path()
        credentials = Credentials.load(source, strict_permissions=strict_permissions)
        return cls(credentials, credentials_path=source, **options)

    def save_credentials(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the current credentials (0600) to ``path`` or where they came from."""
        self.credentials.save(path if path is not None else self.credentials_path)

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def user_id(self) -> int | None:
        """The logged-in user's id; None while logged out."""
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
