"""What ``listen`` shows: a live view for terminals, plain or JSON lines for pipes.

The live view redraws in place: the room's roster on the left, its events scrolling
on the right, and a status line with the connection state (connecting, connected,
reconnecting) and the counts.  Each output takes the events one by one through
``show(event)``; the live view also redraws on its own every quarter second, so the
clock and the counts move while the room is quiet.
"""

from __future__ import annotations

import abc
import time
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.layout import Layout
from rich.live import Live
from rich.panel import Panel
from rich.text import Text

from ..bridge import to_json
from ..rooms import Connected, Left, Reconnected, Reconnecting, Room, RoomEvent
from .describe import Names, describe
from .roster import Roster
from .terminal import write_line

__all__ = ["JsonLines", "LiveView", "PlainLines", "RoomOutput"]


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _clock() -> str:
    return time.strftime("%H:%M:%S")


class RoomOutput(abc.ABC):
    """Where a room's events go; ``running()`` wraps the time they are shown."""

    def __init__(self, room: Room, names: Names) -> None:
        self.room = room
        self.names = names
        self.events = 0

    def running(self) -> AbstractContextManager[object]:
        return nullcontext()

    def show(self, event: RoomEvent) -> None:
        self.names.learn(self.room.users)
        self.names.learn_event(event)
        self.events += 1
        self.write(event)

    @abc.abstractmethod
    def write(self, event: RoomEvent) -> None:
        """Show one event (its names already learnt)."""


class JsonLines(RoomOutput):
    """One JSON object per line, in the project's event format."""

    def write(self, event: RoomEvent) -> None:
        write_line(to_json(event))


class PlainLines(RoomOutput):
    """``12:00:03  Zoe Park raised a hand``: one line per event."""

    def write(self, event: RoomEvent) -> None:
        write_line(f"{_clock()}  {describe(event, self.names)}")


class LiveView(RoomOutput):
    """The in-place view for a terminal."""

    def __init__(self, room: Room, names: Names, console: Console) -> None:
        super().__init__(room, names)
        self.console = console
        self.log: deque[Text] = deque(maxlen=200)
        self.state = Text("○ connecting", style="yellow")
        self.started = time.monotonic()

    @contextmanager
    def _live(self) -> Iterator[object]:
        with Live(self, console=self.console, refresh_per_second=4, transient=False) as live:
            yield live
            live.refresh()

    def running(self) -> AbstractContextManager[object]:
        return self._live()

    def write(self, event: RoomEvent) -> None:
        if isinstance(event, Connected | Reconnected):
            self.state = Text("● connected", style="green")
        elif isinstance(event, Reconnecting):
            self.state = Text(f"◌ reconnecting (attempt {event.attempt})", style="yellow")
        elif isinstance(event, Left):
            self.state = Text(f"■ left ({event.reason.value.replace('_', ' ')})", style="red")
        line = Text(f"{_clock()} ", style="dim")
        line.append(describe(event, self.names))
        self.log.append(line)

    # -- drawing -----------------------------------------------------------------------------
    def status(self) -> Text:
        room = self.room
        elapsed = int(time.monotonic() - self.started)
        hands = len(room.raised_hands)
        text = Text.assemble(
            self.state,
            f" · {_count(len(room.users), 'person', 'people')}",
            f" · {len(room.speakers)} on stage",
            f" · {_count(hands, 'raised hand')}" if hands else "",
            f" · {_count(self.events, 'event')} · {elapsed // 60:02d}:{elapsed % 60:02d}",
        )
        if not room.is_left:
            text.append(" · Ctrl-C leaves the room", style="dim")
        return text

    def _events_panel(self, height: int) -> Panel:
        lines = list(self.log)[-max(height - 2, 1) :]
        body = Text("\n").join(lines) if lines else Text("waiting for events…", style="dim")
        return Panel(body, title="Events", title_align="left")

    def _roster(self) -> Group:
        room = self.room
        roster = Roster(
            room.users,
            raised_hands=room.raised_hands,
            hands_visible=room.is_speaker or room.is_moderator,
        )
        return Group(*roster.panels(limit=5))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        height = max(12, options.size.height - 1)
        title = Text(self.room.state.topic or "(no topic)", style="bold")
        title.append(f"  {self.room.channel}", style="dim")
        layout = Layout()
        layout.split_column(
            Layout(title, name="title", size=1),
            Layout(name="body"),
            Layout(self.status(), name="status", size=1),
        )
        layout["body"].split_row(
            Layout(self._roster(), name="roster", ratio=2),
            Layout(self._events_panel(height - 2), name="events", ratio=3),
        )
        yield from console.render(layout, options.update(height=height))
