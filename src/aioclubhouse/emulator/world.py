"""The emulated service's memory: every user, club, room and token, and every change to them.

`World` is the composition root.  It owns one `WorldState` (plain records, see
`models`) and hands it to a part per area, each holding that area's rules and lookup
indexes:

* ``world.accounts`` - users, phone login, sessions and tokens, profile edits
* ``world.social``   - follows, blocks, suggestions, search, notifications
* ``world.clubs``    - clubs, their members, admins, nominations and settings
* ``world.events``   - scheduled events
* ``world.rooms``    - live rooms; every change publishes its realtime action
* ``world.chats``    - direct messages

Everything is deterministic for a seed: ids, room names and the sample world come
from ``random.Random(seed)``; only tokens (which must be unguessable) and times do not.
The world never awaits; the API handlers and the activity simulation call it directly.
"""

from __future__ import annotations

import json
import random
import secrets
import time
import typing
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from cattrs.preconf.json import make_converter

from aioclubhouse.emulator.accounts import Accounts
from aioclubhouse.emulator.actions import Announcer, Publisher
from aioclubhouse.emulator.chats import Chats
from aioclubhouse.emulator.clubs import Clubs
from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.errors import WorldError
from aioclubhouse.emulator.events import Events
from aioclubhouse.emulator.membership import MembershipJournal
from aioclubhouse.emulator.models import User, WorldState
from aioclubhouse.emulator.rooms import Rooms
from aioclubhouse.emulator.social import Social

SPEAKING_SLOT = 1.5
"""Seconds during which the set of people speaking in a room stays the same."""

_converter = make_converter()


def _is_set_type(kind: Any) -> bool:
    return typing.get_origin(kind) in (set, frozenset)


_converter.register_unstructure_hook_func(_is_set_type, sorted)
"""Sets are saved sorted, so equal worlds save to equal documents."""


class RealtimeHub(Publisher, Protocol):
    """What the world needs from the PubNub hub: publishing and access grants."""

    def grant(self, token: str, user_id: int, channels: Iterable[str]) -> None: ...

    def revoke(self, token: str) -> None: ...

    def revoke_channels(self, token: str, channels: Iterable[str]) -> None: ...


class World:
    """All in-memory state of one emulator, and the only way to change it."""

    def __init__(self, config: EmulatorConfig, hub: RealtimeHub) -> None:
        self.config = config
        self.hub = hub
        self.announce = Announcer(hub)
        self.clock: Callable[[], float] = time.time
        """Wall-clock source; tests may replace it to move time."""
        self.pubnub_origin = f"{config.host}:{config.port}"
        """``host:port`` clients use for PubNub; the app sets it once the port is bound."""
        self.state = WorldState(seed=config.seed, secret=secrets.token_hex(16))
        self.membership = MembershipJournal()
        """Who entered and left which room when (for tests; not saved)."""
        self.rng = random.Random(config.seed)
        self.accounts = Accounts(self)
        self.social = Social(self)
        self.clubs = Clubs(self)
        self.events = Events(self)
        self.rooms = Rooms(self)
        self.chats = Chats(self)

    def now(self) -> float:
        return self.clock()

    # -- building and saving ---------------------------------------------------------------

    def populate(self) -> None:
        """Fill an empty world with the sample users, clubs, rooms and events of the seed."""
        from aioclubhouse.emulator.sample import populate

        populate(self)

    def to_state(self) -> dict[str, Any]:
        """Everything the world knows, as JSON-serialisable data (the ``world`` section
        of the emulator's state document, see `state`)."""
        self.state.rng_state = _rng_state_to_json(self.rng.getstate())
        data: dict[str, Any] = _converter.unstructure(self.state)
        loaded: dict[str, Any] = json.loads(json.dumps(data))
        return loaded

    def load_state(self, data: dict[str, Any]) -> None:
        """Replace everything with what `to_state` produced (possibly by another process)."""
        self.state = _converter.structure(data, WorldState)
        if self.state.rng_state:
            self.rng.setstate(_rng_state_from_json(self.state.rng_state))
        self._reindex()

    def _reindex(self) -> None:
        for part in (self.accounts, self.social, self.clubs, self.events, self.rooms, self.chats):
            part.reindex()

    # -- time-driven upkeep ----------------------------------------------------------------

    def sweep(self, now: float | None = None) -> None:
        """Drop room users who stopped pinging and forget expired tokens (called every second)."""
        moment = self.now() if now is None else now
        self.rooms.drop_idle(moment)
        self.accounts.forget_expired_tokens(moment)

    def speaking(self, channel: str, at: float) -> set[int]:
        """Which speakers of room `channel` talk at time `at`, decided by the seed.

        Time is cut into slots of `SPEAKING_SLOT` seconds; in each slot usually one
        speaker talks, sometimes two, sometimes nobody, so a fake audio backend can
        produce believable volume indications.
        """
        room = self.state.rooms.get(channel)
        if room is None:
            return set()
        speakers = sorted(uid for uid, member in room.users.items() if member.is_speaker)
        if not speakers:
            return set()
        slot = int(at // SPEAKING_SLOT)
        chooser = random.Random(f"{self.state.seed}:{channel}:{slot}")
        roll = chooser.random()
        count = 0 if roll < 0.15 else (2 if roll > 0.85 else 1)
        return set(chooser.sample(speakers, min(count, len(speakers))))

    # -- lookups shared by every part ------------------------------------------------------

    def user(self, user_id: int) -> User:
        """The user with this id, or a refusal naming the id."""
        user = self.state.users.get(user_id)
        if user is None or user.is_deactivated:
            raise WorldError(f"User {user_id} does not exist.")
        return user

    def find_user(self, user_id: int | None = None, username: str | None = None) -> User:
        """The user named by id or, failing that, by username."""
        if user_id is not None:
            return self.user(user_id)
        if username is not None:
            found = self.accounts.by_username(username)
            if found is None:
                raise WorldError(f"User @{username} does not exist.")
            return found
        raise WorldError("Missing field: user_id or username")

    # -- helpers for tests and the app -----------------------------------------------------

    def create_user(
        self, *, name: str, username: str | None = None, phone_number: str | None = None
    ) -> User:
        """Make a ready-to-use account (named, not waitlisted, done with onboarding).

        Without a `username` one is made up from the name.
        """
        if username is None:
            username = self.accounts.free_username(name)
        return self.accounts.create_user(name=name, username=username, phone_number=phone_number)

    def issue_tokens(self, user_id: int, *, device_id: str | None = None) -> dict[str, str]:
        """Log `user_id` in on a new session; return its three tokens.

        The keys are ``auth_token``, ``access_token`` and ``refresh_token``.
        """
        session = self.accounts.open_session(self.user(user_id), device_id=device_id)
        return {
            "auth_token": session.auth_token,
            "access_token": session.access_token,
            "refresh_token": session.refresh_token,
        }


def _rng_state_to_json(state: tuple[Any, ...]) -> list[Any]:
    version, internal, gauss_next = state
    return [version, list(internal), gauss_next]


def _rng_state_from_json(saved: list[Any]) -> tuple[Any, ...]:
    version, internal, gauss_next = saved
    return (version, tuple(internal), gauss_next)
