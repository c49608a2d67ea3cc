"""The emulated PubNub presence endpoints: heartbeat, leave and here_now.

Who is present is kept by `PresenceTracker` (`presence`); this module answers the
requests that read and change it, as the service would: a heartbeat or a leave
needs a token that may read every channel it names, used by its own user (its
``uuid``), else it is refused 403 and changes nothing.  here_now needs read access
to the channels it asks about.  Every heartbeat and leave is logged as answered
(`PresenceRequest`, never the token) so that tests can assert what crossed the
socket, and wait for it (`wait_for`) instead of sleeping.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any

import attrs
from aiohttp import web

from aioclubhouse.emulator.presence import PresenceTracker
from aioclubhouse.emulator.pubnub_access import AccessManager
from aioclubhouse.emulator.pubnub_wire import (
    bad_request,
    forbidden,
    is_presence_channel,
    presence_timeout,
    requested_channels,
)

__all__ = ["PRESENCE_LOG_SIZE", "PresenceEndpoints", "PresenceRequest"]

PRESENCE_LOG_SIZE = 10_000
OK = {"status": 200, "message": "OK", "service": "Presence"}


@attrs.frozen(kw_only=True)
class PresenceRequest:
    """One heartbeat or leave request as the hub answered it (tokens are never kept)."""

    kind: str
    """``heartbeat`` or ``leave``."""
    uuid: str | None
    channels: tuple[str, ...]
    heartbeat: str | None
    """The ``heartbeat=`` parameter as sent (the presence timeout), if any."""
    pnsdk: str | None
    status: int
    """200, or the refusal's status (403 when the token may not act so)."""
    received_at: float
    """The hub's clock when it arrived."""


class PresenceEndpoints:
    """Answers heartbeat, leave and here_now against `tracker`, checking `access`."""

    def __init__(
        self, tracker: PresenceTracker, access: AccessManager, clock: Callable[[], float]
    ) -> None:
        self.tracker = tracker
        self.access = access
        self._clock = clock
        self.requests: deque[PresenceRequest] = deque(maxlen=PRESENCE_LOG_SIZE)
        """The latest heartbeats and leaves, oldest first."""
        self._watchers: set[asyncio.Future[None]] = set()

    def add_routes(self, app: web.Application) -> None:
        presence = "/v2/presence/sub-key/{sub_key}/channel/{channels}"
        app.router.add_get(presence + "/heartbeat", self.heartbeat)
        app.router.add_get(presence + "/leave", self.leave)
        app.router.add_get(presence, self.here_now)
        # The Java SDK of the official apps spells the segment with an underscore.
        app.router.add_get("/v2/presence/sub_key/{sub_key}/channel/{channels}", self.here_now)

    async def wait_for(
        self, count: int = 1, *, kind: str | None = None, uuid: str | None = None
    ) -> list[PresenceRequest]:
        """The logged requests (of `kind`, from `uuid`) once there are at least `count`."""
        loop = asyncio.get_running_loop()
        while True:
            matching = [
                request
                for request in self.requests
                if (kind is None or request.kind == kind) and (uuid is None or request.uuid == uuid)
            ]
            if len(matching) >= count:
                return matching
            arrived: asyncio.Future[None] = loop.create_future()
            self._watchers.add(arrived)
            try:
                await arrived
            finally:
                self._watchers.discard(arrived)

    # -- routes -------------------------------------------------------------------------------

    async def heartbeat(self, request: web.Request) -> web.Response:
        channels = requested_channels(request)
        refusal = self._refusal(request, channels)
        if refusal is None:
            self.tracker.heartbeat(
                _present_on(channels),
                request.query["uuid"],
                presence_timeout(request),
                self._clock(),
            )
        self._log("heartbeat", request, channels, refusal)
        return refusal if refusal is not None else web.json_response(OK)

    async def leave(self, request: web.Request) -> web.Response:
        channels = requested_channels(request)
        refusal = self._refusal(request, channels)
        if refusal is None:
            self.tracker.leave(_present_on(channels), request.query["uuid"], self._clock())
        self._log("leave", request, channels, refusal)
        return refusal if refusal is not None else web.json_response({**OK, "action": "leave"})

    async def here_now(self, request: web.Request) -> web.Response:
        channels = requested_channels(request)
        if not channels:
            return bad_request("Invalid channel: here_now needs at least one channel")
        denied = self._denied(request, channels)
        if denied:
            return forbidden(denied)
        with_uuids = request.query.get("disable_uuids") != "1"
        with_state = request.query.get("state") == "1"

        def describe(occupants: list[str]) -> dict[str, Any]:
            described: dict[str, Any] = {"occupancy": len(occupants)}
            if with_uuids:
                described["uuids"] = (
                    [{"uuid": uuid} for uuid in occupants] if with_state else occupants
                )
            return described

        if len(channels) == 1:
            return web.json_response({**OK, **describe(self.tracker.occupants(channels[0]))})
        occupied = {
            channel: describe(occupants)
            for channel in channels
            if (occupants := self.tracker.occupants(channel))
        }
        payload = {
            "channels": occupied,
            "total_channels": len(occupied),
            "total_occupancy": sum(entry["occupancy"] for entry in occupied.values()),
        }
        return web.json_response({**OK, "payload": payload})

    # -- checks and the log -------------------------------------------------------------------

    def _denied(self, request: web.Request, channels: list[str]) -> list[str]:
        token, now = request.query.get("auth"), self._clock()
        return [channel for channel in channels if not self.access.is_allowed(token, channel, now)]

    def _refusal(self, request: web.Request, channels: list[str]) -> web.Response | None:
        """The answer refusing a heartbeat or leave, or None when it may change presence:
        its token must read every channel, and be used by its own user."""
        if not channels:
            return bad_request("Invalid channel: presence needs at least one channel")
        denied = self._denied(request, channels)
        if denied:
            return forbidden(denied)
        token, uuid = request.query.get("auth"), request.query.get("uuid")
        if not self.access.may_act_as(token, uuid, self._clock()):
            return forbidden(channels)
        return None

    def _log(
        self,
        kind: str,
        request: web.Request,
        channels: list[str],
        refusal: web.Response | None,
    ) -> None:
        self.requests.append(
            PresenceRequest(
                kind=kind,
                uuid=request.query.get("uuid"),
                channels=tuple(channels),
                heartbeat=request.query.get("heartbeat"),
                pnsdk=request.query.get("pnsdk"),
                status=200 if refusal is None else refusal.status,
                received_at=self._clock(),
            )
        )
        for watcher in self._watchers:
            if not watcher.done():
                watcher.set_result(None)


def _present_on(channels: list[str]) -> list[str]:
    """The channels presence is kept for (not the ``-pnpres`` channels themselves)."""
    return [channel for channel in channels if not is_presence_channel(channel)]
