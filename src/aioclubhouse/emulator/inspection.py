"""Read-only views of the emulator's truth over HTTP, for tests in other processes.

``GET /_emulator/membership?user_ids=1,2`` lists who entered and left which room
when (:mod:`.membership`), ``GET /_emulator/messages?channel=channel_all.abc`` every
retained realtime message of a channel, and ``GET /_emulator/rooms`` the live rooms
with their members.  They are outside ``/api/`` (no token, no rate limit) and change
nothing; a test that runs the emulator as a child process asks them what happened.
"""

from __future__ import annotations

from aiohttp import web

from aioclubhouse.emulator.pubnub import PubNubHub
from aioclubhouse.emulator.world import World

PREFIX = "/_emulator"


def add_inspection_routes(app: web.Application, world: World, hub: PubNubHub) -> None:
    async def membership(request: web.Request) -> web.Response:
        text = request.query.get("user_ids", "")
        try:
            wanted = [int(part) for part in text.split(",") if part.strip()] if text else None
        except ValueError:
            raise web.HTTPBadRequest(text="user_ids: comma-separated whole numbers") from None
        changes = world.membership.changes(wanted)
        return web.json_response({"changes": [change.to_json() for change in changes]})

    async def messages(request: web.Request) -> web.Response:
        channel = request.query.get("channel", "")
        found = [
            {"timetoken": message.timetoken, "payload": message.payload}
            for message in hub.messages(channel)
        ]
        return web.json_response({"channel": channel, "messages": found})

    async def rooms(request: web.Request) -> web.Response:
        live = [
            {"channel": room.channel, "topic": room.topic, "users": sorted(room.users)}
            for room in world.state.rooms.values()
        ]
        return web.json_response({"rooms": live})

    app.router.add_get(f"{PREFIX}/membership", membership)
    app.router.add_get(f"{PREFIX}/messages", messages)
    app.router.add_get(f"{PREFIX}/rooms", rooms)
