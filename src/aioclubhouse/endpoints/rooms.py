"""Endpoints of the 'rooms' area: the hallway, joining and leaving, and moderation.

A room is addressed by its ``channel`` name. Room requests carry just ``{channel}``, as
the official app (and Houseclub) send them; a caller who passes the numeric
``channel_id`` gets it added (docs/protocol.md G).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import validation
from ..errors import InvalidArgumentError
from ..models.base import SuccessResponse
from ..models.rooms import (
    AcceptedNewChannelInvite,
    AcceptSpeakerInviteResult,
    ActivePingResult,
    Channel,
    ChannelMessages,
    ChannelsFeed,
    CreateChannelTargets,
    ExistingChannelInviteResult,
    Feed,
    HandraisePermission,
    JoinChannelResult,
    NewChannelInvite,
    SuggestedSpeakers,
    WelcomeChannel,
)
from .base import EndpointGroup

__all__ = ["DEFAULT_ATTRIBUTION_DETAILS", "MUSIC_AUDIO_PROFILE", "RoomEndpoints"]

# base64 of {"is_explore":false,"rank":1}: what the apps send when joining from the feed.
DEFAULT_ATTRIBUTION_DETAILS = "eyJpc19leHBsb3JlIjpmYWxzZSwicmFuayI6MX0="
# The audio profile the app reports for "music mode".
MUSIC_AUDIO_PROFILE = 11


def _channel_and_user(channel: str, user_id: int) -> dict[str, Any]:
    return {
        "channel": validation.channel(channel),
        "user_id": validation.positive_id(user_id, "user_id"),
    }


def _channel_with_id(channel: str, channel_id: int | None) -> dict[str, Any]:
    """``{channel}``, plus ``channel_id`` only when the caller gives it."""
    body: dict[str, Any] = {"channel": validation.channel(channel)}
    if channel_id is not None:
        body["channel_id"] = validation.positive_id(channel_id, "channel_id")
    return body


class RoomEndpoints(EndpointGroup):
    """The 'rooms' endpoints."""

    # -- finding rooms -------------------------------------------------------------------
    async def get_channels(self) -> ChannelsFeed:
        """List the rooms in the hallway, with upcoming events."""
        return await self._call("get_channels", ChannelsFeed)

    async def get_feed(self) -> Feed:
        """Fetch the home feed (rooms and other items)."""
        return await self._call("get_feed", Feed)

    async def get_channel(self, channel: str, *, channel_id: int | None = None) -> Channel:
        """Fetch a room's current state without joining it."""
        body = _channel_with_id(channel, channel_id)
        return await self._call("get_channel", Channel, body=body)

    async def get_welcome_channel(self) -> WelcomeChannel:
        """Fetch the onboarding room offered to new accounts."""
        return await self._call("get_welcome_channel", WelcomeChannel)

    async def reject_welcome_channel(self) -> SuccessResponse:
        """Decline the onboarding room."""
        return await self._call("reject_welcome_channel", SuccessResponse)

    # -- joining and staying -------------------------------------------------------------
    async def join_channel(
        self,
        channel: str,
        *,
        attribution_source: str = "feed",
        attribution_details: str = DEFAULT_ATTRIBUTION_DETAILS,
    ) -> JoinChannelResult:
        """Join a room and receive its audio and realtime tokens."""
        body = {
            "channel": validation.channel(channel),
            "attribution_source": validation.non_empty(attribution_source, "attribution_source"),
            "attribution_details": validation.text(attribution_details, "attribution_details"),
        }
        return await self._call("join_channel", JoinChannelResult, body=body)

    async def leave_channel(
        self, channel: str, *, channel_id: int | None = None
    ) -> SuccessResponse:
        """Leave a room."""
        body = _channel_with_id(channel, channel_id)
        return await self._call("leave_channel", SuccessResponse, body=body)

    async def active_ping(self, channel: str, *, channel_id: int | None = None) -> ActivePingResult:
        """Tell the service the caller is still in the room (the apps do it every 30-45 s)."""
        body = _channel_with_id(channel, channel_id)
        return await self._call("active_ping", ActivePingResult, body=body)

    async def update_channel_user_status(
        self,
        channel: str,
        *,
        audio_profile: int = MUSIC_AUDIO_PROFILE,
        is_on_call: bool = False,
    ) -> SuccessResponse:
        """Report the caller's audio profile and phone-call status in a room."""
        body = {
            "channel": validation.channel(channel),
            "audio_profile": validation.non_negative(audio_profile, "audio_profile"),
            "is_on_call": validation.boolean(is_on_call, "is_on_call"),
        }
        return await self._call("update_channel_user_status", SuccessResponse, body=body)

    # -- hands and the stage -------------------------------------------------------------
    async def audience_reply(
        self, channel: str, *, raise_hands: bool = True, unraise_hands: bool = False
    ) -> SuccessResponse:
        """Raise the caller's hand (the default) or, with ``unraise_hands=True``, lower it."""
        validation.boolean(raise_hands, "raise_hands")
        validation.boolean(unraise_hands, "unraise_hands")
        if raise_hands == unraise_hands:
            raise InvalidArgumentError(
                "raise_hands", "exactly one of raise_hands and unraise_hands must be True"
            )
        body = {
            "channel": validation.channel(channel),
            "raise_hands": raise_hands,
            "unraise_hands": unraise_hands,
        }
        return await self._call("audience_reply", SuccessResponse, body=body)

    async def accept_speaker_invite(self, channel: str, user_id: int) -> AcceptSpeakerInviteResult:
        """Accept an invitation to speak from ``user_id`` (the inviter); returns new tokens."""
        body = _channel_and_user(channel, user_id)
        return await self._call("accept_speaker_invite", AcceptSpeakerInviteResult, body=body)

    async def reject_speaker_invite(self, channel: str, user_id: int) -> SuccessResponse:
        """Decline an invitation to speak from ``user_id``."""
        body = _channel_and_user(channel, user_id)
        return await self._call("reject_speaker_invite", SuccessResponse, body=body)

    # -- moderation (moderators only) ----------------------------------------------------
    async def invite_speaker(self, channel: str, user_id: int) -> SuccessResponse:
        """Invite a listener onto the stage."""
        body = _channel_and_user(channel, user_id)
        return await self._call("invite_speaker", SuccessResponse, body=body)

    async def uninvite_speaker(self, channel: str, user_id: int) -> SuccessResponse:
        """Move a speaker back to the audience."""
        body = _channel_and_user(channel, user_id)
        return await self._call("uninvite_speaker", SuccessResponse, body=body)

    async def mute_speaker(self, channel: str, user_id: int) -> SuccessResponse:
        """Mute a speaker's microphone."""
        body = _channel_and_user(channel, user_id)
        return await self._call("mute_speaker", SuccessResponse, body=body)

    async def make_moderator(self, channel: str, user_id: int) -> SuccessResponse:
        """Make a speaker a moderator."""
        body = _channel_and_user(channel, user_id)
        return await self._call("make_moderator", SuccessResponse, body=body)

    async def block_from_channel(self, channel: str, user_id: int) -> SuccessResponse:
        """Remove a user from the room and keep them out."""
        body = _channel_and_user(channel, user_id)
        return await self._call("block_from_channel", SuccessResponse, body=body)

    async def end_channel(self, channel: str, *, channel_id: int | None = None) -> SuccessResponse:
        """End the room for everyone."""
        body = _channel_with_id(channel, channel_id)
        return await self._call("end_channel", SuccessResponse, body=body)

    async def make_channel_public(
        self, channel: str, *, channel_id: int | None = None
    ) -> SuccessResponse:
        """Open a closed or social room to everyone."""
        body = _channel_with_id(channel, channel_id)
        return await self._call("make_channel_public", SuccessResponse, body=body)

    async def make_channel_social(
        self, channel: str, *, channel_id: int | None = None
    ) -> SuccessResponse:
        """Restrict a room to people the speakers follow."""
        body = _channel_with_id(channel, channel_id)
        return await self._call("make_channel_social", SuccessResponse, body=body)

    async def change_handraise_settings(
        self,
        channel: str,
        *,
        is_enabled: bool = True,
        handraise_permission: HandraisePermission | int = HandraisePermission.ALL,
    ) -> SuccessResponse:
        """Turn hand raising on or off and choose who may raise a hand."""
        permission = validation.in_range(
            handraise_permission,
            "handraise_permission",
            HandraisePermission.OFF,
            HandraisePermission.CLUB_MEMBERS,
        )
        body = {
            "channel": validation.channel(channel),
            "is_enabled": validation.boolean(is_enabled, "is_enabled"),
            "handraise_permission": int(permission),
        }
        return await self._call("change_handraise_settings", SuccessResponse, body=body)

    async def hide_channel(self, channel: str, *, hide: bool = True) -> SuccessResponse:
        """Hide a room from the caller's hallway (or show it again with ``hide=False``)."""
        body = {"channel": validation.channel(channel), "hide": validation.boolean(hide, "hide")}
        return await self._call("hide_channel", SuccessResponse, body=body)

    async def update_channel_flags(
        self,
        channel: str,
        *,
        visibility: str | None = None,
        flag_title: str | None = None,
        unflag_title: str | None = None,
    ) -> SuccessResponse:
        """Set a room's visibility flag and the titles shown for flagging it."""
        body = {
            "channel": validation.channel(channel),
            "visibility": validation.optional_text(visibility, "visibility"),
            "flag_title": validation.optional_text(flag_title, "flag_title"),
            "unflag_title": validation.optional_text(unflag_title, "unflag_title"),
        }
        return await self._call("update_channel_flags", SuccessResponse, body=body)

    # -- starting rooms ------------------------------------------------------------------
    async def create_channel(
        self,
        *,
        topic: str = "",
        is_social_mode: bool = False,
        is_private: bool = False,
        club_id: int | None = None,
        user_ids: Iterable[int] = (),
        event_id: int | None = None,
    ) -> JoinChannelResult:
        """Start a room and join it; an empty ``topic`` is sent as ``null``, like the app."""
        body = {
            "topic": validation.text(topic, "topic") or None,
            "is_social_mode": validation.boolean(is_social_mode, "is_social_mode"),
            "is_private": validation.boolean(is_private, "is_private"),
            "club_id": validation.optional_id(club_id, "club_id"),
            "user_ids": validation.id_list(user_ids, "user_ids"),
            "event_id": validation.optional_id(event_id, "event_id"),
        }
        return await self._call("create_channel", JoinChannelResult, body=body)

    async def get_create_channel_targets(self) -> CreateChannelTargets:
        """List the clubs and events the caller may start a room for."""
        return await self._call("get_create_channel_targets", CreateChannelTargets, body={})

    async def get_suggested_speakers(self, channel: str | None = None) -> SuggestedSpeakers:
        """Suggest people to bring on stage (``channel=None`` when starting a private room)."""
        body = {"channel": None if channel is None else validation.channel(channel)}
        return await self._call("get_suggested_speakers", SuggestedSpeakers, body=body)

    # -- inviting people -----------------------------------------------------------------
    async def invite_to_existing_channel(
        self, channel: str, user_id: int
    ) -> ExistingChannelInviteResult:
        """Ping a user to join a room the caller is in."""
        body = _channel_and_user(channel, user_id)
        return await self._call(
            "invite_to_existing_channel", ExistingChannelInviteResult, body=body
        )

    async def invite_to_new_channel(
        self, user_id: int, *, channel: str | None = None
    ) -> NewChannelInvite:
        """Invite a user to start a new private room with the caller."""
        body = {
            "user_id": validation.positive_id(user_id, "user_id"),
            "channel": None if channel is None else validation.channel(channel),
        }
        return await self._call("invite_to_new_channel", NewChannelInvite, body=body)

    async def accept_new_channel_invite(self, channel_invite_id: int) -> AcceptedNewChannelInvite:
        """Accept an invitation to a new room; the answer names the room to join."""
        body = {"channel_invite_id": validation.positive_id(channel_invite_id, "channel_invite_id")}
        return await self._call("accept_new_channel_invite", AcceptedNewChannelInvite, body=body)

    async def reject_new_channel_invite(self, channel_invite_id: int) -> SuccessResponse:
        """Decline an invitation to a new room."""
        body = {"channel_invite_id": validation.positive_id(channel_invite_id, "channel_invite_id")}
        return await self._call("reject_new_channel_invite", SuccessResponse, body=body)

    async def cancel_new_channel_invite(self, channel_invite_id: int) -> SuccessResponse:
        """Withdraw an invitation the caller sent to a new room."""
        body = {"channel_invite_id": validation.positive_id(channel_invite_id, "channel_invite_id")}
        return await self._call("cancel_new_channel_invite", SuccessResponse, body=body)

    # -- links and room chat -------------------------------------------------------------
    async def add_channel_link(self, channel: str, link: str) -> SuccessResponse:
        """Pin a link in a room."""
        body = {"channel": validation.channel(channel), "link": validation.non_empty(link, "link")}
        return await self._call("add_channel_link", SuccessResponse, body=body)

    async def remove_channel_link(self, channel: str, link_id: str) -> SuccessResponse:
        """Unpin a link, given the ``link_id`` from :attr:`Channel.links`."""
        body = {
            "channel": validation.channel(channel),
            "link": validation.non_empty(link_id, "link_id"),
        }
        return await self._call("remove_channel_link", SuccessResponse, body=body)

    async def get_channel_messages(
        self, channel: str, *, is_chronological_order: bool = False
    ) -> ChannelMessages:
        """Fetch a room's text chat."""
        order = validation.boolean(is_chronological_order, "is_chronological_order")
        query = {"channel": validation.channel(channel), "is_chronological_order": int(order)}
        return await self._call("get_channel_messages", ChannelMessages, body=query)

    async def send_channel_message(self, channel: str, message: str) -> SuccessResponse:
        """Post a message to a room's text chat."""
        body = {
            "channel": validation.channel(channel),
            "message": validation.non_empty(message, "message"),
        }
        return await self._call("send_channel_message", SuccessResponse, body=body)
