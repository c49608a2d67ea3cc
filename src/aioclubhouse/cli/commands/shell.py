"""``completion SHELL``: the script that teaches bash, zsh or fish to complete commands.

Completion covers command names, options, choices, and every endpoint name and
parameter of ``call``.  Install it once::

    echo 'eval "$(aioclubhouse completion bash)"' >> ~/.bashrc
    echo 'eval "$(aioclubhouse completion zsh)"' >> ~/.zshrc
    aioclubhouse completion fish > ~/.config/fish/completions/aioclubhouse.fish
"""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from ..terminal import write_line

__all__ = ["COMMANDS", "COMPLETE_VAR", "SHELLS"]

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_AIOCLUBHOUSE_COMPLETE"


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(context: click.Context, shell: str) -> None:
    """Print the completion script for SHELL (bash, zsh or fish).

    \b
    bash:  eval "$(aioclubhouse completion bash)"   (in ~/.bashrc)
    zsh:   eval "$(aioclubhouse completion zsh)"    (in ~/.zshrc)
    fish:  aioclubhouse completion fish > ~/.config/fish/completions/aioclubhouse.fish
    """
    root = context.find_root().command  # the whole command tree, whatever it is named
    completer = get_completion_class(shell)
    assert completer is not None  # the three SHELLS are click's own
    write_line(completer(root, {}, "aioclubhouse", COMPLETE_VAR).source())


COMMANDS = [completion]
