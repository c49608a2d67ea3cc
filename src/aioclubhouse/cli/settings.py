"""The global options, accepted before or after the command's name.

Every command carries the same options as the root group (``aioclubhouse -v listen``
and ``aioclubhouse listen -v`` mean the same).  They all write into one
:class:`Settings` object shared by the whole invocation: the root group's values come
from the command line, the environment or the defaults; a command's own copy of an
option only counts when it was typed, so an environment default never overrides what
was typed before the command's name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click
from click.core import ParameterSource

from ..profiles import DEFAULT_PROFILE, PROFILE_ENV

__all__ = ["ENV_BASE_URL", "Settings", "global_options", "settings_of"]

ENV_BASE_URL = "AIOCLUBHOUSE_BASE_URL"

T = TypeVar("T", bound=Callable[..., Any])


@attrs.define(kw_only=True)
class Settings:
    """What the global options say for one invocation."""

    profile: str = DEFAULT_PROFILE
    credentials: Path | None = None
    base_url: str | None = None
    emulator: bool = False
    allow_other_host: bool = False
    debug: bool = False
    verbose: int = 0
    service: str | None = None
    """The API base URL the command talks to, once known (for error messages)."""
    secrets: set[str] = attrs.field(factory=set, repr=False)
    """The tokens of the login in use: never printed, even inside an error."""


def settings_of(ctx: click.Context) -> Settings:
    """The invocation's settings (made by the root group, shared by every command)."""
    return ctx.ensure_object(Settings)


def _store(field: str, *, counting: bool = False) -> Callable[[click.Context, Any, Any], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        assert param.name is not None
        source = ctx.get_parameter_source(param.name)
        is_root = ctx.parent is None
        if not is_root and source is not ParameterSource.COMMANDLINE:
            return
        settings = settings_of(ctx)
        if counting:
            setattr(settings, field, getattr(settings, field) + int(value or 0))
        elif value is not None:
            setattr(settings, field, value)

    return callback


def _options(root: bool) -> list[click.Option]:
    """The global options; only the root group reads the environment."""
    env = (lambda name: name) if root else (lambda name: None)
    return [
        click.Option(
            ["--profile"],
            metavar="NAME",
            envvar=env(PROFILE_ENV),
            expose_value=False,
            callback=_store("profile"),
            help=f"which saved login to use (env {PROFILE_ENV}; default '{DEFAULT_PROFILE}')",
        ),
        click.Option(
            ["--base-url"],
            metavar="URL",
            envvar=env(ENV_BASE_URL),
            expose_value=False,
            callback=_store("base_url"),
            help="the API to talk to (default: the one the profile logged in at)",
        ),
        click.Option(
            ["--allow-other-host"],
            is_flag=True,
            default=None,
            expose_value=False,
            callback=_store("allow_other_host"),
            help="send the profile's tokens to a --base-url other than its own",
        ),
        click.Option(
            ["--credentials"],
            metavar="FILE",
            type=click.Path(dir_okay=False, path_type=Path),
            expose_value=False,
            callback=_store("credentials"),
            help="a credentials file to use instead of the profile's",
        ),
        click.Option(
            ["--emulator"],
            is_flag=True,
            default=None,
            expose_value=False,
            callback=_store("emulator"),
            help="run against an embedded emulator with simulated activity, logged in",
        ),
        click.Option(
            ["-v", "--verbose"],
            count=True,
            expose_value=False,
            callback=_store("verbose", counting=True),
            help="log what happens (-vv: everything)",
        ),
        click.Option(
            ["--debug"],
            is_flag=True,
            default=None,
            expose_value=False,
            callback=_store("debug"),
            help="show the traceback of an error",
        ),
    ]


def global_options(*, root: bool = False) -> Callable[[T], T]:
    """Add the global options to a command function or a built command, after its own."""

    def decorate(target: T) -> T:
        options = _options(root)
        if isinstance(target, click.Command):
            target.params.extend(options)
        else:  # click reverses a function's pending options when it builds the command
            pending = getattr(target, "__click_params__", [])
            target.__click_params__ = [*reversed(options), *pending]  # type: ignore[attr-defined]
        return target

    return decorate
