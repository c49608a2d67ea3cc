"""The ``aioclubhouse`` command: the root group, its commands, and how a run ends.

Built on click (a small, typed, long-maintained framework whose programmatic API
lets ``call`` build one subcommand per endpoint from the method signatures, with
shell completion for all of them) and rich (tables, panels, live views, progress).
Every failure ends in one line and an exit code (:mod:`.failures`).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import click
from rich.markup import escape

from ..redaction import scrub
from .failures import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, explain
from .groups import SuggestingGroup
from .runtime import login_hint
from .settings import Settings, global_options
from .terminal import PipeClosed, err_console, silence_stdout

__all__ = ["RootGroup", "cli", "run"]


def package_version() -> str:
    try:
        return version("aioclubhouse")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


class RootGroup(SuggestingGroup):
    """The ``aioclubhouse`` group: its ``main`` turns every ending into an exit code.

    ``main(..., standalone_mode=False)`` returns the code; the default (standalone)
    exits with it, which is what the console script and click's test runner see.
    """

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        settings = extra.pop("obj", None) or Settings()
        code = self._run(args, prog_name or "aioclubhouse", complete_var, settings, extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(
        self,
        args: Sequence[str] | None,
        prog_name: str,
        complete_var: str | None,
        settings: Settings,
        extra: dict[str, Any],
    ) -> int:
        try:
            result: Any = super().main(
                args=list(args) if args is not None else None,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                obj=settings,
                **extra,
            )
        except click.exceptions.Abort:  # Ctrl-C, as click reports it from inside a command
            return EXIT_INTERRUPTED
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except click.UsageError as error:
            error.show()
            return EXIT_USAGE
        except click.ClickException as error:
            error.show()
            return error.exit_code
        except PipeClosed:
            silence_stdout()
            return EXIT_OK
        except Exception as error:
            return report(error, settings)
        return result if isinstance(result, int) else EXIT_OK


@click.group(
    cls=RootGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="The global options are accepted before or after the command's name. "
    "Exit codes: 0 done, 1 the service or network failed, 2 wrong usage, "
    "3 a login is needed, 130 interrupted.",
)
@click.version_option(package_version(), "--version", prog_name="aioclubhouse")
@global_options(root=True)
def cli() -> None:
    """Use Clubhouse from the command line: rooms, live events, recordings, exports,
    and every API endpoint.  Add --emulator to any command to try it offline."""


def _register() -> None:
    from .commands import (
        account,
        api,
        bridge,
        emulator,
        events,
        export,
        fleet,
        listen,
        record,
        rooms,
        shell,
    )

    modules = (account, rooms, listen, events, record, export, bridge, fleet, api, emulator, shell)
    for module in modules:
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit code (see :mod:`.failures`)."""
    return cli.main(args=argv, prog_name="aioclubhouse", standalone_mode=False)


def report(error: BaseException, settings: Settings) -> int:
    """Say what went wrong in one line (with the traceback under ``--debug``)."""
    code, message = explain(error, login_hint=login_hint(settings), service=settings.service)
    message = " ".join(message.split())  # one line, whatever the service's text held
    console = err_console()
    if settings.debug:
        text = "".join(traceback.format_exception(error))
        console.print(scrub(text, settings.secrets), markup=False, highlight=False, soft_wrap=True)
    console.print(
        f"[bold red]error:[/] {escape(scrub(message, settings.secrets))}",
        highlight=False,
        soft_wrap=True,
    )
    sys.stderr.flush()
    return code
