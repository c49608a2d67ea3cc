"""The social graph and what grows from it: follows, blocks, suggestions, search,
topics, app invites and the notification bell."""

from __future__ import annotations

from aioclubhouse.emulator.accounts import E164
from aioclubhouse.emulator.base import WorldPart
from aioclubhouse.emulator.errors import WAITLISTED, WorldError
from aioclubhouse.emulator.models import ActionableNotification, Notification, Topic, User

NOTIFY_FOLLOW = 1
NOTIFY_ROOM_INVITE = 2
NOTIFY_EVENT = 3
NOTIFY_CLUB = 4
NOTIFY_LET_IN = 5
ACTIONABLE_CLUB_INVITE = 1
NOTIFICATIONS_KEPT = 200
NO_IDS: frozenset[int] = frozenset()


class Social(WorldPart):
    """Who follows and blocks whom, and the lists built from it."""

    def reindex(self) -> None:
        self._children: dict[int | None, list[int]] = {}
        for topic in sorted(self.state.topics.values(), key=lambda t: t.id):
            self._children.setdefault(topic.parent_id, []).append(topic.id)

    # -- the graph -------------------------------------------------------------------------

    def following_of(self, user_id: int) -> set[int] | frozenset[int]:
        return self.state.following.get(user_id, NO_IDS)

    def followers_of(self, user_id: int) -> set[int] | frozenset[int]:
        return self.state.followers.get(user_id, NO_IDS)

    def blocked_by(self, user_id: int) -> set[int] | frozenset[int]:
        return self.state.blocked.get(user_id, NO_IDS)

    def follows(self, follower: int, followed: int) -> bool:
        return followed in self.state.following.get(follower, NO_IDS)

    def either_blocked(self, a: int, b: int) -> bool:
        return b in self.blocked_by(a) or a in self.blocked_by(b)

    def follow(self, user: User, target_id: int, *, notify: bool = True) -> None:
        target = self.world.user(target_id)
        if target.user_id == user.user_id:
            raise WorldError("You can't follow yourself.")
        if self.either_blocked(user.user_id, target.user_id):
            raise WorldError("You can't follow this person.")
        if self.follows(user.user_id, target.user_id):
            return
        self.state.following.setdefault(user.user_id, set()).add(target.user_id)
        self.state.followers.setdefault(target.user_id, set()).add(user.user_id)
        if notify:
            self.notify(
                target.user_id,
                NOTIFY_FOLLOW,
                f"{user.name or 'Someone'} started following you",
                actor_id=user.user_id,
            )

    def unfollow(self, user: User, target_id: int) -> None:
        self.world.user(target_id)
        self.state.following.get(user.user_id, set()).discard(target_id)
        self.state.followers.get(target_id, set()).discard(user.user_id)

    def block(self, user: User, target_id: int) -> None:
        target = self.world.user(target_id)
        if target.user_id == user.user_id:
            raise WorldError("You can't block yourself.")
        self.unfollow(user, target.user_id)
        self.unfollow(target, user.user_id)
        self.state.blocked.setdefault(user.user_id, set()).add(target.user_id)

    def unblock(self, user: User, target_id: int) -> None:
        self.world.user(target_id)
        self.state.blocked.get(user.user_id, set()).discard(target_id)

    def ignore_suggestion(self, user: User, target_id: int) -> None:
        self.world.user(target_id)
        user.ignored_suggestions.add(target_id)

    def set_follow_notifications(self, user: User, target_id: int, notification_type: int) -> None:
        if notification_type not in (1, 2, 3):
            raise WorldError("notification_type must be 1 (always), 2 (sometimes) or 3 (never)")
        if not self.follows(user.user_id, self.world.user(target_id).user_id):
            raise WorldError("You don't follow this person.")
        user.follow_notification_types[target_id] = notification_type

    # -- lists built from the graph --------------------------------------------------------

    def users(self, user_ids: set[int] | frozenset[int] | list[int]) -> list[User]:
        """The live accounts among `user_ids`, ordered by id for stable pages."""
        found = (self.state.users.get(uid) for uid in sorted(user_ids))
        return [user for user in found if user is not None and not user.is_deactivated]

    def mutual_follows(self, viewer_id: int, target_id: int) -> list[User]:
        """People the viewer follows who also follow the target."""
        return self.users(self.following_of(viewer_id) & self.followers_of(target_id))

    def popular_first(self, users: list[User]) -> list[User]:
        return sorted(users, key=lambda u: (-len(self.followers_of(u.user_id)), u.user_id))

    def suggested_follows(self, user: User) -> list[User]:
        """Popular people the user does not follow yet (and did not dismiss)."""
        skip = set(self.following_of(user.user_id)) | user.ignored_suggestions
        skip |= self.blocked_by(user.user_id)
        skip.add(user.user_id)
        candidates = [
            u
            for u in self.state.users.values()
            if u.user_id not in skip and not u.is_deactivated and u.username
        ]
        return self.popular_first(candidates)

    def similar_to(self, viewer: User, target: User, limit: int = 30) -> list[User]:
        """People followed by the target's followers, most shared first."""
        counts: dict[int, int] = {}
        for follower in self.followers_of(target.user_id):
            for followed in self.following_of(follower):
                counts[followed] = counts.get(followed, 0) + 1
        for skip in (viewer.user_id, target.user_id, *self.following_of(viewer.user_id)):
            counts.pop(skip, None)
        ranked = sorted(counts, key=lambda uid: (-counts[uid], uid))[:limit]
        return [self.state.users[uid] for uid in ranked if uid in self.state.users]

    def search_users(
        self,
        viewer: User,
        query: str,
        *,
        cofollows_only: bool = False,
        following_only: bool = False,
        followers_only: bool = False,
    ) -> list[User]:
        """Accounts whose name or username contains `query` (case-insensitive)."""
        needle = query.strip().lower().lstrip("@")
        pool: set[int] | None = None
        if following_only:
            pool = set(self.following_of(viewer.user_id))
        if followers_only:
            followers = set(self.followers_of(viewer.user_id))
            pool = followers if pool is None else pool & followers
        if cofollows_only:
            mutual = set(self.following_of(viewer.user_id)) & set(self.followers_of(viewer.user_id))
            pool = mutual if pool is None else pool & mutual
        candidates = self.users(pool) if pool is not None else list(self.state.users.values())
        found = [
            u
            for u in candidates
            if not u.is_deactivated
            and needle
            and (needle in (u.name or "").lower() or needle in (u.username or "").lower())
        ]
        return self.popular_first(found)

    def online_friends(self, user: User) -> list[User]:
        """The people the user follows who are in a room right now."""
        return [
            friend
            for friend in self.users(self.following_of(user.user_id))
            if self.world.rooms.room_of(friend.user_id) is not None
        ]

    # -- topics ----------------------------------------------------------------------------

    def topic(self, topic_id: int) -> Topic:
        topic = self.state.topics.get(topic_id)
        if topic is None:
            raise WorldError(f"Topic {topic_id} does not exist.")
        return topic

    def subtopics(self, topic_id: int | None) -> list[Topic]:
        return [self.state.topics[tid] for tid in self._children.get(topic_id, [])]

    def add_topic(self, topic: Topic) -> None:
        self.state.topics[topic.id] = topic
        self._children.setdefault(topic.parent_id, []).append(topic.id)

    def users_for_topic(self, topic_id: int) -> list[User]:
        self.topic(topic_id)
        return self.popular_first(
            [u for u in self.state.users.values() if topic_id in u.topic_ids and u.username]
        )

    # -- app invites and the waitlist ------------------------------------------------------

    def invite_to_app(self, user: User, phone_number: str) -> None:
        if user.is_waitlisted:
            raise WorldError(WAITLISTED)
        if not E164.match(phone_number):
            raise WorldError("Please enter a valid phone number.")
        if self.world.accounts.by_phone(phone_number) is not None:
            raise WorldError("This person is already on Clubhouse.")
        if user.num_invites <= 0:
            raise WorldError("You don't have any invites left.")
        user.num_invites -= 1
        self.state.app_invites[phone_number] = user.user_id

    def invite_from_waitlist(self, user: User, target_id: int) -> None:
        target = self.world.user(target_id)
        if not target.is_waitlisted:
            raise WorldError("This person is not on the waitlist.")
        target.is_waitlisted = False
        target.invited_by = user.user_id
        self.notify(
            target.user_id,
            NOTIFY_LET_IN,
            f"{user.name or 'Someone'} let you in. Welcome to Clubhouse!",
            actor_id=user.user_id,
        )

    # -- the bell --------------------------------------------------------------------------

    def notify(
        self,
        user_id: int,
        kind: int,
        message: str,
        *,
        actor_id: int | None = None,
        channel: str | None = None,
        club_id: int | None = None,
        event_id: int | None = None,
    ) -> Notification:
        notification = Notification(
            notification_id=self.state.new_id("notification", start=1),
            user_id=user_id,
            type=kind,
            time_created=self.world.now(),
            message=message,
            actor_id=actor_id,
            channel=channel,
            club_id=club_id,
            event_id=event_id,
        )
        inbox = self.state.notifications.setdefault(user_id, [])
        inbox.append(notification)
        del inbox[:-NOTIFICATIONS_KEPT]
        return notification

    def notifications_of(self, user_id: int) -> list[Notification]:
        """Newest first."""
        return list(reversed(self.state.notifications.get(user_id, [])))

    def has_unread(self, user_id: int) -> bool:
        return any(n.is_unread for n in self.state.notifications.get(user_id, []))

    def mark_read(self, notifications: list[Notification]) -> None:
        for notification in notifications:
            notification.is_unread = False

    def add_actionable(
        self,
        user_id: int,
        kind: int,
        message: str,
        *,
        actor_id: int | None = None,
        club_id: int | None = None,
    ) -> ActionableNotification:
        item = ActionableNotification(
            actionable_notification_id=self.state.new_id("actionable", start=1),
            user_id=user_id,
            type=kind,
            time_created=self.world.now(),
            message=message,
            actor_id=actor_id,
            club_id=club_id,
        )
        self.state.actionable.setdefault(user_id, []).append(item)
        return item

    def actionable_of(self, user_id: int) -> list[ActionableNotification]:
        """The open ones, newest first."""
        items = self.state.actionable.get(user_id, [])
        return [item for item in reversed(items) if not item.is_ignored]

    def ignore_actionable(self, user: User, actionable_id: int) -> None:
        for item in self.state.actionable.get(user.user_id, []):
            if item.actionable_notification_id == actionable_id:
                item.is_ignored = True
                return
        raise WorldError(f"Notification {actionable_id} does not exist.")

    def resolve_club_invites(self, user_id: int, club_id: int) -> None:
        """Close the club invitations a user just answered."""
        for item in self.state.actionable.get(user_id, []):
            if item.club_id == club_id and item.type == ACTIONABLE_CLUB_INVITE:
                item.is_ignored = True
