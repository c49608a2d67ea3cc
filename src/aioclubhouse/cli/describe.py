"""Room and user events in plain words: "Zoe Park raised a hand".

Names come from :class:`Names`, which remembers everyone seen in the roster or in an
event, so a user who has left is still named when a later event mentions them.
Events with no sentence of their own are shown as their type and fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from ..models.rooms import RoomUser
from ..rooms import (
    Connected,
    HandLowered,
    HandRaised,
    HandraiseSettingsChanged,
    Left,
    ModeratorAdded,
    Muted,
    NewRoomInvite,
    NewRoomInviteAccepted,
    NewRoomInviteCancelled,
    NewRoomInviteRejected,
    Reconnected,
    Reconnecting,
    RemovedFromRoom,
    RoomEnded,
    RoomEvent,
    RoomMadePublic,
    RoomMadeSocial,
    SpeakerAdded,
    SpeakerCallStatusChanged,
    SpeakerInviteAccepted,
    SpeakerInvited,
    SpeakerInviteRejected,
    SpeakerRemoved,
    SpeakerUninvited,
    SpeechTranscribed,
    UnknownEvent,
    UserJoined,
    UserLeft,
    WelcomeRoomRejected,
)

__all__ = ["Names", "describe"]

_ENVELOPE = {"channel", "pubnub_channel", "timetoken", "raw"}


class Names:
    """Display names by user id, learnt from rosters and events."""

    def __init__(self, me: int | None = None) -> None:
        self.me = me
        self._names: dict[int, str] = {}

    def learn(self, users: Iterable[RoomUser]) -> None:
        for user in users:
            if user.name:
                self._names[user.user_id] = user.name

    def learn_event(self, event: RoomEvent) -> None:
        user = getattr(event, "user", None)
        if isinstance(user, RoomUser):
            self.learn([user])
        if isinstance(event, SpeechTranscribed) and event.name:
            self._names[event.user_id] = event.name
        sender, name = getattr(event, "from_user_id", None), getattr(event, "from_name", None)
        if isinstance(sender, int) and isinstance(name, str) and name:
            self._names[sender] = name

    def __call__(self, user_id: int | None, fallback: str | None = None) -> str:
        if user_id is None:
            return fallback or "someone"
        if user_id == self.me:
            return "you"
        return self._names.get(user_id) or fallback or f"user {user_id}"


def _user(event: RoomEvent) -> int | None:
    user = getattr(event, "user", None)
    if isinstance(user, RoomUser):
        return user.user_id
    user_id = getattr(event, "user_id", None)
    return user_id if isinstance(user_id, int) else None


def _sender(event: RoomEvent, names: Names) -> str:
    return names(getattr(event, "from_user_id", None), getattr(event, "from_name", None))


_SENTENCES: dict[type[RoomEvent], Callable[[RoomEvent, Names], str]] = {
    Connected: lambda e, n: "connected",
    Reconnected: lambda e, n: "reconnected",
    UserJoined: lambda e, n: f"{n(_user(e))} joined",
    UserLeft: lambda e, n: f"{n(_user(e))} left",
    RemovedFromRoom: lambda e, n: f"{n(_user(e))} was removed by {_sender(e, n)}",
    RoomEnded: lambda e, n: "the room ended",
    RoomMadePublic: lambda e, n: "the room is now public",
    RoomMadeSocial: lambda e, n: "the room is now social",
    WelcomeRoomRejected: lambda e, n: f"{n(_user(e))} declined the welcome room",
    SpeakerAdded: lambda e, n: f"{n(_user(e))} is now a speaker",
    SpeakerRemoved: lambda e, n: f"{n(_user(e))} left the stage",
    ModeratorAdded: lambda e, n: f"{n(_user(e))} is now a moderator",
    HandRaised: lambda e, n: f"{n(_user(e))} raised a hand",
    HandLowered: lambda e, n: f"{n(_user(e))} lowered their hand",
    SpeakerInvited: lambda e, n: f"{_sender(e, n)} invited you to speak",
    SpeakerUninvited: lambda e, n: f"{_sender(e, n)} withdrew the invitation to speak",
    SpeakerInviteAccepted: lambda e, n: (
        f"{n(_user(e), getattr(e, 'from_name', None))} accepted the invitation to speak"
    ),
    SpeakerInviteRejected: lambda e, n: (
        f"{n(_user(e), getattr(e, 'from_name', None))} declined the invitation to speak"
    ),
    Muted: lambda e, n: f"{_sender(e, n)} muted you",
    NewRoomInvite: lambda e, n: f"{_sender(e, n)} invites you to a new room",
    NewRoomInviteAccepted: lambda e, n: f"{_sender(e, n)} accepted your room invitation",
    NewRoomInviteRejected: lambda e, n: f"{_sender(e, n)} declined your room invitation",
    NewRoomInviteCancelled: lambda e, n: f"{_sender(e, n)} cancelled the room invitation",
}


def describe(event: RoomEvent, names: Names) -> str:
    """One line saying what ``event`` means."""
    if isinstance(event, Reconnecting):
        return f"connection lost, reconnecting (attempt {event.attempt})"
    if isinstance(event, Left):
        detail = f": {event.error}" if event.error else ""
        return f"left the room ({event.reason.value.replace('_', ' ')}{detail})"
    if isinstance(event, HandraiseSettingsChanged):
        return f"hand raising turned {'on' if event.is_enabled else 'off'}"
    if isinstance(event, SpeakerCallStatusChanged):
        state = "took a call" if event.is_on_call else "is back from a call"
        return f"{names(event.user_id)} {state}"
    if isinstance(event, SpeechTranscribed):
        return f"{names(event.user_id, event.name)} said: “{event.text}”"
    if isinstance(event, UnknownEvent):
        problem = f" ({event.problem})" if event.problem else ""
        return f"an action this version does not know: {event.action or '?'}{problem}"
    sentence = _SENTENCES.get(type(event))
    if sentence is not None:
        return sentence(event, names)
    fields = [
        f"{field.name}={getattr(event, field.name)}"
        for field in attrs.fields(type(event))
        if field.name not in _ENVELOPE
    ]
    return " ".join([type(event).__name__, *fields])
