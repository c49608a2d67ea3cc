"""The catalogue of Clubhouse endpoints: one row per path, the SDK's single index.

Every coroutine method on :class:`~aioclubhouse.ClubhouseSession` that wraps an
endpoint is named exactly like the row here, and the tests walk this table to prove
that each one exists and sends the right request. The table format and the row's
product-neutral fields are those of :mod:`aioclubhouse.endpoint_table`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from ..endpoint_table import COMMON_FLAGS, Endpoint, parse_table

__all__ = ["ENDPOINTS", "ClubhouseEndpoint", "Evidence"]


class Evidence(enum.StrEnum):
    """How sure it is that the service takes a call as the SDK sends it.

    Read from the "Seen in" columns of docs/protocol.md A: the official apps are the
    only first-hand view, the third-party clients show what worked for them.
    """

    APP = "app"
    """An official app (Android 0.1.4 or 1.0.8) sends it."""
    CLIENTS = "clients"
    """No official app, but two or more independent references (clients, the OpenAPI
    description)."""
    SINGLE = "single"
    """Only one third-party reference sends it."""
    NONE = "none"
    """No known client sends it: unverified."""


@attrs.frozen(kw_only=True)
class ClubhouseEndpoint(Endpoint):
    """A Clubhouse endpoint; the path is its name.

    ``auth=False`` (flag N) means the call also works logged out (phone login, the
    update check, token renewal); it does not mean it goes without credentials: once
    logged in, the session sends them with every request (docs/protocol.md B.1).
    ``since_2022`` marks endpoints the apps added in 2022 (chat, links, the combined
    search), which older accounts and the public descriptions may not know.
    ``evidence`` says which references send the call (:class:`Evidence`).
    """

    since_2022: bool = False
    evidence: Evidence = Evidence.APP  # every row is given its own in _EVIDENCE below


# name, method, flags — P paginated, N also works logged out, I idempotent, M multipart,
# X a 2022 addition
_TABLE = """
account: start_phone_number_auth POST N | call_phone_number_auth POST N
  | resend_phone_number_auth POST N | complete_phone_number_auth POST N
  | check_for_update GET NI | refresh_token POST N | logout POST | deactivate_account POST
  | check_waitlist_status GET I | me POST I | get_release_notes POST I | add_email POST
  | update_photo POST M | update_name POST | update_displayname POST | update_username POST
  | update_twitter_username POST | update_instagram_username POST | update_bio POST
  | update_skintone POST | update_notifications POST | get_settings GET I
  | update_follow_notifications POST | add_user_topic POST | remove_user_topic POST
  | record_action_trails POST | report_incident POST M
users: get_profile POST I | follow POST | follow_multiple POST | unfollow POST | block POST
  | unblock POST | ignore_suggested_follow POST | get_following GET PI | get_followers GET PI
  | get_mutual_follows GET PI | get_suggested_follows_all GET PI
  | get_suggested_follows_friends_only POST I | get_suggested_follows_similar POST I
  | get_online_friends POST I | search_users POST PI | search_clubs POST PI | search POST PIX
invites: get_suggested_invites POST I | get_suggested_club_invites POST I | invite_to_app POST
  | invite_from_waitlist POST
topics: get_all_topics GET I | get_topic POST I | get_users_for_topic GET PI
  | get_clubs_for_topic GET PI
notifications: get_notifications GET PI | get_actionable_notifications GET I
  | ignore_actionable_notification POST
rooms: get_channels GET I | get_feed GET I | get_channel POST I | join_channel POST
  | leave_channel POST | active_ping POST I | audience_reply POST | accept_speaker_invite POST
  | reject_speaker_invite POST | invite_speaker POST | uninvite_speaker POST | mute_speaker POST
  | make_moderator POST | block_from_channel POST | end_channel POST | make_channel_public POST
  | make_channel_social POST | change_handraise_settings POST | create_channel POST
  | get_create_channel_targets POST I | get_suggested_speakers POST I | hide_channel POST
  | invite_to_existing_channel POST | invite_to_new_channel POST
  | accept_new_channel_invite POST | reject_new_channel_invite POST
  | cancel_new_channel_invite POST | get_welcome_channel GET I | reject_welcome_channel GET
  | update_channel_flags POST | update_channel_user_status POST X | add_channel_link POST X
  | remove_channel_link POST X | get_channel_messages GET IX | send_channel_message POST X
events: get_event POST I | create_event POST | edit_event POST | delete_event POST
  | rsvp_event POST | get_events GET PI | get_events_for_user GET PI
  | get_events_for_club POST I | get_events_to_start GET I
clubs: get_club POST I | get_club_members GET PI | get_clubs POST I | follow_club POST
  | unfollow_club POST | add_club_admin POST | remove_club_admin POST | remove_club_member POST
  | add_club_member POST | accept_club_member_invite POST | get_club_nominations POST I
  | approve_club_nomination POST | reject_club_nomination POST | add_club_topic POST
  | remove_club_topic POST | update_club_topics POST | update_is_follow_allowed POST
  | update_is_membership_private POST | update_is_community POST
  | update_club_description POST | update_club_rules POST | can_create_club GET I
  | create_club POST M | update_club_photo POST M | join_club POST X | leave_club POST X
chat: get_chats GET IX | create_chat POST X | search_chats POST IX | get_chat_messages GET IX
  | send_chat_message POST X
"""


# Which references send each call (docs/protocol.md A, "Seen in"). Every row not named
# on one of the other lines is sent by an official app.
_EVIDENCE = """
clients: refresh_token update_skintone get_suggested_club_invites get_topic get_users_for_topic
  get_clubs_for_topic get_feed get_events_to_start add_club_topic remove_club_topic
single: update_channel_flags update_channel_user_status add_channel_link remove_channel_link
  get_channel_messages send_channel_message join_club leave_club get_chats create_chat
  search_chats get_chat_messages send_chat_message
none: update_displayname
"""


def _with_evidence(rows: Mapping[str, ClubhouseEndpoint]) -> Mapping[str, ClubhouseEndpoint]:
    """The rows with their evidence; a name listed twice or not in the table fails."""
    given: dict[str, Evidence] = {}
    for line in _EVIDENCE.strip().replace("\n  ", " ").splitlines():
        level, _, names = line.partition(":")
        for name in names.split():
            if name not in rows or name in given:
                raise ValueError(f"evidence for {name!r}: unknown or given twice")
            given[name] = Evidence(level.strip())
    return MappingProxyType(
        {
            name: attrs.evolve(row, evidence=given.get(name, Evidence.APP))
            for name, row in rows.items()
        }
    )


ENDPOINTS: Mapping[str, ClubhouseEndpoint] = _with_evidence(
    parse_table(_TABLE, ClubhouseEndpoint, flags={**COMMON_FLAGS, "X": ("since_2022", True)})
)
