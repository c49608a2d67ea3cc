"""``listen [ROOM]``: join a room and follow it live until Ctrl-C or its end.

``--transcribe`` also joins the room's audio (``--backend``, as ``record`` does) with a
pocketsphinx transcriber, so what people say arrives among the events: "Name said: …"
lines, or ``speech_transcribed`` records with ``--json``.
"""

from __future__ import annotations

import asyncio
import contextlib

import click

from ...rooms import LeaveReason, Room
from ...rooms.audio import BACKEND_NAMES
from ...session import ClubhouseSession
from ..describe import Names
from ..failures import EXIT_SERVICE, CliError
from ..listen_view import JsonLines, LiveView, PlainLines, RoomOutput
from ..room_audio import audio_backend, live_transcriber
from ..runtime import Runtime
from ..settings import settings_of
from ..terminal import err_console, out_console, stop_when_stdout_closes
from . import command
from .rooms import busiest_first

__all__ = ["COMMANDS", "busiest_room"]


async def busiest_room(session: ClubhouseSession) -> str:
    """The fullest live room of the feed."""
    feed = await session.get_channels()
    live = busiest_first(feed.channels)
    if not live:
        raise CliError("there is no live room in your feed right now: name one")
    return live[0].channel


def _output(room: Room, names: Names, as_json: bool) -> RoomOutput:
    if as_json:
        return JsonLines(room, names)
    console = out_console()
    if console.is_terminal:
        return LiveView(room, names, console)
    return PlainLines(room, names)


@command("listen")
@click.argument("room", required=False)
@click.option(
    "--json", "as_json", is_flag=True, help="print events as JSON lines (the event format)"
)
@click.option("--seconds", type=click.FloatRange(min=0), help="leave after this many seconds")
@click.option(
    "--transcribe",
    is_flag=True,
    help="also transcribe what people say, as events (needs aioclubhouse[transcribe])",
)
@click.option(
    "--backend",
    type=click.Choice(BACKEND_NAMES),
    help="with --transcribe: where the audio comes from "
    "(default: fake with --emulator, agora-server otherwise)",
)
@click.pass_context
def listen(
    ctx: click.Context,
    room: str | None,
    as_json: bool,
    seconds: float | None,
    transcribe: bool,
    backend: str | None,
) -> None:
    """Join ROOM (default: the fullest live room) and follow it live.

    On a terminal the roster, the events and the connection state update in place;
    piped, each event is one line (--json: one JSON object).  Ctrl-C, the end of
    --seconds, the room's end or closing the pipe leaves the room.
    """
    settings = settings_of(ctx)
    with Runtime(settings) as runtime:
        audio = None
        if transcribe:
            audio = backend or ("fake" if runtime.embedded is not None else "agora-server")
        runtime.run(stop_when_stdout_closes(_listen(runtime, room, as_json, seconds, audio)))


async def _listen(
    runtime: Runtime,
    channel: str | None,
    as_json: bool,
    seconds: float | None,
    audio_name: str | None = None,
) -> None:
    """Follow the room; with ``audio_name``, its audio too, transcribed."""
    status = err_console()
    room: Room | None = None
    transcriber = live_transcriber() if audio_name is not None else None
    async with runtime.session() as session:
        channel = channel or await busiest_room(session)
        joined: list[Room] = []
        audio = audio_backend(runtime, audio_name, channel, joined) if audio_name else None
        try:
            async with await session.join_room(
                channel, audio=audio, transcriber=transcriber
            ) as room:
                joined.append(room)
                names = Names(me=session.user_id)
                names.learn(room.users)
                output = _output(room, names, as_json)
                if not isinstance(output, LiveView):
                    topic = room.state.topic or "(no topic)"
                    status.print(f"Listening to {channel}: {topic} (Ctrl-C leaves)", markup=False)
                with output.running(), contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(seconds):
                        async for event in room.events():
                            output.show(event)
        finally:
            if room is not None:
                reason = room.left_reason.value if room.left_reason else "user"
                status.print(f"Left {channel} ({reason.replace('_', ' ')})", markup=False)
    if room is not None and room.left_reason is LeaveReason.REALTIME_ERROR:
        raise CliError(f"the realtime connection to {channel} failed", EXIT_SERVICE)


COMMANDS = [listen]
