"""The Clubhouse HTTP API: every endpoint under ``/api/<name>``.

Endpoints are declared per area (``account``, ``users``, ``rooms``, ``clubs``,
``events``, ``chats``) with the fields they read; `routing` checks requests and turns
the world's refusals into the service's error bodies.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from aiohttp import web

from aioclubhouse.emulator.api import account, chats, clubs, events, rooms, users
from aioclubhouse.emulator.api.routing import Route, make_dispatcher
from aioclubhouse.emulator.config import EmulatorConfig

if TYPE_CHECKING:
    from aioclubhouse.emulator.world import World

__all__ = ["ROUTES", "add_api_routes"]


def _collect() -> dict[str, Route]:
    collected: dict[str, Route] = {}
    for area in (account, users, rooms, clubs, events, chats):
        for name, route in area.routes.routes.items():
            if name in collected:
                raise ValueError(f"endpoint {name} declared in two areas")
            collected[name] = route
    return collected


ROUTES = MappingProxyType(_collect())
"""Every endpoint the emulator serves, by name."""


def add_api_routes(app: web.Application, world: World, config: EmulatorConfig) -> None:
    """Serve every Clubhouse endpoint of `world` under ``/api/<name>``.

    `config` is the one `world` was built with; the handlers read it there.
    """
    app.router.add_route("*", "/api/{name}", make_dispatcher(dict(ROUTES), world))
