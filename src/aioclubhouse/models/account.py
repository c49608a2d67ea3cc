"""Account answers: phone login, tokens, ``me``, settings and app updates; and the
reasons an incident report can give.

Token fields are left out of every ``repr`` so a logged model never leaks them.
"""

from __future__ import annotations

import enum

import attrs

from .base import Model
from .clubs import Club
from .users import UserShort

__all__ = [
    "LoginResult",
    "MeResult",
    "NotificationSettings",
    "PhoneAuthResult",
    "PhotoResult",
    "ReleaseNotes",
    "ReportReason",
    "TokenPair",
    "UpdateCheck",
    "WaitlistStatus",
]


class ReportReason(enum.StrEnum):
    """The ``incident_type`` of ``report_incident``: the Android app's reasons, in its order.

    The values are the wire strings (docs/protocol.md A, *Enumerations*). ``BLANK`` is
    the app's "nothing picked yet"; the SDK refuses to send it.
    """

    BLANK = ""
    ABUSE = "abuse__bullying__or_harassment"
    DISCRIMINATION = "discrimination_or_hateful_conduct"
    INAPPROPRIATE = "inappropriate_or_harmful_content"
    TROLLING = "trolling"
    FALSE_INFORMATION = "false_information"
    PLATFORM_MANIPULATION = "platform_manipulation"
    ENCOURAGING_USERS_TO_VIOLATE_RULES = "encouraging_users_to_violate_rules"
    REAL_NAME = "real_name_and_identity"
    AGE_REQUIREMENT = "age_requirement"
    ILLEGAL_ACTIVITIES = "illegal_activities"
    VIOLENCE = "violence_or_harm"
    SHARING_OTHERS_PRIVATE_INFORMATION = "sharing_of_others__private_information"
    FAKE_BADGES = "fake_badges"
    INTELLECTUAL_PROPERTY = "intellectual_property__copyright__or_trademark"
    RECORDING = "recording__transcribing__or_reproducing_content"
    SYNTHETIC_OR_MANIPULATED_MEDIA = "synthetic_or_manipulated_media"
    SELF_HARM = "self-harm_or_suicide"
    OTHER = "other"


@attrs.define(kw_only=True)
class PhoneAuthResult(Model):
    """The answer of the start, resend and call steps of phone login.

    ``is_blocked`` means the service will not log this number in (a ban, or headers
    it did not like); ``send_rc_token`` means it wants a reCAPTCHA token.
    """

    success: bool = True
    is_blocked: bool = False
    is_verified: bool | None = None
    error_message: str | None = None
    number_of_attempts_remaining: int | None = None
    send_rc_token: bool = False
    num_digits: int | None = None


@attrs.define(kw_only=True)
class LoginResult(Model):
    """The answer of ``complete_phone_number_auth``: who we are and our tokens."""

    success: bool = True
    is_verified: bool = False
    error_message: str | None = None
    number_of_attempts_remaining: int | None = None
    user_profile: UserShort | None = None
    auth_token: str | None = attrs.field(default=None, repr=False)
    access_token: str | None = attrs.field(default=None, repr=False)
    refresh_token: str | None = attrs.field(default=None, repr=False)
    is_waitlisted: bool = False
    is_onboarding: bool = False
    enable_twitter: bool = False
    invited_by_user_profile: UserShort | None = None
    club: Club | None = None
    num_preselect_follows: int | None = None

    @property
    def user_id(self) -> int | None:
        return self.user_profile.user_id if self.user_profile is not None else None


@attrs.define(kw_only=True)
class TokenPair(Model):
    """A renewed JWT pair from ``refresh_token``."""

    access: str = attrs.field(repr=False)
    refresh: str | None = attrs.field(default=None, repr=False)


@attrs.define(kw_only=True)
class UpdateCheck(Model):
    """The answer of ``check_for_update``."""

    has_update: bool = False
    is_mandatory: bool = False
    app_url: str | None = None
    app_version: str | None = None
    app_build: int | None = None
    success: bool = True


@attrs.define(kw_only=True)
class WaitlistStatus(Model):
    """Whether the account may use the app yet."""

    is_waitlisted: bool = False
    is_onboarding: bool = False
    success: bool = True


@attrs.define(kw_only=True)
class MeResult(Model):
    """The answer of ``me``: the logged-in user and the state of their account.

    ``me`` works only logged in (a 401 otherwise), and then the service always sends the
    user's profile, so ``user_profile`` is never None: an answer without one is a
    :class:`~aioclubhouse.errors.DecodeError`.
    """

    user_profile: UserShort
    has_unread_notifications: bool = False
    actionable_notifications_count: int = 0
    num_invites: int = 0
    notifications_enabled: bool = False
    following_ids: list[int] = attrs.field(factory=list)
    blocked_ids: list[int] = attrs.field(factory=list)
    is_admin: bool = False
    email: str | None = None
    feature_flags: list[str] = attrs.field(factory=list)
    auth_token: str | None = attrs.field(default=None, repr=False)
    access_token: str | None = attrs.field(default=None, repr=False)
    refresh_token: str | None = attrs.field(default=None, repr=False)
    success: bool = True


@attrs.define(kw_only=True)
class ReleaseNotes(Model):
    """What ``get_release_notes`` says to show after an update."""

    should_display: bool = False
    title: str | None = None
    action: str | None = None
    url: str | None = None


@attrs.define(kw_only=True)
class PhotoResult(Model):
    """The answer of ``update_photo``: where the new picture lives."""

    photo_url: str | None = None
    success: bool = True


@attrs.define(kw_only=True)
class NotificationSettings(Model):
    """The notification settings ``get_settings`` returns."""

    notifications_enable_trending: bool | None = None
    notifications_frequency: int | None = None
    notifications_is_paused: bool | None = None
    success: bool = True
