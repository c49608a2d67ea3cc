"""A bot that asks to speak and accepts the invitation, against the embedded emulator.

Two accounts take part: a host who opens a room and invites whoever raises a hand, and
the bot, which joins, raises its hand, waits for the invitation, accepts it and leaves
once it is on stage. Run with ``.venv/bin/python examples/speaker_bot.py``.
"""

from __future__ import annotations

import asyncio

from aioclubhouse import ClubhouseSession, Credentials
from aioclubhouse.emulator import Emulator
from aioclubhouse.rooms import HandRaised, Room, SpeakerAdded, SpeakerInvited


def session_for(emulator: Emulator, name: str) -> ClubhouseSession:
    """A session logged in as an emulator user (the phone flow is shown in demo.py)."""
    login = emulator.login(name=name)
    credentials = Credentials(
        user_id=login["user_id"], auth_token=login["auth_token"], device_id=login["device_id"]
    )
    return ClubhouseSession(credentials, base_url=emulator.base_url)


async def host_invites_raised_hands(room: Room) -> None:
    """The host's side: invite every listener who raises a hand."""

    async def invite(event: HandRaised) -> None:
        if event.user is not None:
            print(f"host: {event.user.name} raised a hand; inviting them on stage")
            await room.invite_speaker(event.user.user_id)

    room.on(HandRaised, invite)


async def bot(session: ClubhouseSession, channel: str) -> None:
    """The bot's side: raise a hand, accept the invitation, confirm it is a speaker."""
    async with await session.join_room(channel) as room:
        print(f"bot: joined {channel} as a listener ({len(room.users)} people here)")
        # Start each wait before the action that causes it, so no event can slip past.
        invitation = asyncio.create_task(room.wait_for(SpeakerInvited, timeout=10))
        await room.raise_hand()
        invited = await invitation
        print(f"bot: invited by user {invited.from_user_id}; accepting")
        on_stage = asyncio.create_task(
            room.wait_for(SpeakerAdded, check=lambda e: e.user.user_id == room.user_id, timeout=10)
        )
        await room.accept_speaker_invite(invited.from_user_id)
        await on_stage
        print(f"bot: on stage with {len(room.speakers)} speakers; leaving")


async def main() -> None:
    async with (
        Emulator(seed=5) as emulator,
        session_for(emulator, "Host") as host,
        session_for(emulator, "Bot") as guest,
    ):
        created = await host.create_channel(topic="Ask me anything")
        async with await host.join_room(created.channel) as host_room:
            await host_invites_raised_hands(host_room)
            await bot(guest, created.channel)
            await host_room.end()
        print(f"host: room closed ({host_room.left_reason})")


if __name__ == "__main__":
    asyncio.run(main())
