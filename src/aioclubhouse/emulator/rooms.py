"""Live rooms: who is in them, on stage and with a hand up, and every change to that.

Each change publishes the realtime action clients expect (see `actions` for the
table), so a client subscribed to a room's PubNub channels sees exactly what the
HTTP calls did.  Joining hands out a PubNub token per user and room, granted on the
hub for that room's channels; it is revoked when the user leaves or the room ends.

A room ends on ``end_channel`` or when its last moderator leaves.  Users whose
client joined through the API must keep calling ``active_ping``; `drop_idle` removes
those silent for longer than ``config.ping_timeout``.  Sample users placed by the
world (``keepalive=False``) never time out.

This module is longer than most on purpose: every rule here changes the same `Room`
records and checks the same invariants (a room keeps a moderator or ends, a speaker
invite is pending until answered, a revoked member keeps no token), so they are read
and changed together; the sections below follow the life of a room.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from collections.abc import KeysView
from typing import Any

from aioclubhouse.emulator import shapes
from aioclubhouse.emulator.actions import Audience, pubnub_channel
from aioclubhouse.emulator.base import WorldPart
from aioclubhouse.emulator.errors import NotAllowed, RoomUnavailable, WorldError
from aioclubhouse.emulator.models import (
    NewChannelInvite,
    Room,
    RoomLink,
    RoomMessage,
    RoomUser,
    User,
)
from aioclubhouse.emulator.social import NOTIFY_ROOM_INVITE

HANDRAISE_OFF = 0
HANDRAISE_ALL = 1
HANDRAISE_FOLLOWED_BY_SPEAKERS = 2
HANDRAISE_CLUB_MEMBERS = 3
AGORA_APP_ID = "938de3e8055e42b281bb8c6f69c21f78"
RTC_TOKEN_TTL = 24 * 3600
PUBNUB_HEARTBEAT_VALUE = 60
PUBNUB_HEARTBEAT_INTERVAL = 29
CHANNEL_ALPHABET = string.ascii_letters + string.digits
MAX_TOPIC = 60
MAX_CHAT_MESSAGE = 1000
ROOM_MESSAGES_KEPT = 500


class Rooms(WorldPart):
    """The rules of live rooms."""

    def reindex(self) -> None:
        self._user_room: dict[int, str] = {}
        self._by_id: dict[int, str] = {}
        for room in self.state.rooms.values():
            self._by_id[room.channel_id] = room.channel
            for uid in room.users:
                self._user_room[uid] = room.channel

    # -- lookups ---------------------------------------------------------------------------

    def room(self, channel: str) -> Room:
        """The live room `channel`, or the service's "no longer available" refusal."""
        room = self.state.rooms.get(channel)
        if room is None:
            raise RoomUnavailable()
        return room

    def find(self, channel: str | None, channel_id: int | None = None) -> Room:
        """The room named by `channel`, or else by `channel_id`."""
        if channel is not None:
            return self.room(channel)
        if channel_id is None:
            raise WorldError("Missing field: channel")
        return self.room(self._by_id.get(channel_id, ""))

    def room_of(self, user_id: int) -> Room | None:
        channel = self._user_room.get(user_id)
        return None if channel is None else self.state.rooms.get(channel)

    def occupants(self) -> KeysView[int]:
        """The ids of everyone in some room (a live view, cheap to intersect with)."""
        return self._user_room.keys()

    def member(self, room: Room, user_id: int) -> RoomUser:
        member = room.users.get(user_id)
        if member is None:
            raise WorldError("You are not in this room.")
        return member

    def _target(self, room: Room, user_id: int) -> RoomUser:
        member = room.users.get(user_id)
        if member is None:
            raise WorldError("This person is not in the room.")
        return member

    def require_moderator(self, room: Room, user: User) -> RoomUser:
        member = room.users.get(user.user_id)
        if member is None or not member.is_moderator:
            raise NotAllowed("Only moderators can do that.")
        return member

    def can_see(self, room: Room, user_id: int) -> bool:
        """Whether a user may find and join this room (before any block)."""
        if user_id in room.users or user_id in room.invited or user_id == room.creator_id:
            return True
        if room.welcome_for is not None:
            return False
        club = self.state.clubs.get(room.club_id) if room.club_id is not None else None
        event = self.state.events.get(room.event_id) if room.event_id is not None else None
        if room.is_private or (event is not None and event.is_member_only):
            return club is not None and user_id in club.members
        if room.is_social_mode:
            return bool(self.world.social.followers_of(user_id) & room.speaker_ids())
        return True

    def feed(self, viewer_id: int) -> list[Room]:
        """The rooms `viewer_id` may see, busiest first."""
        visible = [
            room
            for room in self.state.rooms.values()
            if viewer_id not in room.hidden_by
            and viewer_id not in room.blocked
            and self.can_see(room, viewer_id)
        ]
        return sorted(visible, key=lambda r: (-len(r.users), r.channel_id))

    # -- credentials handed to room members ------------------------------------------------

    def _new_channel_name(self) -> str:
        while True:
            name = "".join(self.world.rng.choice(CHANNEL_ALPHABET) for _ in range(8))
            if name not in self.state.rooms and name not in self.state.ended_channels:
                return name

    def _agora_token(self, channel: str, user_id: int, role: int) -> str:
        """An Agora-style token: "006", the app id, then opaque base64."""
        expires = int(self.world.now()) + RTC_TOKEN_TTL
        body = f"{channel}:{user_id}:{role}:{expires}:{secrets.token_hex(8)}".encode()
        signature = hmac.new(self.state.secret.encode(), body, hashlib.sha256).digest()[:16]
        return "006" + AGORA_APP_ID + base64.b64encode(signature + body).decode("ascii")

    def rtc_token(self, room: Room, user_id: int) -> str:
        member = room.users.get(user_id)
        role = 1 if member is not None and member.is_speaker else 2
        return self._agora_token(room.channel, user_id, role)

    def pubnub_token(self, room: Room, user_id: int) -> str:
        """The user's PubNub token for this room, granted on first use.

        It reads what the apps subscribe to (docs/protocol.md C.2): ``channel_all``,
        the user's own ``channel_user`` and ``users`` channels, and
        ``channel_speakers`` only while on stage (`_follow_stage`).  It publishes
        nowhere: no Clubhouse client publishes, the service does.
        """
        token = room.pubnub_tokens.get(user_id)
        if token is None:
            token = secrets.token_hex(20)
            room.pubnub_tokens[user_id] = token
            channels = [
                pubnub_channel(audience, channel=room.channel, user_id=user_id)
                for audience in (Audience.ROOM, Audience.ROOM_USER, Audience.USER)
            ]
            self.world.hub.grant(token, user_id, channels)
            self._follow_stage(room, user_id)
        return token

    def _follow_stage(self, room: Room, user_id: int) -> None:
        """Let the user's token read ``channel_speakers`` while on stage, and only then."""
        token = room.pubnub_tokens.get(user_id)
        member = room.users.get(user_id)
        if token is None or member is None:
            return
        stage = [pubnub_channel(Audience.SPEAKERS, channel=room.channel, user_id=user_id)]
        if member.is_speaker:
            self.world.hub.grant(token, user_id, stage)
        else:
            self.world.hub.revoke_channels(token, stage)

    def _revoke(self, room: Room, user_id: int) -> None:
        token = room.pubnub_tokens.pop(user_id, None)
        if token is not None:
            self.world.hub.revoke(token)

    def join_credentials(self, room: Room, user_id: int) -> dict[str, Any]:
        """The audio and realtime fields a join (or create) answer carries."""
        return {
            "token": self.rtc_token(room, user_id),
            "rtm_token": self._agora_token(str(room.channel_id), user_id, 0),
            "pubnub_token": self.pubnub_token(room, user_id),
            "pubnub_origin": self.world.pubnub_origin,
            "pubnub_heartbeat_value": PUBNUB_HEARTBEAT_VALUE,
            "pubnub_heartbeat_interval": PUBNUB_HEARTBEAT_INTERVAL,
            "pubnub_enable": True,
            "agora_native_mute": True,
            "feature_flags": [],
        }

    # -- coming and going ------------------------------------------------------------------

    def place(
        self,
        room: Room,
        user_id: int,
        *,
        speaker: bool = False,
        moderator: bool = False,
        keepalive: bool = True,
    ) -> RoomUser:
        """Put a user straight into the room (leaving any other), announcing the join.

        ``keepalive=False`` is for sample users, who never ping and never time out.
        """
        self.leave_current(user_id, unless=room.channel)
        now = self.world.now()
        member = RoomUser(
            user_id=user_id,
            is_speaker=speaker or moderator,
            is_moderator=moderator,
            time_joined_as_speaker=now if speaker or moderator else None,
            joined_at=now,
            last_ping=now if keepalive else None,
        )
        room.users[user_id] = member
        room.ever_joined.add(user_id)
        self._user_room[user_id] = room.channel
        self._follow_stage(room, user_id)
        self.world.membership.record(now, room.channel, user_id, joined=True)
        self.world.announce.send(
            "join_channel",
            room=room.channel,
            channel=room.channel,
            user_profile=shapes.room_user(self.world, room, member),
        )
        return member

    def create(
        self,
        creator: User,
        *,
        topic: str | None = None,
        is_private: bool = False,
        is_social_mode: bool = False,
        club_id: int | None = None,
        event_id: int | None = None,
        invited_ids: list[int] | None = None,
        keepalive: bool = True,
        welcome_for: int | None = None,
    ) -> Room:
        """Start a room with `creator` as its moderator."""
        if topic is not None and len(topic) > MAX_TOPIC:
            raise WorldError(f"A room title can be at most {MAX_TOPIC} characters long.")
        if club_id is not None:
            club = self.world.clubs.club(club_id)
            if creator.user_id not in club.members:
                raise NotAllowed("Only club members can start a room in this club.")
        if event_id is not None:
            event = self.world.events.event(event_id)
            self.world.events.require_host(event, creator)
            club_id = event.club_id if club_id is None else club_id
            topic = topic or event.name
        invited = [self.world.user(uid).user_id for uid in invited_ids or []]
        room = Room(
            channel=self._new_channel_name(),
            channel_id=self.state.new_id("channel", start=100000),
            topic=topic or None,
            club_id=club_id,
            event_id=event_id,
            creator_id=creator.user_id,
            is_private=is_private,
            is_social_mode=is_social_mode and not is_private,
            welcome_for=welcome_for,
            time_created=self.world.now(),
            invited=set(invited),
        )
        self.state.rooms[room.channel] = room
        self._by_id[room.channel_id] = room.channel
        if event_id is not None:
            self.world.events.event(event_id).channel = room.channel
        self.place(room, creator.user_id, moderator=True, keepalive=keepalive)
        for uid in invited:
            self.world.social.notify(
                uid,
                NOTIFY_ROOM_INVITE,
                f"{creator.name} invited you to a room: {room.topic or 'a new room'}",
                actor_id=creator.user_id,
                channel=room.channel,
            )
        return room

    def join(self, user: User, channel: str, *, keepalive: bool = True) -> Room:
        """Enter a room as a listener (or stay, if already in it)."""
        room = self.room(channel)
        if user.user_id in room.blocked:
            raise WorldError("You were removed from this room by a moderator.")
        if not self.can_see(room, user.user_id):
            raise RoomUnavailable()
        member = room.users.get(user.user_id)
        if member is not None:
            if keepalive:
                member.last_ping = self.world.now()
            return room
        self.place(room, user.user_id, keepalive=keepalive)
        return room

    def leave(self, user_id: int, room: Room) -> None:
        """Take a user out of a room; a room without moderators ends."""
        if room.users.pop(user_id, None) is None:
            return
        if self._user_room.get(user_id) == room.channel:
            del self._user_room[user_id]
        self.world.membership.record(self.world.now(), room.channel, user_id, joined=False)
        room.raised_hands.pop(user_id, None)
        room.speaker_invites.pop(user_id, None)
        self._revoke(room, user_id)
        self.world.announce.send(
            "leave_channel", room=room.channel, channel=room.channel, user_id=user_id
        )
        if not room.moderators():
            self.end(room)

    def leave_current(self, user_id: int, *, unless: str | None = None) -> None:
        room = self.room_of(user_id)
        if room is not None and room.channel != unless:
            self.leave(user_id, room)

    def ping(self, user_id: int, channel: str) -> bool:
        """Record a keepalive; answer whether the client should leave (it is not in the room)."""
        room = self.state.rooms.get(channel)
        member = room.users.get(user_id) if room is not None else None
        if member is None:
            return True
        if member.last_ping is not None:
            member.last_ping = self.world.now()
        return False

    def drop_idle(self, now: float) -> None:
        """Remove users whose client stopped pinging for longer than the ping timeout."""
        limit = self.world.config.ping_timeout
        for room in list(self.state.rooms.values()):
            idle = [
                uid
                for uid, member in room.users.items()
                if member.last_ping is not None and now - member.last_ping > limit
            ]
            for uid in idle:
                if room.channel in self.state.rooms:
                    self.leave(uid, room)

    def end(self, room: Room) -> None:
        """Close the room: everyone is out, every room token stops working."""
        if self.state.rooms.get(room.channel) is not room:
            return
        self.world.announce.send("end_channel", room=room.channel, channel=room.channel)
        for uid in list(room.pubnub_tokens):
            self._revoke(room, uid)
        now = self.world.now()
        for uid in room.users:
            if self._user_room.get(uid) == room.channel:
                del self._user_room[uid]
            self.world.membership.record(now, room.channel, uid, joined=False)
        del self.state.rooms[room.channel]
        self._by_id.pop(room.channel_id, None)
        self.state.ended_channels.add(room.channel)

    def end_by(self, actor: User, room: Room) -> None:
        self.require_moderator(room, actor)
        self.end(room)

    # -- hands and the stage ---------------------------------------------------------------

    def raise_hand(self, user: User, room: Room) -> None:
        member = self.member(room, user.user_id)
        if member.is_speaker:
            raise WorldError("You are already a speaker.")
        self._check_handraise(room, user)
        if user.user_id in room.raised_hands:
            return
        room.raised_hands[user.user_id] = self.world.now()
        self.world.announce.send(
            "raise_hands",
            room=room.channel,
            channel=room.channel,
            user_id=user.user_id,
            user_profile=shapes.room_user(self.world, room, member),
        )

    def _check_handraise(self, room: Room, user: User) -> None:
        permission = room.handraise_permission
        if not room.is_handraise_enabled or permission == HANDRAISE_OFF:
            raise WorldError("Hand raising is turned off in this room.")
        if permission == HANDRAISE_FOLLOWED_BY_SPEAKERS and not (
            self.world.social.followers_of(user.user_id) & room.speaker_ids()
        ):
            raise NotAllowed("Only people followed by the speakers can raise their hands here.")
        if permission == HANDRAISE_CLUB_MEMBERS:
            club = self.state.clubs.get(room.club_id) if room.club_id is not None else None
            if club is None or user.user_id not in club.members:
                raise NotAllowed("Only club members can raise their hands here.")

    def lower_hand(self, user: User, room: Room) -> None:
        self.member(room, user.user_id)
        if room.raised_hands.pop(user.user_id, None) is None:
            return
        self.world.announce.send(
            "unraise_hands", room=room.channel, channel=room.channel, user_id=user.user_id
        )

    def invite_speaker(self, actor: User, room: Room, target_id: int) -> None:
        self.require_moderator(room, actor)
        target = self._target(room, target_id)
        if target.is_speaker:
            raise WorldError("This person is already a speaker.")
        room.speaker_invites[target_id] = actor.user_id
        target.is_invited_as_speaker = True
        self._tell("invite_speaker", room, actor, target_id)

    def uninvite_speaker(self, actor: User, room: Room, target_id: int) -> None:
        """Withdraw a pending invitation, or move a speaker back to the audience."""
        self.require_moderator(room, actor)
        target = self._target(room, target_id)
        if target_id == actor.user_id:
            raise WorldError("You can't move yourself to the audience this way.")
        was_invited = room.speaker_invites.pop(target_id, None) is not None
        if not was_invited and not target.is_speaker:
            raise WorldError("This person is not a speaker.")
        target.is_invited_as_speaker = False
        self._tell("uninvite_speaker", room, actor, target_id)
        if target.is_speaker:
            target.is_speaker = False
            target.is_moderator = False
            target.time_joined_as_speaker = None
            self.world.announce.send(
                "remove_speaker", room=room.channel, channel=room.channel, user_id=target_id
            )
            self._follow_stage(room, target_id)

    def accept_speaker_invite(self, user: User, room: Room) -> RoomUser:
        member = self.member(room, user.user_id)
        if member.is_speaker:
            raise WorldError("You are already a speaker.")
        inviter = room.speaker_invites.pop(user.user_id, None)
        if inviter is None:
            raise WorldError("You have not been invited to speak.")
        member.is_speaker = True
        member.is_invited_as_speaker = True
        member.time_joined_as_speaker = self.world.now()
        room.raised_hands.pop(user.user_id, None)
        self._follow_stage(room, user.user_id)
        self.world.announce.send(
            "add_speaker",
            room=room.channel,
            channel=room.channel,
            user_profile=shapes.room_user(self.world, room, member),
        )
        self._tell("accept_speaker_invite", room, user, inviter, user_id=user.user_id)
        return member

    def reject_speaker_invite(self, user: User, room: Room) -> None:
        member = self.member(room, user.user_id)
        inviter = room.speaker_invites.pop(user.user_id, None)
        if inviter is None:
            raise WorldError("You have not been invited to speak.")
        member.is_invited_as_speaker = False
        self._tell("reject_speaker_invite", room, user, inviter, user_id=user.user_id)

    def _tell(self, action: str, room: Room, sender: User, to_user: int, **fields: Any) -> None:
        """Send ``action`` about ``room`` from ``sender`` to the one user ``to_user``."""
        self.world.announce.send(
            action,
            room=room.channel,
            to_user=to_user,
            channel=room.channel,
            **fields,
            from_user_id=sender.user_id,
            from_name=sender.name,
        )

    def mute_speaker(self, actor: User, room: Room, target_id: int) -> None:
        self.require_moderator(room, actor)
        target = self._target(room, target_id)
        if not target.is_speaker:
            raise WorldError("Only speakers can be muted.")
        target.is_muted = True
        self._tell("mute_speaker", room, actor, target_id)

    def make_moderator(self, actor: User, room: Room, target_id: int) -> None:
        self.require_moderator(room, actor)
        target = self._target(room, target_id)
        if not target.is_speaker:
            raise WorldError("Only speakers can become moderators.")
        if target.is_moderator:
            return
        target.is_moderator = True
        self.world.announce.send(
            "make_moderator", room=room.channel, channel=room.channel, user_id=target_id
        )

    def block_from_channel(self, actor: User, room: Room, target_id: int) -> None:
        """Remove someone and keep them out of this room."""
        self.require_moderator(room, actor)
        self.world.user(target_id)
        if target_id == actor.user_id:
            raise WorldError("You can't remove yourself.")
        room.blocked.add(target_id)
        room.invited.discard(target_id)
        if target_id not in room.users:
            return
        self._tell("remove_from_channel", room, actor, target_id, user_id=target_id)
        self.leave(target_id, room)

    # -- room settings ---------------------------------------------------------------------

    def make_public(self, actor: User, room: Room) -> None:
        self.require_moderator(room, actor)
        room.is_private = False
        room.is_social_mode = False
        self.world.announce.send("make_channel_public", room=room.channel, channel=room.channel)

    def make_social(self, actor: User, room: Room) -> None:
        self.require_moderator(room, actor)
        room.is_private = False
        room.is_social_mode = True
        self.world.announce.send("make_channel_social", room=room.channel, channel=room.channel)

    def change_handraise_settings(
        self, actor: User, room: Room, *, is_enabled: bool, permission: int
    ) -> None:
        self.require_moderator(room, actor)
        if permission not in (0, 1, 2, 3):
            raise WorldError("handraise_permission must be 0, 1, 2 or 3")
        room.is_handraise_enabled = is_enabled and permission != HANDRAISE_OFF
        room.handraise_permission = permission
        if not room.is_handraise_enabled:
            room.raised_hands.clear()
        self.world.announce.send(
            "change_handraise_settings",
            room=room.channel,
            channel=room.channel,
            is_enabled=room.is_handraise_enabled,
            handraise_permission=permission,
        )

    def hide(self, user: User, room: Room, *, hide: bool) -> None:
        if hide:
            room.hidden_by.add(user.user_id)
        else:
            room.hidden_by.discard(user.user_id)

    def set_flags(
        self,
        actor: User,
        room: Room,
        *,
        visibility: str | None,
        flag_title: str | None,
        unflag_title: str | None,
    ) -> None:
        self.require_moderator(room, actor)
        room.flags.update(
            {"visibility": visibility, "flag_title": flag_title, "unflag_title": unflag_title}
        )

    def update_user_status(
        self, user: User, room: Room, *, audio_profile: int | None, is_on_call: bool
    ) -> None:
        member = self.member(room, user.user_id)
        member.audio_profile = audio_profile
        changed = member.is_on_call != is_on_call
        member.is_on_call = is_on_call
        if changed:
            self.world.announce.send(
                "update_speaker_call_status",
                room=room.channel,
                channel=room.channel,
                user_id=user.user_id,
                is_on_call=is_on_call,
            )

    # -- invitations -----------------------------------------------------------------------

    def invite_to_existing(self, actor: User, room: Room, target_id: int) -> None:
        self.member(room, actor.user_id)
        target = self.world.user(target_id)
        if self.world.social.either_blocked(actor.user_id, target.user_id):
            raise WorldError("You can't invite this person.")
        room.invited.add(target.user_id)
        self.world.social.notify(
            target.user_id,
            NOTIFY_ROOM_INVITE,
            f"{actor.name} invited you to a room: {room.topic or 'join them'}",
            actor_id=actor.user_id,
            channel=room.channel,
        )

    def invite_to_new(self, actor: User, target: User) -> NewChannelInvite:
        if target.user_id == actor.user_id:
            raise WorldError("You can't invite yourself.")
        if self.world.social.either_blocked(actor.user_id, target.user_id):
            raise WorldError("You can't invite this person.")
        invite = NewChannelInvite(
            channel_invite_id=self.state.new_id("channel_invite", start=1),
            from_user_id=actor.user_id,
            to_user_id=target.user_id,
            time_created=self.world.now(),
        )
        self.state.channel_invites[invite.channel_invite_id] = invite
        self.world.announce.send(
            "invite_to_new_channel",
            to_user=target.user_id,
            channel_invite_id=invite.channel_invite_id,
            from_user_id=actor.user_id,
            from_name=actor.name,
        )
        return invite

    def _pending_invite(self, invite_id: int) -> NewChannelInvite:
        invite = self.state.channel_invites.get(invite_id)
        if invite is None or invite.status != "pending":
            raise WorldError("This invitation is no longer valid.")
        return invite

    def accept_new(self, user: User, invite_id: int) -> Room:
        """Open a private room for the two people; both start on stage."""
        invite = self._pending_invite(invite_id)
        if invite.to_user_id != user.user_id:
            raise NotAllowed("This invitation is for someone else.")
        inviter = self.world.user(invite.from_user_id)
        room = self.create(inviter, is_private=True, invited_ids=[user.user_id])
        self.place(room, user.user_id, speaker=True)
        invite.status = "accepted"
        invite.channel = room.channel
        self.world.announce.send(
            "accept_new_channel_invite",
            to_user=inviter.user_id,
            channel=room.channel,
            channel_invite_id=invite_id,
            from_user_id=user.user_id,
            from_name=user.name,
        )
        return room

    def reject_new(self, user: User, invite_id: int) -> None:
        invite = self._pending_invite(invite_id)
        if invite.to_user_id != user.user_id:
            raise NotAllowed("This invitation is for someone else.")
        invite.status = "rejected"
        self.world.announce.send(
            "reject_new_channel_invite",
            to_user=invite.from_user_id,
            channel_invite_id=invite_id,
            from_user_id=user.user_id,
            from_name=user.name,
        )

    def cancel_new(self, user: User, invite_id: int) -> None:
        invite = self._pending_invite(invite_id)
        if invite.from_user_id != user.user_id:
            raise NotAllowed("Only the person who sent this invitation can cancel it.")
        invite.status = "cancelled"
        self.world.announce.send(
            "cancel_new_channel_invite",
            to_user=invite.to_user_id,
            channel_invite_id=invite_id,
            from_user_id=user.user_id,
            from_name=user.name,
        )

    # -- the welcome room ------------------------------------------------------------------

    def welcome_room(self, user: User) -> Room | None:
        """The private room greeting a newcomer, opened on first ask by two sample users."""
        for room in self.state.rooms.values():
            if room.welcome_for == user.user_id:
                return room
        if not user.is_onboarding:
            return None
        hosts = sorted(
            (u for u in self.world.social.suggested_follows(user) if self._may_host(u)),
            key=lambda u: self.room_of(u.user_id) is not None,
        )[:2]
        if not hosts:
            return None
        topic = f"Welcome, {user.first_name}!" if user.first_name else "Welcome to Clubhouse!"
        room = self.create(
            hosts[0], topic=topic, is_private=True, keepalive=False, welcome_for=user.user_id
        )
        room.invited.add(user.user_id)
        for host in hosts[1:]:
            self.place(room, host.user_id, moderator=True, keepalive=False)
        return room

    def _may_host(self, user: User) -> bool:
        """A sample user free to greet a newcomer: not moderating another room."""
        room = self.room_of(user.user_id)
        return user.is_simulated and (room is None or not room.users[user.user_id].is_moderator)

    def reject_welcome(self, user: User) -> None:
        """The newcomer declined their welcome room: tell its hosts, then close it."""
        room = next((r for r in self.state.rooms.values() if r.welcome_for == user.user_id), None)
        if room is None:
            return
        member = room.users.get(user.user_id) or RoomUser(user_id=user.user_id)
        self.world.announce.send(
            "reject_welcome_channel",
            room=room.channel,
            channel=room.channel,
            user_profile=shapes.room_user(self.world, room, member),
        )
        self.end(room)

    # -- links and text chat ---------------------------------------------------------------

    def add_link(self, actor: User, room: Room, link: str) -> RoomLink:
        self.require_moderator(room, actor)
        if not link.startswith(("http://", "https://")):
            raise WorldError("Please enter a web link (http:// or https://).")
        item = RoomLink(
            link_id=self.state.new_id("link", start=1),
            link=link,
            user_id=actor.user_id,
            time_created=self.world.now(),
        )
        room.links.append(item)
        return item

    def remove_link(self, actor: User, room: Room, link_id: str) -> None:
        self.require_moderator(room, actor)
        kept = [item for item in room.links if str(item.link_id) != link_id]
        if len(kept) == len(room.links):
            raise WorldError("That link is not pinned in this room.")
        room.links = kept

    def send_message(self, user: User, room: Room, text: str) -> RoomMessage:
        self.member(room, user.user_id)
        if not text.strip() or len(text) > MAX_CHAT_MESSAGE:
            raise WorldError(f"A message has 1 to {MAX_CHAT_MESSAGE} characters.")
        message = RoomMessage(
            message_id=self.state.new_id("room_message", start=1),
            user_id=user.user_id,
            message=text,
            time_created=self.world.now(),
        )
        room.messages.append(message)
        del room.messages[:-ROOM_MESSAGES_KEPT]
        return message

    def suggested_speakers(self, user: User, room: Room | None) -> list[User]:
        """Listeners worth bringing up: those followed by the people on stage, or the
        people the user follows when no room is given."""
        if room is None:
            return self.world.social.users(self.world.social.following_of(user.user_id))
        speakers = room.speaker_ids()
        listeners = [
            uid
            for uid, member in room.users.items()
            if not member.is_speaker and self.world.social.followers_of(uid) & speakers
        ]
        return self.world.social.users(listeners)
