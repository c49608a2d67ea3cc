"""A click group that answers a mistyped name with "did you mean ..."."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import click

__all__ = ["SuggestingGroup", "unknown"]


class SuggestingGroup(click.Group):
    """A group that answers a mistyped command with the closest names."""

    noun = "command"

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if (
            not name.startswith("-")
            and self.get_command(ctx, name) is None
            and not ctx.resilient_parsing
        ):
            ctx.fail(unknown(name, self.list_commands(ctx), what=self.noun))
        return super().resolve_command(ctx, args)


def unknown(name: str, known: Sequence[str], *, what: str) -> str:
    """ "no command 'x'", with "did you mean ..." when something is close."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if not close:
        close = [k for k in known if name and (name in k or k in name)][:3]
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return f"no {what} {name!r}{hint}"
