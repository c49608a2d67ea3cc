"""A room's people as rich renderables: shared by ``room`` (a snapshot) and ``listen``."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from ..models.rooms import RoomUser

__all__ = ["HANDS_HIDDEN", "Roster", "display_name"]

HANDS_HIDDEN = "shown to the stage only"


def display_name(user: RoomUser) -> str:
    return user.name or (f"@{user.username}" if user.username else f"user {user.user_id}")


class Roster:
    """Who is in a room, split the way the apps show it."""

    def __init__(
        self,
        users: Sequence[RoomUser],
        *,
        raised_hands: Sequence[RoomUser] = (),
        hands_visible: bool = True,
    ) -> None:
        self.moderators = [u for u in users if u.is_moderator]
        self.speakers = [u for u in users if u.is_speaker and not u.is_moderator]
        self.listeners = [u for u in users if not u.is_speaker and not u.is_moderator]
        self.raised_hands = list(raised_hands)
        self.hands_visible = hands_visible
        self.total = len(users)

    def _names(self, users: Sequence[RoomUser], limit: int) -> Text:
        text = Text()
        for index, user in enumerate(users[:limit]):
            if index:
                text.append("\n")
            text.append(display_name(user))
            if user.is_muted:
                text.append(" (muted)", style="dim")
        if len(users) > limit:
            text.append(f"\n… and {len(users) - limit} more", style="dim")
        if not users:
            text.append("nobody", style="dim")
        return text

    def panels(self, *, limit: int = 12) -> list[RenderableType]:
        """Moderators, speakers, raised hands and listeners, one panel each."""
        hands: Text
        if self.hands_visible:
            hands = self._names(self.raised_hands, limit)
        else:
            hands = Text(HANDS_HIDDEN, style="dim")
        listeners = Text(f"{len(self.listeners)} listening", style="bold")
        if self.listeners:
            listeners.append("\n")
            listeners.append_text(self._names(self.listeners, min(limit, 5)))
        return [
            Panel(
                self._names(self.moderators, limit), title=f"Moderators ({len(self.moderators)})"
            ),
            Panel(self._names(self.speakers, limit), title=f"Speakers ({len(self.speakers)})"),
            Panel(hands, title=f"Raised hands ({len(self.raised_hands)})"),
            Panel(listeners, title=f"Listeners ({len(self.listeners)})"),
        ]

    def __rich__(self) -> RenderableType:
        return Group(*self.panels())
