"""What the emulated Clarity service stores, and how each record looks on the wire.

Renderings carry every field of the API document's examples, with the same names and
types, quirks included: a full member profile gives ``hourly_rate`` as a string
("0.0") while every short form gives a number, and the call lists spell a finished
call ``completed`` where ``GET /v1/calls/:id`` says ``call_completed``. A field the
member has no value for (no charity, no Facebook profile) is sent as ``null``.

One deviation, on by default: needs and organizations carry an ``id``, which the
document's examples do not show but ``POST /v1/needs/:id/fulfill`` and
``GET /v1/organizations/:id`` need (``with_id=False`` renders the documented shape).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

Json = dict[str, Any]

COMPLETED = "call_completed"
CANCELED = "canceled"
PENDING = "pending"
FINISHED = frozenset({COMPLETED, CANCELED})
CALL_FLOW = ("dialing_seeker", "seeker_answered", "dialing_expert", "expert_answered", COMPLETED)
"""The states a connected call goes through, one after the other."""
LOGOS = "https://s3.amazonaws.com/clarityfm-production/networks/logos"


def stamp(moment: dt.datetime) -> str:
    """The API's timestamp format: UTC, whole seconds, a ``Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@attrs.define(kw_only=True)
class MemberRecord:
    id: int
    screen_name: str
    first_name: str
    last_name: str
    bio: str = ""
    expertise_body: str = ""
    location: str = ""
    hourly_rate: float = 0.0
    twitter: str | None = None
    email: str | None = None
    gender: str | None = None
    timezone: str = "Atlantic Time (Canada)"
    timezone_label: str = "ADT"
    timezone_offset: float = -3.0
    total_calls: int = 0
    amount_generated_for_charity: float = 0.0
    charity_name: str | None = None
    charity_url: str | None = None
    charity_logo: str | None = None
    facebook_profile_url: str | None = None
    linkedin_profile_url: str | None = None
    created_at: dt.datetime = attrs.field(factory=now)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def clarity_url(self) -> str:
        return f"http://clarity.fm/{self.screen_name}"

    @property
    def image_url(self) -> str:
        return (
            "http://s3.amazonaws.com/clarityfm-staging/users/pictures/"
            f"{self.id}/profile_square/picture"
        )

    def searchable(self) -> str:
        return " ".join(
            (self.screen_name, self.name, self.bio, self.expertise_body, self.location)
        ).lower()

    def short(self) -> Json:
        """The short form used inside organizations, messages and search results."""
        return {
            "bio": self.bio,
            "clarity_url": self.clarity_url,
            "first_name": self.first_name,
            "hourly_rate": self.hourly_rate,
            "id": self.id,
            "image_url": self.image_url,
            "last_name": self.last_name,
            "location": self.location,
            "name": self.name,
            "screen_name": self.screen_name,
        }

    def profile(self) -> Json:
        """The full profile of ``/v1/me`` and ``/v1/members`` (rate as a string, as documented)."""
        twitter = self.twitter is not None
        return {
            "amount_generated_for_charity": self.amount_generated_for_charity,
            "average_call_duration": 750 if self.total_calls else 0,
            "average_response_time": 89544,
            "bio": self.bio,
            "charity_logo": self.charity_logo,
            "charity_name": self.charity_name,
            "charity_url": self.charity_url,
            "clarity_url": self.clarity_url,
            "created_at": stamp(self.created_at),
            "expertise_body": self.expertise_body,
            "facebook_profile_url": self.facebook_profile_url,
            "first_name": self.first_name,
            "gender": self.gender,
            "hourly_rate": f"{self.hourly_rate:.1f}",
            "id": self.id,
            "image_url": self.image_url,
            "last_active_at": stamp(now()),
            "last_name": self.last_name,
            "linkedin_profile_url": self.linkedin_profile_url,
            "location": self.location,
            "profile_page_views_count": 10 * self.id,
            "public_social_connections": {
                "facebook": self.facebook_profile_url is not None,
                "linkedin": self.linkedin_profile_url is not None,
                "twitter": twitter,
            },
            "screen_name": self.screen_name,
            "timezone": self.timezone,
            "timezone_label": self.timezone_label,
            "timezone_offset": self.timezone_offset,
            "total_calls": self.total_calls,
            "twitter_profile_url": f"http://twitter.com/{self.twitter}" if twitter else None,
            "updated_at": stamp(self.created_at),
            "verified_phone_number": True,
        }


@attrs.define(kw_only=True)
class CallRecord:
    id: int
    seeker_id: int
    expert_id: int
    reason: str
    hourly_rate: float
    status: str = PENDING
    duration: int | None = None
    canceled_by: int | None = None
    created_at: dt.datetime = attrs.field(factory=now)
    updated_at: dt.datetime = attrs.field(factory=now)
    expires_at: dt.datetime = attrs.field(factory=now)
    upcoming: list[str] = attrs.field(factory=list)
    """States still to come, in order; the next is taken once the current one was read enough."""
    views: int = 0
    """How many times the current state has been read."""

    def involves(self, member_id: int) -> bool:
        return member_id in (self.seeker_id, self.expert_id)

    def to_json(self, *, include_status: bool = True, in_list: bool = False) -> Json:
        body: Json = {
            "created_at": stamp(self.created_at),
            "canceled_by": self.canceled_by,
            "duration": self.duration,
            "expert_id": self.expert_id,
            "expires_at": stamp(self.expires_at),
            "hourly_rate": self.hourly_rate,
            "id": self.id,
            "reason": self.reason,
            "seeker_id": self.seeker_id,
            "updated_at": stamp(self.updated_at),
        }
        if include_status:
            body["status"] = "completed" if in_list and self.status == COMPLETED else self.status
        return body


@attrs.define(kw_only=True)
class NeedRecord:
    id: int
    requester_id: int
    description: str
    paid: bool
    created_at: dt.datetime = attrs.field(factory=now)

    def to_json(self, *, with_id: bool = True) -> Json:
        """The documented need, plus its ``id`` unless ``with_id`` is off."""
        body: Json = {"id": self.id} if with_id else {}
        body.update(
            {
                "created_at": stamp(self.created_at),
                "description": self.description,
                "paid": self.paid,
                "requester_id": self.requester_id,
            }
        )
        return body


@attrs.define(kw_only=True)
class OrganizationRecord:
    id: int
    name: str
    description: str
    slug: str
    member_ids: list[int]
    featured: bool = False
    free_calls: bool = False

    def summary(self, *, with_id: bool = True) -> Json:
        """The list entry, plus its ``id`` unless ``with_id`` is off."""
        body: Json = {"id": self.id} if with_id else {}
        body.update(
            {
                "name": self.name,
                "description": self.description,
                "featured": self.featured,
                "free_calls": self.free_calls,
                "clarity_url": f"http://clarity.fm/{self.slug}",
                "image_url": f"{LOGOS}/{self.id}/list_square/logo.png",
                "member_ids": list(self.member_ids),
            }
        )
        return body


@attrs.define(kw_only=True)
class MessageRecord:
    sender_id: int
    recipient_id: int
    text: str
    read: bool = False
    created_at: dt.datetime = attrs.field(factory=now)

    def between(self, one: int, other: int) -> bool:
        return {self.sender_id, self.recipient_id} == {one, other}

    def to_json(self) -> Json:
        return {
            "created_at": stamp(self.created_at),
            "read": self.read,
            "message": self.text,
            "member_id": self.sender_id,
        }
