"""Accounts: creating users, the phone-number login, sessions and tokens, profile edits.

A login opens a `Session` holding three credentials, as the service hands out:
an opaque ``auth_token`` (``Authorization: Token ...``) and a pair of JWTs shaped like
django-rest-framework-simplejwt's, ``access`` (short-lived, ``Bearer``) and
``refresh`` (rotated on every use, the old one stops working).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import uuid

from aioclubhouse.emulator.actions import Audience, pubnub_channel
from aioclubhouse.emulator.base import WorldPart
from aioclubhouse.emulator.errors import THROTTLED, WorldError
from aioclubhouse.emulator.models import PhoneVerification, Session, TokenGrant, User

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
USERNAME = re.compile(r"^[A-Za-z0-9_]{2,16}$")
REFRESH_TOKEN_TTL = 30 * 24 * 3600.0
NEW_USER_INVITES = 2
PHOTO_BASE = "https://clubhouseprod.s3.amazonaws.com:443"
MAX_NAME = 50
MAX_BIO = 1000


class Accounts(WorldPart):
    """Users and the credentials that let them in."""

    def reindex(self) -> None:
        self._by_username: dict[str, int] = {}
        self._by_phone: dict[str, int] = {}
        for user in self.state.users.values():
            self._index(user)

    def _index(self, user: User) -> None:
        if user.username:
            self._by_username[user.username.lower()] = user.user_id
        if user.phone_number:
            self._by_phone[user.phone_number] = user.user_id

    def by_username(self, username: str) -> User | None:
        user_id = self._by_username.get(username.lower().lstrip("@"))
        return None if user_id is None else self.state.users.get(user_id)

    def by_phone(self, phone_number: str) -> User | None:
        user_id = self._by_phone.get(phone_number)
        return None if user_id is None else self.state.users.get(user_id)

    # -- users -----------------------------------------------------------------------------

    def free_username(self, name: str) -> str:
        """An unused username made from a display name ("Ada Lovelace" -> "adalovelace")."""
        base = re.sub(r"[^a-z0-9_]", "", name.lower())[:12] or "user"
        base = base if len(base) >= 2 else f"{base}_"
        candidate, number = base, 1
        while self.by_username(candidate) is not None:
            number += 1
            candidate = f"{base}{number}"
        return candidate

    def create_user(
        self,
        *,
        name: str | None,
        username: str | None = None,
        phone_number: str | None = None,
        simulated: bool = False,
        waitlisted: bool = False,
        onboarding: bool = False,
        time_created: float | None = None,
    ) -> User:
        """A new account; names and phone numbers must not be taken."""
        if username is not None and not USERNAME.match(username):
            raise WorldError("This username is not allowed. Please try another one.")
        if username is not None and self.by_username(username) is not None:
            raise WorldError("This username has already been taken by a different user.")
        if phone_number is not None and self.by_phone(phone_number) is not None:
            raise WorldError("This phone number already has an account.")
        user = User(
            user_id=self.state.new_id("user", start=1000),
            name=name,
            username=username,
            phone_number=phone_number,
            time_created=self.world.now() if time_created is None else time_created,
            is_simulated=simulated,
            is_waitlisted=waitlisted,
            is_onboarding=onboarding,
            num_invites=NEW_USER_INVITES,
        )
        self.state.users[user.user_id] = user
        self._index(user)
        return user

    def new_photo_url(self, user_id: int, *, prefix: str = "") -> str:
        """A photo address in the service's S3 style, unique per upload."""
        guid = uuid.UUID(int=self.world.rng.getrandbits(128), version=4)
        return f"{PHOTO_BASE}/{prefix}{user_id}_{guid}"

    # -- sessions and tokens ---------------------------------------------------------------

    def open_session(self, user: User, *, device_id: str | None = None) -> Session:
        """Log `user` in: new tokens, and the auth token may read ``users.<uid>`` on PubNub."""
        auth_token = secrets.token_hex(20)
        session = Session(
            auth_token=auth_token,
            user_id=user.user_id,
            access_token=self._issue_jwt(user.user_id, auth_token, "access"),
            refresh_token=self._issue_jwt(user.user_id, auth_token, "refresh"),
            device_id=device_id,
            time_created=self.world.now(),
        )
        self.state.sessions[auth_token] = session
        channel = pubnub_channel(Audience.USER, channel=None, user_id=user.user_id)
        self.world.hub.grant(auth_token, user.user_id, [channel])
        return session

    def _issue_jwt(self, user_id: int, auth_token: str, kind: str) -> str:
        ttl = self.world.config.access_token_ttl if kind == "access" else REFRESH_TOKEN_TTL
        expires_at = self.world.now() + ttl
        claims = {
            "token_type": kind,
            "exp": int(expires_at),
            "jti": secrets.token_hex(16),
            "user_id": user_id,
        }
        token = _sign_jwt(claims, self.state.secret)
        grant = TokenGrant(user_id=user_id, auth_token=auth_token, expires_at=expires_at)
        registry = self.state.access_tokens if kind == "access" else self.state.refresh_tokens
        registry[token] = grant
        return token

    def session(self, auth_token: str) -> Session | None:
        return self.state.sessions.get(auth_token)

    def access_grant(self, access_token: str) -> TokenGrant | None:
        """Who an access token belongs to (expired ones included: the caller checks)."""
        grant = self.state.access_tokens.get(access_token)
        if grant is None or grant.auth_token not in self.state.sessions:
            return None
        return grant

    def owner_of(self, authorization: str) -> int | None:
        """The user an ``Authorization`` header value names (``Token`` or ``Bearer``), even
        an expired access token's; None for anything else."""
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() == "token":
            session = self.session(token)
            return session.user_id if session else None
        if scheme.lower() == "bearer":
            grant = self.access_grant(token)
            return grant.user_id if grant else None
        return None

    def refresh(self, refresh_token: str) -> tuple[str, str] | None:
        """Trade a refresh token for ``(access, refresh)``; None if it is bad or expired."""
        grant = self.state.refresh_tokens.pop(refresh_token, None)
        if grant is None or grant.expires_at <= self.world.now():
            return None
        session = self.state.sessions.get(grant.auth_token)
        if session is None:
            return None
        session.access_token = self._issue_jwt(grant.user_id, grant.auth_token, "access")
        session.refresh_token = self._issue_jwt(grant.user_id, grant.auth_token, "refresh")
        return session.access_token, session.refresh_token

    def logout(self, session: Session) -> None:
        """End one session: its tokens stop working at once."""
        self.state.sessions.pop(session.auth_token, None)
        for registry in (self.state.access_tokens, self.state.refresh_tokens):
            for token in [t for t, g in registry.items() if g.auth_token == session.auth_token]:
                del registry[token]
        self.world.hub.revoke(session.auth_token)

    def forget_expired_tokens(self, now: float) -> None:
        for registry in (self.state.access_tokens, self.state.refresh_tokens):
            expired = [token for token, grant in registry.items() if grant.expires_at < now]
            for token in expired:
                del registry[token]

    def deactivate(self, user: User) -> None:
        """Close the account: leave any room, log out everywhere."""
        self.world.rooms.leave_current(user.user_id)
        for session in [s for s in self.state.sessions.values() if s.user_id == user.user_id]:
            self.logout(session)
        user.is_deactivated = True

    # -- phone-number login ----------------------------------------------------------------

    def _verification(self, phone_number: str) -> PhoneVerification:
        if not E164.match(phone_number):
            raise WorldError(
                "Please enter a valid phone number with its country code, e.g. +14155550123."
            )
        verification = self.state.phone_verifications.get(phone_number)
        if verification is None:
            verification = PhoneVerification(phone_number=phone_number)
            self.state.phone_verifications[phone_number] = verification
        return verification

    def send_code(self, phone_number: str) -> int:
        """Send (or resend, or call with) a code; return the requests left before throttling."""
        verification = self._verification(phone_number)
        limit = self.world.config.max_auth_attempts
        if verification.codes_requested >= limit:
            raise WorldError(THROTTLED, status=200, extra={"is_blocked": False})
        verification.codes_requested += 1
        verification.pending = True
        return limit - verification.codes_requested

    def complete_phone_auth(
        self, phone_number: str, code: str, *, device_id: str | None
    ) -> tuple[User, Session, bool]:
        """Check the code; return the user (created on first login), a session, and
        whether the account is new."""
        verification = self._verification(phone_number)
        if not verification.pending:
            raise WorldError(
                "Please request a verification code first.",
                status=200,
                extra={"is_verified": False},
            )
        if code != self.world.config.verification_code:
            verification.failed_codes += 1
            remaining = self.world.config.max_auth_attempts - verification.failed_codes
            if remaining <= 0:
                verification.pending = False
                raise WorldError(THROTTLED, status=200, extra={"is_verified": False})
            raise WorldError(
                "The code you entered is incorrect. Please try again.",
                status=200,
                extra={"is_verified": False, "number_of_attempts_remaining": remaining},
            )
        del self.state.phone_verifications[phone_number]
        user = self.by_phone(phone_number)
        is_new = user is None
        if user is None:
            invited_by = self.state.app_invites.pop(phone_number, None)
            user = self.create_user(
                name=None,
                phone_number=phone_number,
                waitlisted=self.world.config.new_users_waitlisted and invited_by is None,
                onboarding=True,
            )
            user.invited_by = invited_by
        user.is_deactivated = False
        return user, self.open_session(user, device_id=device_id), is_new

    # -- profile edits ---------------------------------------------------------------------

    def update_name(self, user: User, name: str) -> None:
        name = name.strip()
        if not name or len(name) > MAX_NAME:
            raise WorldError("Please enter your full name.")
        user.name = name
        self._maybe_finish_onboarding(user)

    def update_displayname(self, user: User, name: str) -> None:
        name = name.strip()
        if len(name) > MAX_NAME:
            raise WorldError("That display name is too long.")
        user.displayname = name or None

    def update_username(self, user: User, username: str) -> None:
        username = username.strip().lstrip("@")
        if not USERNAME.match(username):
            raise WorldError("This username is not allowed. Please try another one.")
        owner = self.by_username(username)
        if owner is not None and owner.user_id != user.user_id:
            raise WorldError("This username has already been taken by a different user.")
        if user.username:
            self._by_username.pop(user.username.lower(), None)
        user.username = username
        self._index(user)
        self._maybe_finish_onboarding(user)

    def _maybe_finish_onboarding(self, user: User) -> None:
        if user.name and user.username:
            user.is_onboarding = False

    def update_bio(self, user: User, bio: str) -> None:
        if len(bio) > MAX_BIO:
            raise WorldError(f"Your bio can be at most {MAX_BIO} characters long.")
        user.bio = bio

    def update_skintone(self, user: User, skintone: int) -> None:
        if not 1 <= skintone <= 5:
            raise WorldError("skintone must be between 1 and 5")
        user.skintone = skintone

    def add_email(self, user: User, email: str) -> None:
        if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
            raise WorldError("Please enter a valid email address.")
        user.email = email
        user.has_verified_email = False

    def update_photo(self, user: User, photo: bytes) -> str:
        if not photo:
            raise WorldError("Please choose a photo to upload.")
        user.photo_url = self.new_photo_url(user.user_id)
        return user.photo_url

    def update_notifications(
        self,
        user: User,
        *,
        enable_trending: int | None,
        frequency: int | None,
        pause_till: int | None,
    ) -> None:
        """Apply the notification settings; -1 (or nothing) means "leave as it is"."""
        if enable_trending is not None and enable_trending != -1:
            user.notifications_enable_trending = enable_trending == 1
        if frequency is not None and frequency != -1:
            if not 1 <= frequency <= 5:
                raise WorldError("frequency must be between 1 and 5")
            user.notifications_frequency = frequency
        if pause_till is not None and pause_till != -1:
            hours = {1: 1, 2: 8, 3: 24, 4: 24 * 7}.get(pause_till)
            user.notifications_paused_until = (
                None if hours is None else self.world.now() + hours * 3600
            )

    def notifications_paused(self, user: User) -> bool:
        until = user.notifications_paused_until
        return until is not None and until > self.world.now()

    def set_topic(self, user: User, topic_id: int, *, add: bool) -> None:
        self.world.social.topic(topic_id)
        if add and topic_id not in user.topic_ids:
            user.topic_ids.append(topic_id)
        if not add and topic_id in user.topic_ids:
            user.topic_ids.remove(topic_id)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _sign_jwt(claims: dict[str, object], secret: str) -> str:
    """An HS256 JWT, so clients that peek at ``exp`` find what they expect."""
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"
