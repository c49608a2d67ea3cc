"""``export KIND ID --out FILE``: a whole listing to JSON lines or CSV, resumable.

Every page goes through the session, so the client-side rate limit and the retries
after a 429 (honouring Retry-After) pace the walk; the progress bar on stderr shows
items, pages, the rate and, when the service says how many there are, the time left.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ...pagination import Pager
from ...session import ClubhouseSession
from ..export_file import ExportFile
from ..failures import EXIT_USAGE, CliError
from ..runtime import Runtime
from ..settings import settings_of
from ..terminal import err_console, out_console
from . import command

__all__ = ["COMMANDS", "EXPORTS"]


@attrs.frozen(kw_only=True)
class Export:
    """One kind of listing: how to page through it and what its items are."""

    what: str
    of: str
    pager: Callable[[ClubhouseSession, int, int], Pager[Any]]
    me_allowed: bool = False


EXPORTS = {
    "followers": Export(
        what="followers",
        of="user",
        pager=lambda s, i, p: s.get_followers(i, page=p),
        me_allowed=True,
    ),
    "following": Export(
        what="people followed",
        of="user",
        pager=lambda s, i, p: s.get_following(i, page=p),
        me_allowed=True,
    ),
    "club-members": Export(
        what="members", of="club", pager=lambda s, i, p: s.get_club_members(i, page=p)
    ),
    "topic-users": Export(
        what="people interested", of="topic", pager=lambda s, i, p: s.get_users_for_topic(i, page=p)
    ),
}


class RateColumn(ProgressColumn):
    """Items per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f}/s", style="progress.data.speed")


def _target(kind: Export, given: str, session_user: int | None) -> int:
    if given == "me" and kind.me_allowed and session_user is not None:
        return session_user
    try:
        value = int(given)
    except ValueError:
        allowed = " or 'me'" if kind.me_allowed else ""
        raise CliError(f"ID must be a {kind.of} id{allowed}, not {given!r}", EXIT_USAGE) from None
    if value <= 0:
        raise CliError(f"ID must be a positive {kind.of} id, not {value}", EXIT_USAGE)
    return value


@command("export")
@click.argument("kind", type=click.Choice(sorted(EXPORTS)))
@click.argument("item_id", metavar="ID")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="the file to write: FILE.jsonl (JSON lines) or FILE.csv",
)
@click.option("--force", is_flag=True, help="replace --out if it exists (not when resuming)")
@click.pass_context
def export(ctx: click.Context, kind: str, item_id: str, out: Path, force: bool) -> None:
    """Write every follower, followed person, club member or topic follower to a file.

    ID is a user id (or 'me') for followers and following, a club id for
    club-members, a topic id for topic-users.  An interrupted export resumes where it
    stopped when the same command is run again (its place is kept in OUT.cursor).
    """
    settings = settings_of(ctx)
    ExportFile.format_of(out)
    with Runtime(settings) as runtime:
        runtime.run(_export(runtime, kind, item_id, out, force))


async def _export(runtime: Runtime, kind_name: str, given: str, out: Path, force: bool) -> None:
    kind = EXPORTS[kind_name]
    async with runtime.session() as session:
        target = _target(kind, given, session.user_id)
        output = ExportFile.open(out, export=kind_name, item_id=target, force=force)
        cursor = output.cursor
        status = err_console()
        if output.resumed:
            status.print(
                f"Resuming at page {cursor.next_page} ({cursor.items} items already in {out})",
                markup=False,
            )
        progress = Progress(
            TextColumn(f"{kind.what} of {kind.of} {target}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("items · {task.fields[pages]} pages ·"),
            RateColumn(),
            TimeRemainingColumn(),
            console=status,
        )
        done = False
        try:
            with progress:
                task: TaskID = progress.add_task(
                    "export", total=cursor.total, completed=cursor.items, pages=cursor.pages
                )
                async for page in kind.pager(session, target, cursor.next_page).pages():
                    total = page.count if page.count is not None and page.count >= 0 else None
                    added = output.write_page(page.items, next_page=page.next, total=total)
                    progress.update(task, advance=added, total=cursor.total, pages=cursor.pages)
                if cursor.total is None or cursor.total < cursor.items:
                    progress.update(task, total=cursor.items)
            done = True
        finally:
            if done:
                output.finish()
            elif cursor.pages == 0:
                output.discard()  # nothing was exported: no file, nothing to resume
            else:
                output.close()
                status.print(
                    f"Stopped after {cursor.items} items ({cursor.pages} pages); "
                    "run the same command again to continue",
                    markup=False,
                )
    out_console().print(
        f"Exported {cursor.items} {kind.what} of {kind.of} {target} to {out} "
        f"({cursor.pages} pages)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


COMMANDS = [export]
