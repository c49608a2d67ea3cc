"""``events``: what is sent to you outside rooms (invitations and their answers).

Those events travel on your PubNub user channel.  Where the API's own host serves
PubNub (the emulator) the login's token reads it.  The real service's PubNub is
another host, which the login's token is never sent to, and which wants a PubNub
token: the service hands one out only with a room.  So there the one way is
``aioclubhouse listen ROOM``, whose subscription includes your user channel (its
events appear among the room's); a program that already holds such a token may pass
it in ``$AIOCLUBHOUSE_PUBNUB_TOKEN`` or in a file (``--pubnub-token-file``), never on
the command line, where every user of the machine could read it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from pathlib import Path

import click

from ...bridge import to_json
from ...errors import InvalidArgumentError
from ...rooms import Left, UserEvents
from ..describe import Names, describe
from ..failures import EXIT_USAGE, CliError
from ..runtime import Runtime
from ..settings import settings_of
from ..terminal import err_console, stop_when_stdout_closes, write_line
from . import command

__all__ = ["COMMANDS", "PUBNUB_TOKEN_ENV"]

PUBNUB_TOKEN_ENV = "AIOCLUBHOUSE_PUBNUB_TOKEN"

NEEDS_ROOM = (
    "your user events are on PubNub at {origin}, which takes only a PubNub token, "
    "and the service hands one out only with a room: `aioclubhouse listen ROOM` shows "
    f"them among the room's events (or put a token you hold in ${PUBNUB_TOKEN_ENV} "
    "or a file given with --pubnub-token-file)"
)


def _refuse_token(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        raise click.BadParameter(
            "tokens are not taken on the command line, where other users of the machine "
            f"can read them: put it in ${PUBNUB_TOKEN_ENV} or a file (--pubnub-token-file)"
        )


def _token(path: Path | None) -> str | None:
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise CliError(f"cannot read {path}: {error.strerror}", EXIT_USAGE) from None
        if not text:
            raise CliError(f"{path} holds no token", EXIT_USAGE)
        return text
    return os.environ.get(PUBNUB_TOKEN_ENV) or None


@command("events")
@click.option("--json", "as_json", is_flag=True, help="print events as JSON lines")
@click.option("--seconds", type=click.FloatRange(min=0), help="stop after this many seconds")
@click.option(
    "--pubnub-token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"a file holding a PubNub token for your user channel (or ${PUBNUB_TOKEN_ENV})",
)
@click.option("--pubnub-origin", metavar="HOST[:PORT]", help="the PubNub host to read from")
@click.option(
    "--pubnub-token", hidden=True, expose_value=False, callback=_refuse_token, is_eager=True
)
@click.pass_context
def events(
    ctx: click.Context,
    as_json: bool,
    seconds: float | None,
    pubnub_token_file: Path | None,
    pubnub_origin: str | None,
) -> None:
    """Follow the events sent to you outside rooms: invitations and their answers.

    Against the real service this needs a PubNub token, which comes only with a room:
    use `aioclubhouse listen ROOM` there (your events show among the room's).
    """
    settings = settings_of(ctx)
    token = _token(pubnub_token_file)
    with Runtime(settings) as runtime:
        work = _follow(runtime, as_json, seconds, token, pubnub_origin)
        runtime.run(stop_when_stdout_closes(work))


async def _follow(
    runtime: Runtime,
    as_json: bool,
    seconds: float | None,
    token: str | None,
    origin: str | None,
) -> None:
    async with runtime.session() as session:
        if token:
            runtime.settings.secrets.add(token)
        try:
            stream: UserEvents = session.user_events(pubnub_token=token, pubnub_origin=origin)
        except InvalidArgumentError as error:
            if error.field != "pubnub_token":
                raise
            where = origin or "the service's PubNub host"
            raise CliError(NEEDS_ROOM.format(origin=where), EXIT_USAGE) from None
        names = Names(me=session.user_id)
        err_console().print("Following your user events (Ctrl-C stops)", markup=False)
        async with stream:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(seconds):
                    async for event in stream:
                        names.learn_event(event)
                        if as_json:
                            write_line(to_json(event))
                        elif isinstance(event, Left):
                            reason = event.reason.value.replace("_", " ")
                            write_line(f"{time.strftime('%H:%M:%S')}  stopped ({reason})")
                        else:
                            write_line(f"{time.strftime('%H:%M:%S')}  {describe(event, names)}")


COMMANDS = [events]
