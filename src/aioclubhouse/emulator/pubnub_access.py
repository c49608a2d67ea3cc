"""PubNub Access Manager as the emulator plays it: which token may do what, as whom.

`grant` lets a token read channels (and their ``-pnpres`` presence twins), and
publish on them only when granted so; anything else is answered 403.  A token
belongs to one user: its requests must carry that user's id as their ``uuid``
(`may_act_as`), so nobody subscribes, heartbeats, leaves or publishes as someone
else.  The service's room tokens never publish (no Clubhouse client does,
docs/protocol.md C); a publishing grant is for tests and tools standing in for the
service.  Like PubNub's, a revocation does not cut a client off
mid-sentence: for `revocation_grace` seconds a long-poll that is behind still gets
what was published up to the revocation (so a client between two polls still reads
the ``end_channel`` or ``remove_from_channel`` sent just before it), and only then 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.pubnub_wire import base_channel

Limits = dict[str, int | None]
"""Per channel of a long-poll, the newest timetoken it may deliver (None: no limit)."""


@attrs.define(kw_only=True)
class Revocation:
    """A channel taken away from a token, still readable up to `timetoken` for a while."""

    timetoken: int
    """The hub's timetoken when the channel was revoked: later messages are never served."""
    expires_at: float
    """Wall-clock time after which the channel is refused whatever the cursor."""


@attrs.define(kw_only=True)
class Grant:
    """What one access token may read."""

    user_id: int
    channels: set[str] = attrs.field(factory=set)
    publishable: set[str] = attrs.field(factory=set)
    """The granted channels this token may also publish on."""
    revoked: dict[str, Revocation] = attrs.field(factory=dict)
    """Channels revoked lately, in their grace period."""

    def revoke(self, channels: Iterable[str], timetoken: int, expires_at: float) -> None:
        """Move `channels` from the live set to the revoked ones (in grace until `expires_at`)."""
        for channel in set(channels) & self.channels:
            self.channels.discard(channel)
            self.publishable.discard(channel)
            self.revoked[channel] = Revocation(timetoken=timetoken, expires_at=expires_at)

    def forget_expired(self, now: float) -> None:
        """Drop the revocations whose grace is over."""
        for channel, revocation in list(self.revoked.items()):
            if revocation.expires_at <= now:
                del self.revoked[channel]

    @property
    def is_spent(self) -> bool:
        """Nothing left to read, not even in grace."""
        return not self.channels and not self.revoked

    def to_state(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "channels": sorted(self.channels),
            "publishable": sorted(self.publishable),
            "revoked": {
                channel: attrs.asdict(revocation)
                for channel, revocation in sorted(self.revoked.items())
            },
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Grant:
        return cls(
            user_id=int(state["user_id"]),
            channels=set(state["channels"]),
            publishable=set(state.get("publishable", [])),
            revoked={
                channel: Revocation(
                    timetoken=int(saved["timetoken"]), expires_at=float(saved["expires_at"])
                )
                for channel, saved in state.get("revoked", {}).items()
            },
        )


class AccessManager:
    """The grants of every token, with their revocations in grace."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self._grants: dict[str, Grant] = {}

    def grant(
        self, token: str, user_id: int, channels: Iterable[str], *, publish: bool = False
    ) -> None:
        """Let `token` (of user `user_id`) read `channels`, and publish on them when
        `publish`; granting again adds channels."""
        grant = self._grants.get(token)
        if grant is None:
            grant = Grant(user_id=user_id)
            self._grants[token] = grant
        grant.user_id = user_id
        for channel in channels:
            grant.channels.add(channel)
            grant.revoked.pop(channel, None)
            if publish:
                grant.publishable.add(channel)

    def granted_channels(self, token: str) -> list[str]:
        """The channels `token` may read now (not those in grace)."""
        grant = self._grants.get(token)
        return [] if grant is None else sorted(grant.channels)

    def revoke_channels(
        self, token: str, channels: Iterable[str], *, timetoken: int, now: float
    ) -> None:
        """Take `channels` away from `token`: readable up to `timetoken` for the grace."""
        grant = self._grants.get(token)
        if grant is None:
            return
        grant.revoke(channels, timetoken, now + self.config.revocation_grace)
        grant.forget_expired(now)
        if grant.is_spent:
            del self._grants[token]

    def live_grant(self, token: str | None, now: float) -> Grant | None:
        """The grant of `token` without its expired revocations (None when nothing is left)."""
        if token is None:
            return None
        grant = self._grants.get(token)
        if grant is None:
            return None
        grant.forget_expired(now)
        if grant.is_spent:
            del self._grants[token]
            return None
        return grant

    def is_allowed(self, token: str | None, channel: str, now: float) -> bool:
        """Whether `token` may read `channel` (a presence channel follows its base channel)."""
        grant = self.live_grant(token, now)
        return grant is not None and base_channel(channel) in grant.channels

    def may_act_as(self, token: str | None, uuid: str | None, now: float) -> bool:
        """Whether a request with `token` may carry `uuid`: only its own user's id."""
        grant = self.live_grant(token, now)
        return grant is not None and uuid == str(grant.user_id)

    def may_publish(self, token: str | None, uuid: str | None, channel: str, now: float) -> bool:
        """Whether `token` may publish on `channel`, as `uuid`."""
        grant = self.live_grant(token, now)
        return grant is not None and uuid == str(grant.user_id) and channel in grant.publishable

    def read_limits(
        self, token: str | None, channels: list[str], cursor: int, now: float
    ) -> Limits:
        """What a long-poll from `cursor` may read, channel by channel; a refused channel
        is absent.  A granted channel has no limit; a channel revoked after `cursor` is
        read up to its revocation."""
        grant = self.live_grant(token, now)
        if grant is None:
            return {}
        limits: Limits = {}
        for channel in channels:
            base = base_channel(channel)
            revocation = grant.revoked.get(base)
            if base in grant.channels:
                limits[channel] = None
            elif revocation is not None and cursor < revocation.timetoken:
                limits[channel] = revocation.timetoken
        return limits

    def forget_expired(self, now: float) -> None:
        """Drop revocations whose grace is over, and tokens left with nothing."""
        for token in list(self._grants):
            self.live_grant(token, now)

    def to_state(self) -> dict[str, Any]:
        return {token: grant.to_state() for token, grant in self._grants.items()}

    def load_state(self, state: dict[str, Any]) -> None:
        self._grants = {token: Grant.from_state(saved) for token, saved in state.items()}
