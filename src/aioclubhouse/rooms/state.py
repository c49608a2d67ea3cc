"""The live picture of a room: who is there, who is on stage, whose hand is up.

It starts from the join answer, follows every realtime event, and is reset from a
``get_channel`` snapshot now and then.  A snapshot can be older than events that
arrived while it was being fetched, so the state keeps a journal during a resync
and replays it on top of the snapshot: every change an event makes is an
assignment (this user is here / on stage / gone), so replaying one that the
snapshot already contains changes nothing, and the state converges.

User objects are never modified in place: each change stores an updated copy, so
the users carried by earlier events keep showing what they said.
"""

from __future__ import annotations

from typing import Any, Protocol

import attrs

from ..coerce import wire_int
from ..models.rooms import Channel, HandraisePermission, RoomUser

__all__ = ["RoomState", "StateChange", "handraise_permission", "updated_user"]


class StateChange(Protocol):
    """What the state applies: an event that knows its effect on it (every
    :class:`~aioclubhouse.rooms.realtime_events.RoomEvent` does)."""

    def apply_to(self, state: RoomState) -> bool:
        """Change ``state``; True when something changed."""
        ...


def handraise_permission(value: Any) -> HandraisePermission | int | None:
    """Who may raise a hand, from the wire: the enum when known, else the number."""
    number = wire_int(value)
    if number is None:
        return None
    try:
        return HandraisePermission(number)
    except ValueError:
        return number


def updated_user(user: RoomUser, **changes: Any) -> RoomUser:
    """A copy of ``user`` with ``changes``, keeping the payload it came from."""
    copy = attrs.evolve(user, **changes)
    copy.raw = user.raw
    return copy


class RoomState:
    """Users, roles, raised hands and hand-raise settings of one room, as seen by ``me``."""

    def __init__(self, channel: str, me: int) -> None:
        self.channel = channel
        """The room's channel name."""
        self.me = me
        self.channel_id: int | None = None
        """The room's numeric id, once the service gave it."""
        self.topic: str | None = None
        """The room's topic, if it has one."""
        self.is_private = False
        """Whether the room is private."""
        self.is_social_mode = False
        """Whether the room is in social mode (friends of speakers)."""
        self.is_handraise_enabled = False
        """Whether listeners may raise a hand."""
        self.handraise_permission: HandraisePermission | int | None = None
        """Who may raise a hand (a number the SDK does not know stays a number)."""
        self.ended = False
        """Whether the room has ended."""
        self.version = 0
        """Grows with every change; lets observers notice that something moved."""
        self._users: dict[int, RoomUser] = {}
        self._raised: dict[int, RoomUser] = {}
        self._journal: list[StateChange] | None = None

    # -- reading ---------------------------------------------------------------------------
    @property
    def users(self) -> list[RoomUser]:
        """Everyone in the room, in order of arrival."""
        return list(self._users.values())

    @property
    def speakers(self) -> list[RoomUser]:
        """Everyone on stage (moderators included)."""
        return [user for user in self._users.values() if user.is_speaker]

    @property
    def listeners(self) -> list[RoomUser]:
        """Everyone not on stage."""
        return [user for user in self._users.values() if not user.is_speaker]

    @property
    def moderators(self) -> list[RoomUser]:
        """Everyone who moderates the room."""
        return [user for user in self._users.values() if user.is_moderator]

    @property
    def raised_hands(self) -> list[RoomUser]:
        """Listeners with a hand up, oldest first.

        The service tells only speakers and moderators about hands, so this is
        empty for a listener.
        """
        return list(self._raised.values())

    def user(self, user_id: int) -> RoomUser | None:
        """The person with ``user_id`` if they are in the room."""
        return self._users.get(user_id)

    @property
    def me_user(self) -> RoomUser | None:
        """You, if the room lists you."""
        return self._users.get(self.me)

    @property
    def role(self) -> tuple[bool, bool]:
        """``(is_speaker, is_moderator)`` of ``me``."""
        user = self._users.get(self.me)
        if user is None:
            return (False, False)
        return (user.is_speaker, user.is_moderator)

    # -- snapshots -------------------------------------------------------------------------
    def reset(self, channel: Channel) -> None:
        """Take everything from a join answer or ``get_channel`` snapshot.

        Events recorded since :meth:`start_journal` are replayed on top.
        """
        self.channel_id = channel.channel_id if channel.channel_id is not None else self.channel_id
        self.topic = channel.topic
        self.is_private = channel.is_private
        self.is_social_mode = channel.is_social_mode
        self.is_handraise_enabled = channel.is_handraise_enabled
        self.handraise_permission = handraise_permission(channel.handraise_permission)
        self._users = {user.user_id: user for user in channel.users}
        self._raised = {
            user_id: user
            for user_id, user in self._raised.items()
            if user_id in self._users and not self._users[user_id].is_speaker
        }
        if not self.is_handraise_enabled:
            self._raised.clear()
        self.version += 1
        journal, self._journal = self._journal, None
        for event in journal or ():
            self.apply(event)

    def start_journal(self) -> None:
        """Record the events applied from now on, until the next :meth:`reset`."""
        self._journal = []

    def drop_journal(self) -> None:
        """Stop recording events (the snapshot they were waiting for will not come)."""
        self._journal = None

    # -- events ----------------------------------------------------------------------------
    def apply(self, event: StateChange) -> bool:
        """Update the state for ``event`` (see its ``apply_to``); True when it changed something."""
        if self._journal is not None:
            self._journal.append(event)
        changed = event.apply_to(self)
        if changed:
            self.version += 1
        return changed

    # The changes events make (called from their ``apply_to``; ``apply`` counts them).
    def put_user(self, user: RoomUser) -> bool:
        """``user`` is in the room, as given."""
        self._users[user.user_id] = user
        return True

    def drop_user(self, user_id: int) -> bool:
        """``user_id`` is gone, hand and all."""
        removed = self._users.pop(user_id, None) is not None
        return self._raised.pop(user_id, None) is not None or removed

    def change_user(self, user_id: int, **changes: Any) -> bool:
        """Set fields of someone in the room (nobody there: nothing changes)."""
        user = self._users.get(user_id)
        if user is None:
            return False
        if all(getattr(user, name) == value for name, value in changes.items()):
            return False
        self._users[user_id] = updated_user(user, **changes)
        return True

    def raise_hand(self, user: RoomUser) -> None:
        """``user`` raised a hand (and is in the room, if they were not listed yet)."""
        self._users.setdefault(user.user_id, user)
        self._raised[user.user_id] = user

    def lower_hand(self, user_id: int) -> bool:
        """``user_id`` lowered their hand; True if it was up."""
        return self._raised.pop(user_id, None) is not None

    def set_handraise(
        self, enabled: bool, permission: HandraisePermission | int | None = None
    ) -> None:
        """New hand-raise settings; turning hands off lowers them all."""
        self.is_handraise_enabled = enabled
        if permission is not None:
            self.handraise_permission = permission
        if not enabled:
            self._raised.clear()

    def forget_hands(self) -> None:
        """Drop the raised hands: they are only announced to speakers and moderators."""
        if self._raised:
            self._raised.clear()
            self.version += 1

    def set_role(self, *, is_speaker: bool, is_moderator: bool | None = None) -> bool:
        """Record ``me``'s new role before the service's event confirms it."""
        changes: dict[str, Any] = {"is_speaker": is_speaker}
        if is_moderator is not None:
            changes["is_moderator"] = is_moderator
        if is_speaker:
            self._raised.pop(self.me, None)
        changed = self.change_user(self.me, **changes)
        if changed:
            self.version += 1
        return changed
