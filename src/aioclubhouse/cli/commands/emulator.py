"""``emulator``: a standalone emulator, as ``python -m aioclubhouse.emulator`` runs it.

Everything after ``emulator`` goes to the emulator's own options (``--port``,
``--seed``, ``--activity``, ``--state``, ...; ``aioclubhouse emulator --help`` lists
them).  Log in to it from another terminal with ``aioclubhouse --base-url URL login``.
"""

from __future__ import annotations

import click

__all__ = ["COMMANDS"]


@click.command(
    "emulator",
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "help_option_names": [],
    },
    add_help_option=False,
)
@click.argument("options", nargs=-1, type=click.UNPROCESSED)
def emulator(options: tuple[str, ...]) -> int:
    """Run a local Clubhouse service (API and PubNub) until Ctrl-C; --help lists its options."""
    from ...emulator.__main__ import main

    return main(list(options))


COMMANDS = [emulator]
