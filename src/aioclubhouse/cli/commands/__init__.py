"""The commands, one module per area; each lists its click commands in ``COMMANDS``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..settings import global_options

__all__ = ["command"]


def command(name: str) -> Callable[[Callable[..., Any]], click.Command]:
    """``click.command`` with the global options added (they are accepted anywhere)."""

    def decorate(function: Callable[..., Any]) -> click.Command:
        add_options: Callable[[Callable[..., Any]], Callable[..., Any]] = global_options()
        make = click.command(name)
        return make(add_options(function))

    return decorate
