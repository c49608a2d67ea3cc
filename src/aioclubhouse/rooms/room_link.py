"""A room's realtime subscription: which channels (by role), where, and with which token.

A room reads ``channel_all.<ch>``, ``channel_user.<ch>.<me>`` and ``users.<me>``,
plus ``channel_speakers.<ch>`` while you are on stage.  It starts with the join's
PubNub token and origin and switches, losing nothing, when accepting a speaker
invite hands out new ones.  Without ``pubnub_enable`` or a token there is no
realtime link: the room then follows the service through its keepalive and resync
alone.

Presence follows the official Android app (docs/protocol.md C.5): heartbeats every
``pubnub_heartbeat_interval`` seconds, with ``heartbeat=<pubnub_heartbeat_value>``,
for ``channel_user.<ch>.<me>`` only (the app registers just that channel in its
manual presence list; Houseclub heartbeats every channel it reads); and a presence
leave for every channel given up: all of them when the room is left,
``channel_speakers.<ch>`` alone when leaving the stage.
"""

from __future__ import annotations

import asyncio

from ..models.rooms import JoinChannelResult
from ..redaction import get_logger
from .realtime import (
    RealtimeAccess,
    RealtimeListener,
    RealtimeOptions,
    RealtimePool,
    Subscription,
    realtime_origin,
)

__all__ = ["RoomLink"]

log = get_logger("aioclubhouse.rooms")


class RoomLink:
    """The realtime side of one room for one user, on ``pool``."""

    def __init__(
        self,
        pool: RealtimePool,
        joined: JoinChannelResult,
        *,
        user_id: int,
        api_base_url: str,
        options: RealtimeOptions | None,
        pnsdk: str | None = None,
    ) -> None:
        self.pool = pool
        self.channel = joined.channel
        self.user_id = user_id
        self._enabled = joined.pubnub_enable
        self._presence_timeout = joined.pubnub_heartbeat_value
        self._heartbeat_interval = joined.pubnub_heartbeat_interval
        self._pnsdk = pnsdk
        self._token = joined.pubnub_token
        self._origin = joined.pubnub_origin
        self._api_base_url = api_base_url
        self._options = options
        self.subscription: Subscription | None = None

    def access(self) -> RealtimeAccess | None:
        """The PubNub credentials of the room now, or None when realtime is off."""
        if not self._enabled or not self._token:
            return None
        origin, ssl = realtime_origin(self._api_base_url, self._origin)
        return RealtimeAccess(
            origin=origin,
            ssl=ssl,
            auth_token=self._token,
            user_id=self.user_id,
            presence_timeout=self._presence_timeout,
            heartbeat_interval=self._heartbeat_interval,
            pnsdk=self._pnsdk,
        )

    def channels(self, *, on_stage: bool) -> set[str]:
        channels = {
            f"channel_all.{self.channel}",
            f"channel_user.{self.channel}.{self.user_id}",
            f"users.{self.user_id}",
        }
        if on_stage:
            channels.add(f"channel_speakers.{self.channel}")
        return channels

    def presence_channels(self) -> set[str]:
        """The channels kept present with heartbeats (the app's choice, see above)."""
        return {f"channel_user.{self.channel}.{self.user_id}"}

    async def start(
        self,
        listener: RealtimeListener,
        *,
        on_stage: bool,
        start_at: int | None,
        connect_timeout: float,
    ) -> None:
        """Subscribe and wait up to ``connect_timeout`` for the server to accept it.

        Raises :class:`~aioclubhouse.errors.RealtimeError` when it refuses the token;
        after the timeout the link keeps trying by itself.
        """
        access = self.access()
        if access is None:
            return
        self.subscription = self.pool.subscribe(
            access,
            self.channels(on_stage=on_stage),
            listener,
            options=self._options,
            start_at=start_at,
            presence=self.presence_channels(),
        )
        try:
            async with asyncio.timeout(connect_timeout):
                await self.subscription.wait_connected()
        except TimeoutError:
            log.warning(
                "room %s: realtime not connected after %.0f s; it keeps trying",
                self.channel,
                connect_timeout,
            )

    def follow_role(self, *, on_stage: bool) -> None:
        """Read the speakers' channel while on stage, and only then (leaving it after)."""
        if self.subscription is not None:
            self.subscription.set_channels(self.channels(on_stage=on_stage))

    async def switch_token(self, token: str | None, origin: str | None) -> None:
        """Continue with a new PubNub token (and origin, if one is named)."""
        if not token or token == self._token:
            return
        self._token = token
        self._origin = origin or self._origin
        access = self.access()
        if self.subscription is not None and access is not None:
            await self.subscription.reauthorize(access)

    async def close(self) -> None:
        """Unsubscribe, with a presence leave for every channel (bounded in time)."""
        subscription, self.subscription = self.subscription, None
        if subscription is not None:
            await subscription.close()

    @property
    def connected(self) -> bool:
        return self.subscription is not None and self.subscription.connected

    @property
    def pubnub_channels(self) -> frozenset[str]:
        return self.subscription.channels if self.subscription is not None else frozenset()

    @property
    def cursor(self) -> int:
        return self.subscription.timetoken if self.subscription is not None else 0
