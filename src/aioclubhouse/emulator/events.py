"""Scheduled events: hosts plan a room for a time; people mark themselves attending."""

from __future__ import annotations

import string

from aioclubhouse.emulator.base import WorldPart
from aioclubhouse.emulator.errors import NotAllowed, WorldError
from aioclubhouse.emulator.models import Event, User
from aioclubhouse.emulator.social import NOTIFY_EVENT

RECENT = 3600.0
"""An event stays listed this long after its start time."""
MAX_EVENT_NAME = 100
HASHID_ALPHABET = string.ascii_letters + string.digits


class Events(WorldPart):
    def reindex(self) -> None:
        self._by_hashid = {
            event.event_hashid: event.event_id for event in self.state.events.values()
        }

    def event(self, event_id: int) -> Event:
        event = self.state.events.get(event_id)
        if event is None:
            raise WorldError(f"Event {event_id} does not exist.")
        return event

    def find(self, event_id: int | None = None, event_hashid: str | None = None) -> Event:
        if event_id is not None:
            return self.event(event_id)
        if event_hashid is not None and event_hashid in self._by_hashid:
            return self.event(self._by_hashid[event_hashid])
        if event_hashid is not None:
            raise WorldError(f"Event {event_hashid} does not exist.")
        raise WorldError("Missing field: event_id")

    def create(
        self,
        creator: User,
        *,
        name: str,
        time_start: float,
        description: str = "",
        host_ids: list[int] | None = None,
        club_id: int | None = None,
        is_member_only: bool = False,
    ) -> Event:
        name = name.strip()
        if not name or len(name) > MAX_EVENT_NAME:
            raise WorldError(f"An event name has 1 to {MAX_EVENT_NAME} characters.")
        if club_id is not None:
            self.world.clubs.require_admin(self.world.clubs.club(club_id), creator)
        hosts = [creator.user_id]
        for uid in host_ids or []:
            if self.world.user(uid).user_id not in hosts:
                hosts.append(uid)
        hashid = "".join(self.world.rng.choice(HASHID_ALPHABET) for _ in range(8))
        event = Event(
            event_id=self.state.new_id("event", start=1000),
            event_hashid=hashid,
            name=name,
            description=description,
            time_start=time_start,
            club_id=club_id,
            is_member_only=is_member_only and club_id is not None,
            host_ids=hosts,
            creator_id=creator.user_id,
        )
        self.state.events[event.event_id] = event
        self._by_hashid[hashid] = event.event_id
        for uid in hosts[1:]:
            self.world.social.notify(
                uid,
                NOTIFY_EVENT,
                f"{creator.name} added you as a host of “{name}”",
                actor_id=creator.user_id,
                event_id=event.event_id,
            )
        return event

    def require_host(self, event: Event, user: User) -> None:
        if user.user_id not in event.host_ids:
            raise NotAllowed("Only the hosts can change this event.")

    def edit(
        self,
        user: User,
        event: Event,
        *,
        name: str | None = None,
        description: str | None = None,
        time_start: float | None = None,
        host_ids: list[int] | None = None,
        club_id: int | None = None,
        is_member_only: bool | None = None,
    ) -> None:
        self.require_host(event, user)
        if name is not None:
            if not name.strip() or len(name) > MAX_EVENT_NAME:
                raise WorldError(f"An event name has 1 to {MAX_EVENT_NAME} characters.")
            event.name = name.strip()
        if description is not None:
            event.description = description
        if time_start is not None:
            event.time_start = time_start
        if host_ids is not None:
            hosts = [event.creator_id]
            hosts += [self.world.user(uid).user_id for uid in host_ids if uid not in hosts]
            event.host_ids = hosts
        if club_id is not None:
            self.world.clubs.require_admin(self.world.clubs.club(club_id), user)
            event.club_id = club_id
        if is_member_only is not None:
            event.is_member_only = is_member_only and event.club_id is not None

    def delete(self, user: User, event: Event) -> None:
        self.require_host(event, user)
        del self.state.events[event.event_id]
        self._by_hashid.pop(event.event_hashid, None)

    def rsvp(self, user: User, event: Event, *, attending: bool) -> None:
        if attending:
            event.attending.add(user.user_id)
        else:
            event.attending.discard(user.user_id)

    # -- lists -----------------------------------------------------------------------------

    def upcoming(self) -> list[Event]:
        """Events that have not started long ago, soonest first."""
        cutoff = self.world.now() - RECENT
        found = [e for e in self.state.events.values() if e.time_start >= cutoff]
        return sorted(found, key=lambda e: (e.time_start, e.event_id))

    def for_you(self, user: User) -> list[Event]:
        """Upcoming events hosted by people the user follows, or in the user's clubs."""
        following = self.world.social.following_of(user.user_id)
        clubs = {c.club_id for c in self.world.clubs.clubs_of(user.user_id)}
        clubs |= {c.club_id for c in self.world.clubs.followed_by(user.user_id)}
        return [
            e
            for e in self.upcoming()
            if user.user_id in e.host_ids
            or user.user_id in e.attending
            or any(h in following for h in e.host_ids)
            or e.club_id in clubs
        ]

    def hosted_by(self, user_id: int) -> list[Event]:
        return [e for e in self.upcoming() if user_id in e.host_ids]

    def of_club(self, club_id: int) -> list[Event]:
        return [e for e in self.upcoming() if e.club_id == club_id]

    def to_start(self, user: User) -> list[Event]:
        """The user's own events that are due (within the hour) and not running yet."""
        soon = self.world.now() + RECENT
        return [e for e in self.hosted_by(user.user_id) if e.time_start <= soon and not e.channel]
