"""The shape of a request-shape test case, shared by the ``cases_*.py`` modules.

Each case calls one session method against aioresponses and states the exact query
string and JSON body the endpoint must send; ``test_endpoint_requests.py`` runs them
all and checks that together they cover every row of ``aioclubhouse.ENDPOINTS``, and
the reliability properties feed each one hostile answers. :func:`all_cases` gathers
them.
"""

from __future__ import annotations

import importlib
import pathlib
from collections.abc import Awaitable, Callable
from typing import Any

import attrs

from aioclubhouse.identity import AppIdentity
from aioclubhouse.session import ClubhouseSession


@attrs.define(kw_only=True)
class EndpointCase:
    """One call and the request it must produce."""

    name: str
    call: Callable[[ClubhouseSession], Awaitable[Any]]
    query: dict[str, str] = attrs.field(factory=dict)
    body: dict[str, Any] | None = None
    response: dict[str, Any] = attrs.field(factory=lambda: {"success": True})
    check: Callable[[Any], None] | None = None
    multipart: bool = False
    identity: AppIdentity | None = None
    """The app the session presents (the default iOS one unless given)."""
    id: str | None = None

    @property
    def label(self) -> str:
        return self.id or self.name


def all_cases() -> list[EndpointCase]:
    """Every case of every ``cases_*.py`` module beside this one, in file order."""
    cases: list[EndpointCase] = []
    for path in sorted(pathlib.Path(__file__).parent.glob("cases_*.py")):
        module = importlib.import_module(f"{__package__}.{path.stem}")
        cases.extend(module.CASES)
    return cases
