"""``endpoints`` (the registry as a table) and ``call ENDPOINT`` (any endpoint at all).

``call`` has one subcommand per endpoint, built from the session method's signature:
each parameter is an option (``--user-id 1000``), typed from its annotation, so
``call ENDPOINT --help`` lists that endpoint's parameters and shell completion knows
every endpoint name and option.  ``--json '{...}'`` passes keyword arguments as a
JSON object as well (typed options win).  A paginated endpoint prints its first page;
given ``--limit N`` it prints up to N items, one JSON line each, across pages.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any

import click
from rich.table import Table

from ...endpoints.registry import ENDPOINTS, ClubhouseEndpoint
from ...pagination import Pager
from ...session import ClubhouseSession
from ..failures import EXIT_USAGE, CliError
from ..groups import SuggestingGroup
from ..runtime import Runtime
from ..settings import global_options, settings_of
from ..terminal import out_console, print_json
from . import command

__all__ = ["COMMANDS", "EndpointGroup"]


def json_value(text: str) -> Any:
    """A JSON value (``[1, 2]``, ``{"a": 1}``, ``12``); anything else is taken as text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def id_list(text: str) -> list[int]:
    """Ids separated by commas (``1000,1001``) or as a JSON list."""
    try:
        if text.strip().startswith("["):
            return [int(item) for item in json.loads(text)]
        return [int(item) for item in text.split(",") if item.strip()]
    except (ValueError, TypeError):
        raise click.BadParameter(f"{text!r} is not a list of ids (e.g. 1000,1001)") from None


def _converting(
    convert: Callable[[str], Any],
) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        return convert(value) if isinstance(value, str) else value

    return callback


def _option_for(parameter: inspect.Parameter, annotation: Any) -> click.Option:
    """The option that fills ``parameter`` (never required here: --json may fill it)."""
    flag = "--" + parameter.name.replace("_", "-")
    required = parameter.default is inspect.Parameter.empty
    kind: Any = annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [member for member in typing.get_args(annotation) if member is not type(None)]
        kind = members[0] if len(members) == 1 else None
    if required:
        need = " (required)"
    elif parameter.default is None:
        need = ""
    else:
        need = f"; default {json.dumps(parameter.default, default=str)}"
    if kind is bool:
        return click.Option(
            [f"{flag}/--no-{flag[2:]}"], default=None, help=f"yes or no{need}".strip("; ")
        )
    if kind is int:
        return click.Option([flag], type=click.INT, help=need.strip("; "))
    if kind is float:
        return click.Option([flag], type=click.FLOAT, help=need.strip("; "))
    if kind is str:
        return click.Option([flag], type=click.STRING, help=need.strip("; "))
    if typing.get_origin(kind) is not None and typing.get_args(kind) == (int,):
        return click.Option(
            [flag], metavar="IDS", callback=_converting(id_list), help=f"e.g. 1000,1001{need}"
        )
    shown = getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")
    return click.Option(
        [flag], metavar="JSON", callback=_converting(json_value), help=f"{shown}{need}"
    )


def _describe(endpoint: ClubhouseEndpoint) -> str:
    traits = [f"HTTP {endpoint.method} {endpoint.path}"]
    if endpoint.paginated:
        traits.append("paginated: --limit N walks pages and prints items as JSON lines")
    if not endpoint.auth:
        traits.append("no login needed")
    return "; ".join(traits)


