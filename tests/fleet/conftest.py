"""Fixtures of the fleet tests: a real nats-server."""

from ..support.nats import nats_client, nats_server

__all__ = ["nats_client", "nats_server"]
