"""Clubs: membership (invitations, nominations, joining), admins, followers, settings."""

from __future__ import annotations

import re

from aioclubhouse.emulator.base import WorldPart
from aioclubhouse.emulator.errors import NotAllowed, WorldError
from aioclubhouse.emulator.models import Club, ClubNomination, ClubRule, User
from aioclubhouse.emulator.social import ACTIONABLE_CLUB_INVITE, NOTIFY_CLUB

MAX_RULES = 3
MAX_CLUBS_ADMINED = 5
MAX_CLUB_NAME = 60


class Clubs(WorldPart):
    """The rules of clubs; admins are always members too."""

    def reindex(self) -> None:
        self._member_of: dict[int, set[int]] = {}
        self._by_slug: dict[str, int] = {}
        self._by_invite_code: dict[str, int] = {}
        for club in self.state.clubs.values():
            self._index(club)

    def _index(self, club: Club) -> None:
        self._by_slug[club.slug] = club.club_id
        self._by_invite_code[club.invite_code] = club.club_id
        for uid in club.members:
            self._member_of.setdefault(uid, set()).add(club.club_id)

    # -- lookups ---------------------------------------------------------------------------

    def club(self, club_id: int) -> Club:
        club = self.state.clubs.get(club_id)
        if club is None:
            raise WorldError(f"Club {club_id} does not exist.")
        return club

    def find(
        self, club_id: int | None = None, slug: str | None = None, invite_code: str | None = None
    ) -> Club:
        if club_id is not None:
            return self.club(club_id)
        for key, index in ((slug, self._by_slug), (invite_code, self._by_invite_code)):
            if key is not None and key in index:
                return self.club(index[key])
        raise WorldError("Missing field: club_id")

    def clubs_of(self, user_id: int) -> list[Club]:
        return [self.state.clubs[cid] for cid in sorted(self._member_of.get(user_id, ()))]

    def is_member(self, club: Club, user_id: int) -> bool:
        return user_id in club.members

    def require_admin(self, club: Club, user: User) -> None:
        if user.user_id not in club.admins:
            raise NotAllowed("Only club admins can do that.")

    def num_online(self, club: Club) -> int:
        """How many members are in a room right now."""
        return len(club.members & self.world.rooms.occupants())

    def search(self, query: str) -> list[Club]:
        needle = query.strip().lower()
        found = [c for c in self.state.clubs.values() if needle and needle in c.name.lower()]
        return sorted(found, key=lambda c: (-len(c.members), c.club_id))

    def for_topic(self, topic_id: int) -> list[Club]:
        self.world.social.topic(topic_id)
        found = [c for c in self.state.clubs.values() if topic_id in c.topic_ids]
        return sorted(found, key=lambda c: (-len(c.members), c.club_id))

    # -- creating --------------------------------------------------------------------------

    def can_create(self, user: User) -> tuple[bool, str | None, str | None]:
        """Whether `user` may found another club, and if not, the title and text of why."""
        if user.is_waitlisted:
            return False, "Not yet", "You can create a club once you are off the waitlist."
        admined = sum(1 for c in self.clubs_of(user.user_id) if user.user_id in c.admins)
        if admined >= MAX_CLUBS_ADMINED:
            return False, "Club limit reached", f"You can be admin of {MAX_CLUBS_ADMINED} clubs."
        return True, None, None

    def create(
        self,
        founder: User,
        *,
        name: str,
        description: str = "",
        is_follow_allowed: bool = True,
        is_membership_private: bool = False,
        is_community: bool = False,
        topic_ids: list[int] | None = None,
        photo_url: str | None = None,
        time_created: float | None = None,
    ) -> Club:
        name = name.strip()
        if not name or len(name) > MAX_CLUB_NAME:
            raise WorldError(f"A club name has 1 to {MAX_CLUB_NAME} characters.")
        allowed, _, reason = self.can_create(founder)
        if not allowed:
            raise WorldError(reason or "You can't create a club right now.")
        for topic_id in topic_ids or []:
            self.world.social.topic(topic_id)
        club_id = self.state.new_id("club", start=100)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or f"club-{club_id}"
        if slug in self._by_slug:
            slug = f"{slug}-{club_id}"
        club = Club(
            club_id=club_id,
            name=name,
            description=description,
            photo_url=photo_url,
            slug=slug,
            invite_code=f"{self.world.rng.getrandbits(48):012x}",
            is_follow_allowed=is_follow_allowed,
            is_membership_private=is_membership_private,
            is_community=is_community,
            topic_ids=list(topic_ids or []),
            creator_id=founder.user_id,
            time_created=self.world.now() if time_created is None else time_created,
        )
        self.state.clubs[club_id] = club
        self._index(club)
        self.enroll(club, founder.user_id)
        club.admins.add(founder.user_id)
        return club

    # -- membership ------------------------------------------------------------------------

    def enroll(self, club: Club, user_id: int) -> None:
        """Make someone a member, closing any invitation they had."""
        club.members.add(user_id)
        club.pending_invites.pop(user_id, None)
        self._member_of.setdefault(user_id, set()).add(club.club_id)
        self.world.social.resolve_club_invites(user_id, club.club_id)

    def _drop_member(self, club: Club, user_id: int) -> None:
        club.members.discard(user_id)
        club.admins.discard(user_id)
        self._member_of.get(user_id, set()).discard(club.club_id)

    def add_member(self, actor: User, club: Club, target_id: int, *, reason: str | None) -> str:
        """An admin invites someone ("invited"); a plain member nominates them ("nominated")."""
        target = self.world.user(target_id)
        if target.user_id in club.members:
            raise WorldError(f"{target.name or 'This person'} is already a member.")
        if actor.user_id in club.admins:
            club.pending_invites[target.user_id] = actor.user_id
            self.world.social.add_actionable(
                target.user_id,
                ACTIONABLE_CLUB_INVITE,
                f"{actor.name} invited you to join {club.name}",
                actor_id=actor.user_id,
                club_id=club.club_id,
            )
            return "invited"
        if actor.user_id not in club.members:
            raise NotAllowed("Only club members can suggest new members.")
        nomination_id = self.state.new_id("nomination", start=1)
        club.nominations[nomination_id] = ClubNomination(
            invite_nomination_id=nomination_id,
            user_id=target.user_id,
            nominated_by=actor.user_id,
            time_created=self.world.now(),
            reason=reason,
        )
        return "nominated"

    def accept_invite(self, user: User, club: Club) -> None:
        if user.user_id in club.members:
            return
        if user.user_id not in club.pending_invites and not club.is_community:
            raise WorldError("You don't have an invitation to this club.")
        self.enroll(club, user.user_id)

    def join(self, user: User, club: Club) -> None:
        """Join a club directly: open to all for community clubs, else needs an invitation."""
        self.accept_invite(user, club)

    def leave(self, user: User, club: Club) -> None:
        if user.user_id not in club.members:
            raise WorldError("You are not a member of this club.")
        if club.admins == {user.user_id} and len(club.members) > 1:
            raise WorldError("Make someone else an admin before you leave.")
        self._drop_member(club, user.user_id)

    def remove_member(self, actor: User, club: Club, target_id: int) -> None:
        self.require_admin(club, actor)
        if target_id not in club.members:
            raise WorldError("This person is not a member of the club.")
        if target_id in club.admins and len(club.admins) == 1:
            raise WorldError("A club needs at least one admin.")
        self._drop_member(club, target_id)

    def add_admin(self, actor: User, club: Club, target_id: int) -> None:
        self.require_admin(club, actor)
        target = self.world.user(target_id)
        if target.user_id not in club.members:
            raise WorldError("Only members can become admins.")
        club.admins.add(target.user_id)
        self.world.social.notify(
            target.user_id,
            NOTIFY_CLUB,
            f"{actor.name} made you an admin of {club.name}",
            actor_id=actor.user_id,
            club_id=club.club_id,
        )

    def remove_admin(self, actor: User, club: Club, target_id: int) -> None:
        self.require_admin(club, actor)
        if target_id not in club.admins:
            raise WorldError("This person is not an admin.")
        if len(club.admins) == 1:
            raise WorldError("A club needs at least one admin.")
        club.admins.discard(target_id)

    def nominations(self, actor: User, club: Club) -> list[ClubNomination]:
        self.require_admin(club, actor)
        return sorted(club.nominations.values(), key=lambda n: n.invite_nomination_id)

    def _take_nomination(self, actor: User, club: Club, nomination_id: int) -> ClubNomination:
        self.require_admin(club, actor)
        nomination = club.nominations.pop(nomination_id, None)
        if nomination is None:
            raise WorldError(f"Nomination {nomination_id} does not exist.")
        return nomination

    def approve_nomination(self, actor: User, club: Club, nomination_id: int) -> None:
        nomination = self._take_nomination(actor, club, nomination_id)
        self.enroll(club, nomination.user_id)
        self.world.social.notify(
            nomination.user_id,
            NOTIFY_CLUB,
            f"You are now a member of {club.name}",
            actor_id=nomination.nominated_by,
            club_id=club.club_id,
        )

    def reject_nomination(self, actor: User, club: Club, nomination_id: int) -> None:
        self._take_nomination(actor, club, nomination_id)

    # -- following -------------------------------------------------------------------------

    def follow(self, user: User, club: Club) -> None:
        if not club.is_follow_allowed:
            raise WorldError("This club can't be followed.")
        club.followers.add(user.user_id)

    def unfollow(self, user: User, club: Club) -> None:
        club.followers.discard(user.user_id)

    def followed_by(self, user_id: int) -> list[Club]:
        return [c for c in self.state.clubs.values() if user_id in c.followers]

    # -- settings (admins only) ------------------------------------------------------------

    def set_topics(self, actor: User, club: Club, topic_ids: list[int]) -> None:
        self.require_admin(club, actor)
        for topic_id in topic_ids:
            self.world.social.topic(topic_id)
        club.topic_ids = list(dict.fromkeys(topic_ids))

    def change_topic(self, actor: User, club: Club, topic_id: int, *, add: bool) -> None:
        topics = [t for t in club.topic_ids if t != topic_id]
        self.set_topics(actor, club, [*topics, topic_id] if add else topics)

    def update_flags(
        self,
        actor: User,
        club: Club,
        *,
        is_follow_allowed: bool | None = None,
        is_membership_private: bool | None = None,
        is_community: bool | None = None,
    ) -> None:
        self.require_admin(club, actor)
        if is_follow_allowed is not None:
            club.is_follow_allowed = is_follow_allowed
        if is_membership_private is not None:
            club.is_membership_private = is_membership_private
        if is_community is not None:
            club.is_community = is_community

    def update_description(self, actor: User, club: Club, description: str) -> None:
        self.require_admin(club, actor)
        club.description = description

    def update_rules(self, actor: User, club: Club, rules: list[dict[str, object]]) -> None:
        self.require_admin(club, actor)
        if len(rules) > MAX_RULES:
            raise WorldError(f"A club can have at most {MAX_RULES} rules.")
        parsed = []
        for rule in rules:
            title, desc = rule.get("title"), rule.get("desc")
            if not isinstance(title, str) or not isinstance(desc, str):
                raise WorldError("Each rule needs a text 'title' and 'desc'.")
            parsed.append(ClubRule(title=title, desc=desc))
        club.rules = parsed

    def update_photo(self, actor: User, club: Club, photo: bytes) -> str:
        self.require_admin(club, actor)
        if not photo:
            raise WorldError("Please choose a photo to upload.")
        club.photo_url = self.world.accounts.new_photo_url(club.club_id, prefix="club_")
        return club.photo_url
