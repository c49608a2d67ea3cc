"""``rooms`` (the live rooms as a table) and ``room ROOM`` (one room's roster)."""

from __future__ import annotations

import click
from rich.columns import Columns
from rich.table import Table
from rich.text import Text

from ...models.rooms import Channel, ChannelInFeed
from ..roster import Roster
from ..runtime import Runtime
from ..settings import settings_of
from ..terminal import out_console, print_json
from . import command

__all__ = ["COMMANDS", "busiest_first"]


def busiest_first(rooms: list[ChannelInFeed]) -> list[ChannelInFeed]:
    """Rooms sorted by how many people are in them, the fullest first."""
    return sorted(rooms, key=lambda room: room.num_all or len(room.users), reverse=True)


def club_of(room: ChannelInFeed | Channel) -> str:
    if room.club is not None and room.club.name:
        return room.club.name
    return room.club_name or ""


@command("rooms")
@click.option("--json", "as_json", is_flag=True, help="print the rooms as JSON, for programs")
@click.pass_context
def rooms(ctx: click.Context, as_json: bool) -> None:
    """The live rooms of your feed, the fullest first."""
    settings = settings_of(ctx)
    with Runtime(settings) as runtime:

        async def fetch() -> list[ChannelInFeed]:
            async with runtime.session() as session:
                return (await session.get_channels()).channels

        live = busiest_first(runtime.run(fetch()))
    if as_json:
        print_json(live, pretty=True)
        return
    table = Table(title=f"{len(live)} live rooms", title_justify="left", expand=False)
    table.add_column("room", no_wrap=True, style="bold")
    table.add_column("topic", overflow="fold")
    table.add_column("club", overflow="fold")
    table.add_column("speakers", justify="right")
    table.add_column("listeners", justify="right")
    for room in live:
        total = room.num_all or len(room.users)
        speakers = room.num_speakers
        table.add_row(
            room.channel,
            Text(room.topic or "(no topic)"),
            Text(club_of(room)),
            str(speakers),
            str(max(total - speakers, 0)),
        )
    out_console().print(table)


@command("room")
@click.argument("room")
@click.option("--json", "as_json", is_flag=True, help="print the room as JSON, for programs")
@click.pass_context
def room(ctx: click.Context, room: str, as_json: bool) -> None:
    """One room and who is in it (without joining it)."""
    settings = settings_of(ctx)
    with Runtime(settings) as runtime:

        async def fetch() -> Channel:
            async with runtime.session() as session:
                return await session.get_channel(room)

        channel = runtime.run(fetch())
    if as_json:
        print_json(channel, pretty=True)
        return
    console = out_console()
    heading = Text(channel.topic or "(no topic)", style="bold")
    heading.append(f"  {channel.channel}", style="dim")
    if club_of(channel):
        heading.append(f"  · {club_of(channel)}", style="cyan")
    console.print(heading)
    roster = Roster(channel.users, hands_visible=False)
    console.print(Columns(roster.panels(), width=21))
    console.print(Text(f"{roster.total} people", style="dim"))


COMMANDS = [rooms, room]