class EndpointGroup(SuggestingGroup):
    """``call``'s subcommands: one per endpoint of the registry, made on demand."""

    noun = "endpoint"

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(ENDPOINTS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in ENDPOINTS:
            return None
        return endpoint_command(cmd_name)


@functools.cache
def endpoint_command(name: str) -> click.Command:
    """The ``call NAME`` command, its options read from the method's signature."""
    method = getattr(ClubhouseSession, name)
    signature = inspect.signature(method)
    hints = typing.get_type_hints(method)
    parameters = list(signature.parameters.values())[1:]
    options: list[click.Parameter] = [
        _option_for(parameter, hints.get(parameter.name, Any)) for parameter in parameters
    ]
    options.append(
        click.Option(
            ["--json", "json_arguments"],
            metavar="OBJECT",
            help="keyword arguments as a JSON object, e.g. '{\"user_id\": 1000}'",
        )
    )
    doc = (inspect.getdoc(method) or name).replace("``", "")
    help_text = f"{doc}\n\n{_describe(ENDPOINTS[name])}"

    @click.pass_context
    def invoke(ctx: click.Context, /, json_arguments: str | None, **given: Any) -> None:
        arguments = _arguments(name, json_arguments)
        arguments.update({key: value for key, value in given.items() if value is not None})
        try:
            signature.bind(None, **arguments)
        except TypeError as error:
            raise CliError(f"{name}: {_plain(error)}", EXIT_USAGE) from None
        settings = settings_of(ctx)
        with Runtime(settings) as runtime:
            runtime.run(_call(runtime, name, arguments))

    command_ = click.Command(
        name,
        callback=invoke,
        params=options,
        help=help_text,
        short_help=doc.splitlines()[0],
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    return global_options()(command_)


def _plain(error: TypeError) -> str:
    """Python's complaint about the arguments, in the command line's terms."""
    text = str(error)
    missing = re.search(r"missing a required argument: '(\w+)'", text)
    if missing:
        return f"needs --{missing.group(1).replace('_', '-')}"
    unexpected = re.search(r"unexpected keyword argument '(\w+)'", text)
    if unexpected:
        return f"has no parameter {unexpected.group(1)!r}"
    return text or "these arguments do not fit"


def _arguments(name: str, text: str | None) -> dict[str, Any]:
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(f"--json: not valid JSON ({error.msg})", EXIT_USAGE) from None
    if not isinstance(value, dict):
        raise CliError("--json: must be a JSON object of keyword arguments", EXIT_USAGE)
    return value


async def _call(runtime: Runtime, name: str, arguments: dict[str, Any]) -> None:
    async with runtime.session() as session:
        result = getattr(session, name)(**arguments)
        if isinstance(result, Pager):
            if "limit" not in arguments:
                print_json(await result, pretty=True)  # the first page, with its cursor fields
                return
            async for item in result:
                print_json(item)
            return
        print_json(await result, pretty=True)


@click.group("call", cls=EndpointGroup)
@global_options()
def call() -> None:
    """Call any endpoint by name and print its answer as JSON (tokens redacted).

    `aioclubhouse call ENDPOINT --help` lists the endpoint's parameters;
    `aioclubhouse endpoints` lists the endpoints.
    """


def _rows(endpoints: Iterable[ClubhouseEndpoint]) -> list[dict[str, Any]]:
    return [
        {
            "endpoint": e.name,
            "method": e.method,
            "area": e.area,
            "paginated": e.paginated,
            "auth": e.auth,
            "idempotent": e.idempotent,
            "since_2022": e.since_2022,
        }
        for e in endpoints
    ]


@command("endpoints")
@click.option("--json", "as_json", is_flag=True, help="print the registry as JSON")
@click.argument("area", required=False)
def endpoints(as_json: bool, area: str | None) -> None:
    """Every endpoint `call` reaches (AREA: only those of one area, e.g. rooms)."""
    selected = [e for e in ENDPOINTS.values() if area is None or e.area == area]
    if not selected:
        areas = sorted({e.area for e in ENDPOINTS.values()})
        raise CliError(f"no area {area!r}; the areas are {', '.join(areas)}", EXIT_USAGE)
    if as_json:
        print_json(_rows(selected), pretty=True)
        return
    table = Table(title=f"{len(selected)} endpoints", title_justify="left")
    for column in ("endpoint", "method", "area", "paged", "login", "retried", "since 2022"):
        table.add_column(column, no_wrap=column == "endpoint")
    for e in selected:
        mark = {True: "✓", False: ""}
        table.add_row(
            e.name,
            e.method,
            e.area,
            mark[e.paginated],
            mark[e.auth],
            mark[e.idempotent],
            mark[e.since_2022],
        )
    out_console().print(table)


COMMANDS = [endpoints, call]
