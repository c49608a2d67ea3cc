"""Reaching NATS: the optional ``nats-py`` package, imported when first needed, and connecting.

``pip install 'aioclubhouse[nats]'`` brings ``nats-py``; without it, anything that
needs NATS raises :class:`NatsError` saying so, and nothing else of the SDK changes.

:func:`connect` bounds the first connection (an unreachable server is an error
naming it, after ``connect_timeout`` seconds, with nothing left running) and then
lets the client reconnect for as long as the program runs, logging each change.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Final

from ..errors import ClubhouseError, InvalidArgumentError
from ..redaction import get_logger
from .sink import safe_url

if TYPE_CHECKING:
    from nats.aio.client import Client

__all__ = ["EXTRA_HINT", "NatsError", "close_quietly", "connect", "nats_module", "server_list"]

log = get_logger("aioclubhouse.nats")

EXTRA_HINT: Final = "pip install 'aioclubhouse[nats]'"
DEFAULT_CONNECT_TIMEOUT: Final = 5.0


class NatsError(ClubhouseError):
    """NATS could not be used: the package is missing, the server unreachable, or
    JetStream refused something.  The message names the server (never its password)."""


def nats_module() -> ModuleType:
    """The ``nats`` package, or :class:`NatsError` telling how to install it."""
    try:
        module = importlib.import_module("nats")
        importlib.import_module("nats.js.api")
        importlib.import_module("nats.js.errors")
    except ImportError:
        raise NatsError(f"NATS support needs the nats-py package: {EXTRA_HINT}") from None
    return module


def server_list(servers: str | Sequence[str]) -> list[str]:
    """``servers`` as a list of ``nats://`` URLs (a text may hold several, comma-separated)."""
    items = servers.split(",") if isinstance(servers, str) else list(servers)
    urls = [item.strip() for item in items if item and item.strip()]
    if not urls:
        raise InvalidArgumentError("servers", "name at least one NATS server")
    for url in urls:
        scheme = url.split("://", 1)[0] if "://" in url else ""
        if scheme not in ("nats", "tls", "ws", "wss"):
            raise InvalidArgumentError(
                "servers", f"{safe_url(url)!r} is not a NATS URL (nats://host:port)"
            )
    return urls


def shown(servers: Sequence[str]) -> str:
    return ",".join(safe_url(url) for url in servers)


async def connect(
    servers: str | Sequence[str],
    *,
    name: str = "aioclubhouse",
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
) -> Client:
    """A connected NATS client, or :class:`NatsError` naming the servers and the reason."""
    urls = server_list(servers)
    nats = nats_module()
    client: Client = nats.aio.client.Client()
    last_error: list[BaseException] = []

    async def on_error(error: Exception) -> None:
        last_error[:] = [error]
        if client.is_connected:
            log.warning("NATS %s: %s", shown(urls), type(error).__name__)

    async def on_disconnected() -> None:
        if not client.is_closed:  # not when the program closes it
            log.warning("NATS %s: disconnected; reconnecting", shown(urls))

    async def on_reconnected() -> None:
        log.warning("NATS %s: reconnected", shown(urls))

    try:
        async with asyncio.timeout(connect_timeout):
            await client.connect(
                urls,
                name=name,
                error_cb=on_error,
                disconnected_cb=on_disconnected,
                reconnected_cb=on_reconnected,
                connect_timeout=max(1, int(connect_timeout / 2)),
                reconnect_time_wait=1,
                max_reconnect_attempts=-1,
            )
    except (TimeoutError, OSError, nats.errors.Error) as exc:
        await close_quietly(client)
        cause = last_error[0] if last_error else exc
        reason = str(cause) or type(cause).__name__
        raise NatsError(
            f"cannot connect to NATS at {shown(urls)} within {connect_timeout:g} s ({reason})"
        ) from None
    except BaseException:
        await close_quietly(client)
        raise
    return client


async def close_quietly(client: Client) -> None:
    """Close a client whose server may be gone (closing then fails; nothing is lost)."""
    try:
        await client.close()
    except Exception as exc:
        log.debug("closing a NATS client: %s", type(exc).__name__)
