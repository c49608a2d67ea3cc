"""Helpers shared by the room tests."""

from __future__ import annotations

from typing import Any

from aioclubhouse.auth import Credentials
from aioclubhouse.emulator import Emulator
from aioclubhouse.emulator.models import User
from aioclubhouse.rooms import RealtimeOptions, RealtimePool, Room, join_room
from aioclubhouse.session import ClubhouseSession
from aioclubhouse.transport import RetryPolicy

from ..support.waiting import until

FAST = RealtimeOptions(
    request_timeout=15,
    connect_timeout=5,
    reconnect_delay=0.05,
    max_reconnect_delay=0.5,
)
"""Quick retries, and a client timeout above the emulator's long-poll time."""


class People:
    """Makes logged-in users with sessions against the emulator; closes them at the end."""

    def __init__(self, emu: Emulator, pool: RealtimePool) -> None:
        self.emu = emu
        self.pool = pool
        self.sessions: list[ClubhouseSession] = []
        self.rooms: list[Room] = []

    async def session(self, name: str) -> ClubhouseSession:
        login = self.emu.login(name=name)
        session = ClubhouseSession(
            Credentials(
                user_id=login["user_id"],
                auth_token=login["auth_token"],
                device_id=login["device_id"],
            ),
            base_url=self.emu.base_url,
            rate_limit=None,
            retry=RetryPolicy(max_retries=3, base_delay=0.05, max_delay=0.2),
        )
        await session.__aenter__()
        self.sessions.append(session)
        return session

    def user(self, session: ClubhouseSession) -> User:
        assert session.user_id is not None
        return self.emu.world.user(session.user_id)

    async def join(self, session: ClubhouseSession, channel: str, **options: Any) -> Room:
        options.setdefault("pool", self.pool)
        room = await join_room(session, channel, **options)
        self.rooms.append(room)
        return room

    async def room_with_moderator(self, topic: str = "test room") -> tuple[ClubhouseSession, str]:
        moderator = await self.session("Mia Moderator")
        created = await moderator.create_channel(topic=topic)
        return moderator, created.channel

    async def close(self) -> None:
        for room in self.rooms:
            await room.leave()
        for session in self.sessions:
            await session.close()


async def until_polling(emu: Emulator, room: Room) -> None:
    """Wait until the room's long-poll is open on the emulator.

    A message sent after the room's token was revoked (``leave_channel`` when the
    service takes you out) only reaches a poll that was open before; tests that need
    such a message wait for this first.
    """
    channel = f"channel_all.{room.channel}"
    uuid = str(room.user_id)
    await until(lambda: emu.hub.is_polling(uuid, channel), what="an open long-poll")


async def between_polls(emu: Emulator, room: Room, *, hold: float = 1.0) -> None:
    """Bring the room's realtime link between two long-polls, and keep it there.

    The open poll is answered (with a message nobody acts on) and every later poll is
    held for ``hold`` seconds, then answered empty, until the test sets
    ``emu.faults.stall_polls`` back to 0: whatever the test does now happens while no
    poll of the room can deliver it.
    """
    await until_polling(emu, room)
    emu.faults.stall_polls = hold
    cursor = room.cursor
    emu.hub.publish(f"channel_all.{room.channel}", {"action": "between_polls"})
    await until(lambda: room.cursor > cursor, what="the open poll to be answered")
