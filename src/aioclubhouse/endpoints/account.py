"""Endpoints of the 'account' area: phone login, tokens, the own profile and settings.

Login, token renewal and logout change who the session is, each through the one
``_adopt_login`` of the endpoint-group base: the session's
:class:`~aioclubhouse.auth.Credentials` change in place (the device id stays) and the
log scrubber holds the new tokens instead of the old. Nothing here writes files; call
``session.save_credentials()`` to keep a login.

Phone login answers come in two flavours. ``{"success": false, ...}`` (throttled, bad
number) raises :class:`~aioclubhouse.errors.BadRequestError` carrying the service's
``error_message`` and the whole answer in ``.body``. ``{"success": true,
"is_blocked": true}`` is returned as is: the caller decides what a blocked number means.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from .. import validation
from ..errors import AuthenticationError, InvalidArgumentError
from ..identity import Platform
from ..models.account import (
    LoginResult,
    MeResult,
    NotificationSettings,
    PhoneAuthResult,
    PhotoResult,
    ReleaseNotes,
    ReportReason,
    TokenPair,
    UpdateCheck,
    WaitlistStatus,
)
from ..models.base import SuccessResponse
from ..redaction import SECRET_KEYS
from .base import EndpointGroup
from .uploads import (
    FilePart,
    Photo,
    Upload,
    guess_content_type,
    jpeg_part,
    multipart_form,
    read_photo,
    read_upload,
)

__all__ = ["AccountEndpoints"]

# Notification setting values the apps send; -1 means "leave unchanged".
UNSET = -1
ENABLE_SETTINGS = (UNSET, 1, 2)  # 1 yes, 2 no
LEVEL_SETTINGS = (UNSET, 1, 2, 3, 4, 5)  # frequency, pause length


class AccountEndpoints(EndpointGroup):
    """The 'account' endpoints."""

    # -- phone login -------------------------------------------------------------------
    async def start_phone_number_auth(self, phone_number: str) -> PhoneAuthResult:
        """Ask the service to text a verification code to ``phone_number``."""
        body = {"phone_number": validation.phone_number(phone_number)}
        return await self._call("start_phone_number_auth", PhoneAuthResult, body=body)

    async def resend_phone_number_auth(self, phone_number: str) -> PhoneAuthResult:
        """Text the verification code again."""
        body = {"phone_number": validation.phone_number(phone_number)}
        return await self._call("resend_phone_number_auth", PhoneAuthResult, body=body)

    async def call_phone_number_auth(self, phone_number: str) -> PhoneAuthResult:
        """Have the service phone ``phone_number`` and read the code out."""
        body = {"phone_number": validation.phone_number(phone_number)}
        return await self._call("call_phone_number_auth", PhoneAuthResult, body=body)

    async def complete_phone_number_auth(
        self,
        phone_number: str,
        verification_code: str,
        *,
        rc_token: str | None = None,
        safety_net_nonce: str | None = None,
        safety_net_response: str | None = None,
        device_token: str | None = None,
    ) -> LoginResult:
        """Log in with the code that was sent; the session is then this user.

        The body is the one the identity's app sends (docs/protocol.md B.2), every key
        present and ``null`` when not given: iOS ``device_token``, ``rc_token``,
        ``phone_number``, ``verification_code``; Android ``verification_code``,
        ``phone_number``, ``safety_net_nonce``, ``safety_net_response``, ``rc_token``.
        A value the platform's app never sends (SafetyNet on iOS, ``device_token`` on
        Android) raises :class:`InvalidArgumentError`.

        Raises :class:`AuthenticationError` when the service answers without a login
        (a wrong code); its ``body`` tells how many attempts remain.
        """
        values = {
            "phone_number": validation.phone_number(phone_number),
            "verification_code": validation.non_empty(verification_code, "verification_code"),
            "rc_token": validation.optional_text(rc_token, "rc_token"),
            "safety_net_nonce": validation.optional_text(safety_net_nonce, "safety_net_nonce"),
            "safety_net_response": validation.optional_text(
                safety_net_response, "safety_net_response"
            ),
            "device_token": validation.optional_text(device_token, "device_token"),
        }
        fields = self.identity.login_fields
        for name, value in values.items():
            if value is not None and name not in fields:
                platform = self.identity.platform.value
                raise InvalidArgumentError(name, f"the {platform} app's login does not send it")
        body = {name: values[name] for name in fields}
        result = await self._call("complete_phone_number_auth", LoginResult, body=body)
        if result.user_id is None or not (result.auth_token or result.access_token):
            remaining = result.number_of_attempts_remaining
            message = result.error_message or "the verification code was not accepted"
            if remaining is not None:
                message += f" ({remaining} attempts remaining)"
            public = {k: v for k, v in result.raw.items() if k.lower() not in SECRET_KEYS}
            raise AuthenticationError(
                message, endpoint="complete_phone_number_auth", status=200, body=public
            )
        self._adopt_login(
            user_id=result.user_id,
            auth_token=result.auth_token,
            access_token=result.access_token,
            refresh_token=result.refresh_token,
        )
        return result

    # -- tokens and session ------------------------------------------------------------
    async def refresh_token(self, refresh: str | None = None) -> TokenPair:
        """Trade a refresh token (default: ours) for a new JWT pair, and use it."""
        token = refresh if refresh is not None else self.credentials.refresh_token
        token = validation.non_empty(token, "refresh")
        result = await self._call("refresh_token", TokenPair, body={"refresh": token})
        self._adopt_login(
            user_id=self.credentials.user_id,
            auth_token=self.credentials.auth_token,
            access_token=result.access,
            refresh_token=result.refresh or token,
        )
        return result

    async def logout(self) -> SuccessResponse:
        """End this login on the service and forget its tokens (the device id stays)."""
        result = await self._call("logout", SuccessResponse, body={})
        self._adopt_login(
            user_id=self.credentials.user_id, auth_token=None, access_token=None, refresh_token=None
        )
        return result

    async def deactivate_account(self) -> SuccessResponse:
        """Deactivate the logged-in account."""
        return await self._call("deactivate_account", SuccessResponse)

    async def check_for_update(self, *, is_testflight: bool = False) -> UpdateCheck:
        """Whether a newer app build exists (and whether it is mandatory).

        The iOS identity asks ``?is_testflight=0`` (or 1), as the iOS clients do; the
        Android app asks with no parameter, and TestFlight builds exist only on iOS.
        """
        testflight = validation.boolean(is_testflight, "is_testflight")
        if not self.identity.asks_testflight:
            if testflight:
                raise InvalidArgumentError("is_testflight", "TestFlight builds exist only on iOS")
            return await self._call("check_for_update", UpdateCheck)
        return await self._call(
            "check_for_update", UpdateCheck, body={"is_testflight": int(testflight)}
        )

    async def check_waitlist_status(self) -> WaitlistStatus:
        """Whether the account is still waitlisted or onboarding (a GET, as the app sends it)."""
        return await self._call("check_waitlist_status", WaitlistStatus)

    async def me(
        self,
        *,
        return_blocked_ids: bool = False,
        timezone_identifier: str = "UTC",
        return_following_ids: bool = False,
    ) -> MeResult:
        """The logged-in user, unread counts and, on request, followed and blocked ids."""
        body = {
            "return_blocked_ids": validation.boolean(return_blocked_ids, "return_blocked_ids"),
            "timezone_identifier": validation.non_empty(timezone_identifier, "timezone_identifier"),
            "return_following_ids": validation.boolean(
                return_following_ids, "return_following_ids"
            ),
        }
        return await self._call("me", MeResult, body=body)

    async def get_release_notes(
        self, *, previous_build: int | None = None, current_build: int | None = None
    ) -> ReleaseNotes:
        """The "what's new" card to show after an app update."""
        if previous_build is None and current_build is None:
            return await self._call("get_release_notes", ReleaseNotes)
        body = {
            "previous_build": validation.optional_id(previous_build, "previous_build"),
            "current_build": validation.optional_id(current_build, "current_build"),
        }
        return await self._call("get_release_notes", ReleaseNotes, body=body)

    # -- profile -------------------------------------------------------------------------
    async def add_email(self, email: str) -> SuccessResponse:
        """Attach an email address to the account."""
        address = validation.non_empty(email, "email")
        if "@" not in address:
            raise InvalidArgumentError("email", "must be an email address")
        return await self._call("add_email", SuccessResponse, body={"email": address})

    async def update_photo(self, photo: Photo) -> PhotoResult:
        """Upload a new profile picture (JPEG bytes, or a path to a JPEG file)."""
        content = await read_photo(photo)
        form = multipart_form({}, jpeg_part(content))
        return await self._call("update_photo", PhotoResult, form=form)

    async def update_name(self, name: str) -> SuccessResponse:
        """Change the account's full name."""
        body = {"name": validation.non_empty(name, "name")}
        return await self._call("update_name", SuccessResponse, body=body)

    async def update_displayname(self, name: str) -> SuccessResponse:
        """Change the account's display name.

        Unverified (``ENDPOINTS["update_displayname"].evidence`` is ``none``): no known
        client posts to this path. The apps ship a ``{name}`` model for it that no route
        uses, and clubhouse-py's method of this name posts to ``update_name``.
        """
        body = {"name": validation.non_empty(name, "name")}
        return await self._call("update_displayname", SuccessResponse, body=body)

    async def update_username(
        self,
        username: str,
        *,
        twitter_token: str | None = None,
        twitter_secret: str | None = None,
    ) -> SuccessResponse:
        """Change the @username (Twitter credentials may vouch for a matching handle)."""
        body: dict[str, Any] = {"username": validation.non_empty(username, "username")}
        if twitter_token is not None or twitter_secret is not None:
            body["twitter_token"] = validation.optional_text(twitter_token, "twitter_token")
            body["twitter_secret"] = validation.optional_text(twitter_secret, "twitter_secret")
        return await self._call("update_username", SuccessResponse, body=body)

    async def update_twitter_username(
        self, username: str, *, twitter_token: str, twitter_secret: str
    ) -> SuccessResponse:
        """Link a Twitter account to the profile."""
        body = {
            "username": validation.non_empty(username, "username"),
            "twitter_token": validation.non_empty(twitter_token, "twitter_token"),
            "twitter_secret": validation.non_empty(twitter_secret, "twitter_secret"),
        }
        return await self._call("update_twitter_username", SuccessResponse, body=body)

    async def update_instagram_username(self, code: str) -> SuccessResponse:
        """Link an Instagram account, given the OAuth code from Instagram's callback."""
        body = {"code": validation.non_empty(code, "code")}
        return await self._call("update_instagram_username", SuccessResponse, body=body)

    async def update_bio(self, bio: str) -> SuccessResponse:
        """Replace the profile bio (an empty string clears it)."""
        return await self._call(
            "update_bio", SuccessResponse, body={"bio": validation.text(bio, "bio")}
        )

    async def update_skintone(self, skintone: int = 1) -> SuccessResponse:
        """Set the emoji skin tone, 1 (lightest) to 5 (darkest)."""
        body = {"skintone": validation.in_range(skintone, "skintone", 1, 5)}
        return await self._call("update_skintone", SuccessResponse, body=body)

    # -- settings ------------------------------------------------------------------------
    async def update_notifications(
        self,
        *,
        enable_trending: int = UNSET,
        pause_till: int = UNSET,
        frequency: int = UNSET,
        system_enabled: int = 2,
        is_sandbox: bool = False,
        apn_token: str | None = None,
        fcm_token: str | None = None,
    ) -> SuccessResponse:
        """Change push-notification settings; -1 leaves a setting as it is.

        The push token is the platform's: ``is_sandbox`` and ``apn_token`` (APNs) with
        the iOS identity, ``fcm_token`` (Firebase) with the Android one; giving the other
        platform's raises :class:`InvalidArgumentError`.
        """
        sandbox = validation.boolean(is_sandbox, "is_sandbox")
        apn = validation.optional_text(apn_token, "apn_token")
        fcm = validation.optional_text(fcm_token, "fcm_token")
        tokens: dict[str, Any]
        if self.identity.platform is Platform.ANDROID:
            if sandbox or apn is not None:
                field = "apn_token" if apn is not None else "is_sandbox"
                raise InvalidArgumentError(
                    field, "APNs is iOS only; the Android app sends fcm_token"
                )
            tokens = {"fcm_token": fcm}
        else:
            if fcm is not None:
                raise InvalidArgumentError("fcm_token", "the iOS app sends apn_token instead")
            tokens = {"is_sandbox": sandbox, "apn_token": apn}
        body = {
            "enable_trending": validation.one_of(
                enable_trending, "enable_trending", ENABLE_SETTINGS
            ),
            "pause_till": validation.one_of(pause_till, "pause_till", LEVEL_SETTINGS),
            **tokens,
            "system_enabled": validation.one_of(system_enabled, "system_enabled", ENABLE_SETTINGS),
            "frequency": validation.one_of(frequency, "frequency", LEVEL_SETTINGS),
        }
        return await self._call("update_notifications", SuccessResponse, body=body)

    async def get_settings(self) -> NotificationSettings:
        """The account's notification settings."""
        return await self._call("get_settings", NotificationSettings)

    async def update_follow_notifications(
        self, user_id: int, *, notification_type: int = 2
    ) -> SuccessResponse:
        """How often to be told when ``user_id`` speaks: 1 always, 2 sometimes, 3 never."""
        body = {
            "user_id": validation.positive_id(user_id, "user_id"),
            "notification_type": validation.in_range(notification_type, "notification_type", 1, 3),
        }
        return await self._call("update_follow_notifications", SuccessResponse, body=body)

    async def add_user_topic(self, topic_id: int, *, club_id: int | None = None) -> SuccessResponse:
        """Add a topic to the account's (or, with ``club_id``, a club's) interests."""
        body = {
            "club_id": validation.optional_id(club_id, "club_id"),
            "topic_id": validation.positive_id(topic_id, "topic_id"),
        }
        return await self._call("add_user_topic", SuccessResponse, body=body)

    async def remove_user_topic(
        self, topic_id: int, *, club_id: int | None = None
    ) -> SuccessResponse:
        """Remove a topic from the account's (or a club's) interests."""
        body = {
            "club_id": validation.optional_id(club_id, "club_id"),
            "topic_id": validation.positive_id(topic_id, "topic_id"),
        }
        return await self._call("remove_user_topic", SuccessResponse, body=body)

    # -- telemetry and reports ---------------------------------------------------------
    async def record_action_trails(
        self,
        *,
        trail_type: str = "app_opened",
        blob_data: Mapping[str, Any] | None = None,
        client_time_created: int | None = None,
    ) -> SuccessResponse:
        """Report one app analytics event, as the apps do when opened."""
        created = int(time.time()) if client_time_created is None else client_time_created
        if blob_data is not None and not isinstance(blob_data, Mapping):
            raise InvalidArgumentError("blob_data", "must be a mapping (a JSON object) or None")
        trail = {
            "blob_data": dict(blob_data or {}),
            "trail_type": validation.non_empty(trail_type, "trail_type"),
            "client_time_created": validation.integer(created, "client_time_created"),
        }
        return await self._call(
            "record_action_trails", SuccessResponse, body={"action_trails": [trail]}
        )

    async def report_incident(
        self,
        user_id: int,
        *,
        incident_type: ReportReason | str,
        email: str | None = None,
        channel: str | None = None,
        incident_description: str | None = None,
        attachment: Upload | None = None,
        attachment_type: str | None = None,
    ) -> SuccessResponse:
        """Report a user (optionally in a room) to the service's trust and safety team.

        Sent as the Android app sends it: a multipart form of ``user_id``,
        ``incident_type`` (a :class:`ReportReason`, or the wire string of a reason
        newer than this SDK), ``email`` (empty when not given), then ``channel`` and
        ``incident_description`` only when given, then the ``attachment`` (bytes, a path
        or a binary file) as ``attachment.jpg`` with its own content type, which
        ``attachment_type`` overrides.
        """
        fields = {
            "user_id": str(validation.positive_id(user_id, "user_id")),
            "incident_type": _report_reason(incident_type),
            "email": _optional_email(email),
        }
        if channel is not None:
            fields["channel"] = validation.channel(channel)
        if incident_description is not None:
            fields["incident_description"] = validation.text(
                incident_description, "incident_description"
            )
        files = []
        if attachment is not None:
            content = await read_upload(attachment, "attachment")
            if attachment_type is None:
                content_type = guess_content_type(attachment, content)
            else:
                content_type = validation.non_empty(attachment_type, "attachment_type")
            files.append(
                FilePart(
                    name="attachment",
                    filename="attachment.jpg",
                    content=content,
                    content_type=content_type,
                )
            )
        form = multipart_form(fields, *files)
        return await self._call("report_incident", SuccessResponse, form=form)


def _report_reason(reason: object) -> str:
    """The wire string of a reason: a :class:`ReportReason` or a newer reason's string."""
    if not isinstance(reason, str):  # a ReportReason is a str too
        raise InvalidArgumentError(
            "incident_type", "must be a ReportReason or a reason's wire string, not a number"
        )
    value = str(reason)  # a ReportReason's str() is its wire string
    if not value.strip():
        raise InvalidArgumentError("incident_type", "pick a reason (BLANK is not one)")
    return value


def _optional_email(email: str | None) -> str:
    """The form's email: empty when not given, else an address."""
    if email is None:
        return ""
    address = validation.text(email, "email").strip()
    if address and "@" not in address:
        raise InvalidArgumentError("email", "must be an email address")
    return address
