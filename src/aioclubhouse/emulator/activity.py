"""Simulated life in the sample world, so a demo room is never still.

At `rate` actions per second, one sample user does one thing through the same room
rules a client goes through (so every action publishes its realtime message):
someone joins or leaves a room, raises a hand, a moderator brings a raised hand on
stage (a real user's too), an invited sample user accepts, a room starts or ends.

`step` performs one action and is synchronous, so tests can drive the simulation
without waiting; `start` runs it in the background.  Choices come from a generator
seeded with the world's seed: the same seed and the same world give the same story.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable

from aioclubhouse.emulator.errors import WorldError
from aioclubhouse.emulator.models import Room, User
from aioclubhouse.emulator.rooms import HANDRAISE_ALL
from aioclubhouse.emulator.sample import ROOM_TOPICS
from aioclubhouse.emulator.world import World

logger = logging.getLogger(__name__)

WEIGHTS = {
    "join": 30,
    "leave": 18,
    "raise_hand": 12,
    "invite_speaker": 10,
    "accept_invite": 10,
    "start_room": 4,
    "end_room": 3,
}


class Activity:
    """Sample users acting on their own, `rate` times per second."""

    def __init__(self, world: World, rate: float, seed: int) -> None:
        self.world = world
        self._rate = max(0.0, rate)
        self._rng = random.Random(f"activity:{seed}")
        self._task: asyncio.Task[None] | None = None
        self._rate_changed = asyncio.Event()
        self._paused = asyncio.Event()
        self._actors = sorted(u.user_id for u in world.state.users.values() if u.is_simulated)
        self.steps = 0
        """How many actions have been performed so far."""

    @property
    def rate(self) -> float:
        """Actions per second; change it at any time, 0 pauses."""
        return self._rate

    @rate.setter
    def rate(self, value: float) -> None:
        self._rate = max(0.0, float(value))
        self._rate_changed.set()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        if not self.running:
            self._task = asyncio.create_task(self._run(), name="emulator-activity")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._paused.clear()

    async def wait_paused(self) -> None:
        """Return once the running activity has stopped acting at rate 0: from then on
        it performs nothing until the rate goes up again."""
        await self._paused.wait()

    async def _run(self) -> None:
        while True:
            self._rate_changed.clear()
            if self._rate <= 0:
                self._paused.set()
                await self._rate_changed.wait()
                self._paused.clear()
                continue
            try:
                async with asyncio.timeout(1.0 / self._rate):
                    await self._rate_changed.wait()
                continue  # a new rate: wait again, at that rate
            except TimeoutError:
                pass
            try:
                self.step()
            except WorldError:
                logger.debug("simulated action refused", exc_info=True)

    # -- one action ------------------------------------------------------------------------

    def step(self) -> str | None:
        """Perform one simulated action; return its name, or None if nothing was possible."""
        options: list[tuple[str, Callable[[], bool]]] = [
            ("join", self._join),
            ("leave", self._leave),
            ("raise_hand", self._raise_hand),
            ("invite_speaker", self._invite_speaker),
            ("accept_invite", self._accept_invite),
            ("start_room", self._start_room),
            ("end_room", self._end_room),
        ]
        while options:
            weights = [WEIGHTS[name] for name, _ in options]
            index = self._rng.choices(range(len(options)), weights=weights)[0]
            name, action = options.pop(index)
            if action():
                self.steps += 1
                return name
        return None

    def _users(self, ids: list[int]) -> list[User]:
        return [self.world.state.users[uid] for uid in ids]

    def _free_actors(self) -> list[int]:
        rooms = self.world.rooms
        return [uid for uid in self._actors if rooms.room_of(uid) is None]

    def _rooms(self) -> list[Room]:
        return list(self.world.state.rooms.values())

    def _simulated(self, uid: int) -> bool:
        user = self.world.state.users.get(uid)
        return user is not None and user.is_simulated

    def _join(self) -> bool:
        free = self._free_actors()
        rooms = [r for r in self._rooms() if r.welcome_for is None and not r.is_private]
        if not free or not rooms:
            return False
        room = self._rng.choice(rooms)
        user = self.world.state.users[self._rng.choice(free)]
        if not self.world.rooms.can_see(room, user.user_id) or user.user_id in room.blocked:
            return False
        self.world.rooms.join(user, room.channel, keepalive=False)
        return True

    def _leave(self) -> bool:
        candidates = [
            (room, uid)
            for room in self._rooms()
            for uid, member in room.users.items()
            if self._simulated(uid) and not member.is_moderator and room.welcome_for is None
        ]
        if not candidates:
            return False
        room, uid = self._rng.choice(candidates)
        self.world.rooms.leave(uid, room)
        return True

    def _raise_hand(self) -> bool:
        candidates = [
            (room, uid)
            for room in self._rooms()
            if room.is_handraise_enabled and room.handraise_permission == HANDRAISE_ALL
            for uid, member in room.users.items()
            if self._simulated(uid)
            and not member.is_speaker
            and uid not in room.raised_hands
            and uid not in room.speaker_invites
        ]
        if not candidates:
            return False
        room, uid = self._rng.choice(candidates)
        self.world.rooms.raise_hand(self.world.state.users[uid], room)
        return True

    def _invite_speaker(self) -> bool:
        """A sample moderator brings the longest-waiting raised hand on stage."""
        rooms = self._rooms()
        for room in self._rng.sample(rooms, len(rooms)):
            moderators = [uid for uid in room.moderators() if self._simulated(uid)]
            waiting = [uid for uid in room.raised_hands if uid not in room.speaker_invites]
            if moderators and waiting:
                moderator = self.world.state.users[self._rng.choice(moderators)]
                self.world.rooms.invite_speaker(moderator, room, waiting[0])
                return True
        return False

    def _accept_invite(self) -> bool:
        candidates = [
            (room, uid)
            for room in self._rooms()
            for uid in room.speaker_invites
            if self._simulated(uid)
        ]
        if not candidates:
            return False
        room, uid = self._rng.choice(candidates)
        self.world.rooms.accept_speaker_invite(self.world.state.users[uid], room)
        return True

    def _start_room(self) -> bool:
        free = self._free_actors()
        limit = max(2, self.world.config.sample_rooms * 2)
        if len(free) < 3 or len(self._rooms()) >= limit:
            return False
        host, *speakers = self._users(self._rng.sample(free, 3))
        rooms = self.world.rooms
        room = rooms.create(host, topic=self._rng.choice(ROOM_TOPICS), keepalive=False)
        for speaker in speakers:
            rooms.place(room, speaker.user_id, speaker=True, keepalive=False)
        return True

    def _end_room(self) -> bool:
        """Close a room only sample users are in, keeping at least the sample count open."""
        rooms = self._rooms()
        if len(rooms) <= max(1, self.world.config.sample_rooms):
            return False
        quiet = [r for r in rooms if r.welcome_for is None and all(map(self._simulated, r.users))]
        if not quiet:
            return False
        self.world.rooms.end(self._rng.choice(quiet))
        return True
