"""ClubhouseSession: every Clubhouse endpoint as a coroutine, over one HTTP pool.

Use it as an async context manager. It owns one pooled ``aiohttp.ClientSession``
(or borrows the caller's, which it then never closes) and one set of credentials.
It composes the endpoint groups (one mixin per area; their contract is in
:mod:`aioclubhouse.endpoints.base`) over a transport speaking the Clubhouse dialect.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

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

if TYPE_CHECKING:  # the rooms layer sits above the session: imported lazily at run time
    from .rooms import (
        AudioBackend,
        Room,
        RoomOptionFields,
        RoomOptions,
        SessionRealtime,
        StreamOptionFields,
        StreamOptions,
        UserEvents,
    )

__all__ = ["ClubhouseSession"]


class ClubhouseSession(
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
    """An authenticated (or about to be) connection to the Clubhouse API.

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
    def from_file(
        cls, path: str | os.PathLike[str] | None = None, **kwargs: Any
    ) -> ClubhouseSession:
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

    # -- realtime ----------------------------------------------------------------------
    _realtime: SessionRealtime | None = None

    @property
    def realtime(self) -> SessionRealtime:
        """The realtime side this session owns: its PubNub pool (made with the first room
        or user-event stream) and the rooms and streams open now; :meth:`close` leaves
        and ends them, then closes the pool."""
        if self._realtime is None:
            from .rooms import SessionRealtime

            self._realtime = SessionRealtime()
        return self._realtime

    async def join_room(
        self,
        channel: str,
        options: RoomOptions | None = None,
        *,
        audio: AudioBackend | None = None,
        attribution_source: str | None = None,
        attribution_details: str | None = None,
        **option_fields: Unpack[RoomOptionFields],
    ) -> Room:
        """Join ``channel`` and return a live :class:`~aioclubhouse.rooms.Room`.

        Everything is as for :func:`aioclubhouse.rooms.join_room`: a
        :class:`~aioclubhouse.rooms.RoomOptions` and/or its fields as keywords
        (``ping_interval=``, ``max_queue=``, ...), ``audio=``, and ``join_channel``'s
        ``attribution_source`` / ``attribution_details``.
        """
        from .rooms import join_room

        return await join_room(
            self,
            channel,
            options,
            audio=audio,
            attribution_source=attribution_source,
            attribution_details=attribution_details,
            **option_fields,
        )

    def user_events(
        self,
        options: StreamOptions | None = None,
        *,
        pubnub_token: str | None = None,
        pubnub_origin: str | None = None,
        **option_fields: Unpack[StreamOptionFields],
    ) -> UserEvents:
        """Events addressed to you outside rooms (speaker and new-room invites, answers);
        see :func:`aioclubhouse.rooms.user_events`."""
        from .rooms import user_events

        return user_events(
            self,
            options,
            pubnub_token=pubnub_token,
            pubnub_origin=pubnub_origin,
            **option_fields,
        )

    async def close(self) -> None:
        """Leave the open rooms and end the user-event streams (closing the realtime
        pool the session made), then close the HTTP pool.  Safe to call twice."""
        if self._realtime is not None:
            await self._realtime.close()
        await super().close()

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
