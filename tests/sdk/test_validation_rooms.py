"""Bad arguments to the 'rooms' endpoints are refused before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aioclubhouse.session import ClubhouseSession

from .argument_checks import assert_rejected

BAD_CALLS: list[tuple[str, Callable[[ClubhouseSession], Any], str]] = [
    ("get-channel-empty", lambda s: s.get_channel(""), "channel"),
    ("get-channel-blank", lambda s: s.get_channel("   "), "channel"),
    ("get-channel-none", lambda s: s.get_channel(None), "channel"),
    ("get-channel-id-0", lambda s: s.get_channel("abc", channel_id=0), "channel_id"),
    ("join-empty", lambda s: s.join_channel(""), "channel"),
    ("join-int-channel", lambda s: s.join_channel(12345), "channel"),
    (
        "join-empty-source",
        lambda s: s.join_channel("abc", attribution_source=""),
        "attribution_source",
    ),
    (
        "join-details-not-text",
        lambda s: s.join_channel("abc", attribution_details=None),
        "attribution_details",
    ),
    ("leave-empty", lambda s: s.leave_channel(""), "channel"),
    ("ping-empty", lambda s: s.active_ping(""), "channel"),
    ("ping-channel-id-negative", lambda s: s.active_ping("abc", channel_id=-3), "channel_id"),
    ("raise-empty-channel", lambda s: s.audience_reply(""), "channel"),
    ("raise-flag-not-bool", lambda s: s.audience_reply("abc", raise_hands=1), "raise_hands"),
    (
        "unraise-flag-not-bool",
        lambda s: s.audience_reply("abc", unraise_hands="yes"),
        "unraise_hands",
    ),
    (
        "raise-and-unraise",
        lambda s: s.audience_reply("abc", raise_hands=True, unraise_hands=True),
        "raise_hands",
    ),
    (
        "neither-raise-nor-unraise",
        lambda s: s.audience_reply("abc", raise_hands=False, unraise_hands=False),
        "raise_hands",
    ),
    ("accept-invite-user-0", lambda s: s.accept_speaker_invite("abc", 0), "user_id"),
    ("accept-invite-user-str", lambda s: s.accept_speaker_invite("abc", "7"), "user_id"),
    ("accept-invite-no-channel", lambda s: s.accept_speaker_invite("", 7), "channel"),
    ("reject-invite-user-bool", lambda s: s.reject_speaker_invite("abc", True), "user_id"),
    ("invite-speaker-user-none", lambda s: s.invite_speaker("abc", None), "user_id"),
    ("uninvite-no-channel", lambda s: s.uninvite_speaker("", 7), "channel"),
    ("mute-user-negative", lambda s: s.mute_speaker("abc", -7), "user_id"),
    ("moderator-user-float", lambda s: s.make_moderator("abc", 7.0), "user_id"),
    ("block-no-channel", lambda s: s.block_from_channel(" ", 7), "channel"),
    ("end-empty", lambda s: s.end_channel(""), "channel"),
    ("public-empty", lambda s: s.make_channel_public(""), "channel"),
    ("social-id-str", lambda s: s.make_channel_social("abc", channel_id="1"), "channel_id"),
    (
        "handraise-permission-4",
        lambda s: s.change_handraise_settings("abc", handraise_permission=4),
        "handraise_permission",
    ),
    (
        "handraise-permission-negative",
        lambda s: s.change_handraise_settings("abc", handraise_permission=-1),
        "handraise_permission",
    ),
    (
        "handraise-permission-str",
        lambda s: s.change_handraise_settings("abc", handraise_permission="ALL"),
        "handraise_permission",
    ),
    (
        "handraise-enabled-int",
        lambda s: s.change_handraise_settings("abc", is_enabled=1),
        "is_enabled",
    ),
    ("create-topic-not-text", lambda s: s.create_channel(topic=5), "topic"),
    ("create-club-0", lambda s: s.create_channel(club_id=0), "club_id"),
    ("create-user-ids-str", lambda s: s.create_channel(user_ids="7,8"), "user_ids"),
    ("create-user-ids-bad-item", lambda s: s.create_channel(user_ids=[7, 0]), "user_ids[1]"),
    ("create-event-negative", lambda s: s.create_channel(event_id=-1), "event_id"),
    ("create-private-str", lambda s: s.create_channel(is_private="no"), "is_private"),
    ("create-social-int", lambda s: s.create_channel(is_social_mode=0), "is_social_mode"),
    ("suggested-speakers-empty", lambda s: s.get_suggested_speakers(""), "channel"),
    ("hide-not-bool", lambda s: s.hide_channel("abc", hide=None), "hide"),
    ("invite-existing-user-0", lambda s: s.invite_to_existing_channel("abc", 0), "user_id"),
    ("invite-new-user-0", lambda s: s.invite_to_new_channel(0), "user_id"),
    ("invite-new-empty-channel", lambda s: s.invite_to_new_channel(7, channel=""), "channel"),
    (
        "accept-new-invite-0",
        lambda s: s.accept_new_channel_invite(0),
        "channel_invite_id",
    ),
    (
        "reject-new-invite-str",
        lambda s: s.reject_new_channel_invite("555"),
        "channel_invite_id",
    ),
    (
        "cancel-new-invite-none",
        lambda s: s.cancel_new_channel_invite(None),
        "channel_invite_id",
    ),
    (
        "flags-visibility-int",
        lambda s: s.update_channel_flags("abc", visibility=1),
        "visibility",
    ),
    (
        "status-audio-profile-negative",
        lambda s: s.update_channel_user_status("abc", audio_profile=-1),
        "audio_profile",
    ),
    (
        "status-on-call-str",
        lambda s: s.update_channel_user_status("abc", is_on_call="false"),
        "is_on_call",
    ),
    ("add-link-empty", lambda s: s.add_channel_link("abc", ""), "link"),
    ("remove-link-empty", lambda s: s.remove_channel_link("abc", ""), "link_id"),
    ("messages-empty-channel", lambda s: s.get_channel_messages(""), "channel"),
    (
        "messages-order-int",
        lambda s: s.get_channel_messages("abc", is_chronological_order=1),
        "is_chronological_order",
    ),
    ("send-message-blank", lambda s: s.send_channel_message("abc", "  "), "message"),
    ("send-message-no-channel", lambda s: s.send_channel_message("", "hi"), "channel"),
]


@pytest.mark.parametrize(
    ("call", "field"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_argument_is_refused_locally(
    call: Callable[[ClubhouseSession], Any], field: str
) -> None:
    await assert_rejected(call, field)
