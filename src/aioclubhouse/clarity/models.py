"""What the Clarity API returns: members, calls, needs, organizations and messages.

Decoding is deliberately forgiving, because the API's own examples disagree with each
other: ``hourly_rate`` is a string in one place and a number elsewhere, a call may come
without a ``status``, and call states "may be added and removed". An unknown state
decodes to :attr:`CallStatus.UNKNOWN` (the service's own word stays in ``raw_status``)
instead of failing the whole response.

A flag or a count the service leaves out is ``None``, not ``False`` or ``0``: the
document promises no field ("response parameters may yet be renamed, added or
removed"), and "not sent" must stay distinguishable from a real false.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Any, NewType

import attrs

from ..coerce import wire_int
from ..models.base import Model
from ..models.converter import converter

__all__ = [
    "TERMINAL_STATUSES",
    "Amount",
    "Call",
    "CallStatus",
    "Conversation",
    "Member",
    "Message",
    "MessageThread",
    "Need",
    "Organization",
    "SearchResults",
]

_LOGO_ID = re.compile(r"/networks/logos/([0-9]{1,19})/")

Amount = NewType("Amount", float)
"""A money figure that the service sends either as a number or as a decimal string."""


def _structure_amount(value: Any, _: type) -> float:
    if isinstance(value, bool):
        raise ValueError(f"not an amount: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().lstrip("$").replace(",", "")
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"not an amount: {value!r}") from None
    raise ValueError(f"not an amount: {value!r}")


class CallStatus(enum.StrEnum):
    """Where a call is in its life.

    The first nine are the documented "stable subset"; ``COMPLETED`` is the spelling
    the call lists use. Anything else the service sends is ``UNKNOWN``.
    """

    PENDING = "pending"
    DIALING_SEEKER = "dialing_seeker"
    SEEKER_ANSWERED = "seeker_answered"
    DIALING_EXPERT = "dialing_expert"
    EXPERT_ANSWERED = "expert_answered"
    SEEKER_UNAVAILABLE = "seeker_unavailable"
    EXPERT_UNAVAILABLE = "expert_unavailable"
    CALL_COMPLETED = "call_completed"
    COMPLETED = "completed"
    CANCELED = "canceled"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: Any) -> CallStatus:
        """The member for ``value``; ``UNKNOWN`` for any state this SDK does not know."""
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                return cls.UNKNOWN
        return cls.UNKNOWN

    @property
    def is_terminal(self) -> bool:
        """Whether a call in this state is over for good (completed or canceled)."""
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset(
    {CallStatus.CALL_COMPLETED, CallStatus.COMPLETED, CallStatus.CANCELED}
)

converter.register_structure_hook(Amount, _structure_amount)
converter.register_structure_hook(CallStatus, lambda value, _: CallStatus.parse(value))


@attrs.define(kw_only=True)
class Member(Model):
    """A Clarity member: the full profile (``/me``, ``/members``) or the short form.

    Older payloads name the screen name ``nickname``; it is copied to
    ``screen_name`` when that is missing, and ``name`` is built from the first and
    last names when the service does not send it.
    """

    id: int | None = None
    screen_name: str | None = None
    nickname: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    bio: str | None = None
    expertise_body: str | None = None
    location: str | None = None
    gender: str | None = None
    hourly_rate: Amount | None = None
    clarity_url: str | None = None
    image_url: str | None = None
    facebook_profile_url: str | None = None
    linkedin_profile_url: str | None = None
    twitter_profile_url: str | None = None
    public_social_connections: dict[str, bool] = attrs.field(factory=dict)
    verified_phone_number: bool | None = None
    timezone: str | None = None
    timezone_label: str | None = None
    timezone_offset: Amount | None = None
    total_calls: int | None = None
    average_call_duration: int | None = None
    average_response_time: int | None = None
    profile_page_views_count: int | None = None
    amount_generated_for_charity: Amount | None = None
    charity_name: str | None = None
    charity_url: str | None = None
    charity_logo: str | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    last_active_at: dt.datetime | None = None

    def __attrs_post_init__(self) -> None:
        if self.screen_name is None and self.nickname:
            self.screen_name = self.nickname
        if self.name is None:
            parts = [part for part in (self.first_name, self.last_name) if part]
            self.name = " ".join(parts) or None


@attrs.define(kw_only=True)
class Call(Model):
    """A call request between a seeker and an expert, and its progress."""

    id: int
    seeker_id: int | None = None
    expert_id: int | None = None
    status: CallStatus | None = None
    reason: str | None = None
    hourly_rate: Amount | None = None
    duration: int | None = None
    canceled_by: int | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None

    @property
    def raw_status(self) -> str | None:
        """The state exactly as the service wrote it (useful when ``status`` is UNKNOWN)."""
        value = self.raw.get("status")
        return value if isinstance(value, str) else None

    @property
    def is_terminal(self) -> bool:
        return self.status is not None and self.status.is_terminal


@attrs.define(kw_only=True)
class Need(Model):
    """A need posted to the requester's organizations.

    The document's examples of a need carry no ``id``, yet :meth:`~.ClaritySession.fulfill_need`
    takes one: ``id`` is whatever the service sends (the emulator sends one, as a
    declared deviation), and ``None`` when it sends none, in which case the API offers
    no way to learn it. ``paid`` is ``None`` when the service does not say.
    """

    id: int | None = None
    requester_id: int | None = None
    description: str = ""
    paid: bool | None = None
    created_at: dt.datetime | None = None


@attrs.define(kw_only=True)
class Organization(Model):
    """An organization: the list gives ``member_ids``, a single fetch gives ``members``.

    The document's examples carry no ``id``; :attr:`resolved_id` finds the one
    :meth:`~.ClaritySession.get_organization` needs. ``featured`` and ``free_calls`` are
    ``None`` when the service does not send them.
    """

    id: int | None = None
    name: str = ""
    description: str | None = None
    featured: bool | None = None
    free_calls: bool | None = None
    clarity_url: str | None = None
    image_url: str | None = None
    member_ids: list[int] = attrs.field(factory=list)
    members: list[Member] = attrs.field(factory=list)

    @property
    def resolved_id(self) -> int | None:
        """The id to pass to ``get_organization``: ``id`` if sent, else the logo's.

        The service stores logos under the organization's id
        (``.../networks/logos/17/list_square/logo.png``), just as member pictures sit
        under the member's id (``.../users/pictures/7/...``), so the number after
        ``networks/logos/`` is the organization's id. ``None`` when neither is there
        (an organization without a logo).
        """
        if self.id is not None:
            return self.id
        found = _LOGO_ID.search(self.image_url or "")
        return wire_int(found.group(1)) if found else None


@attrs.define(kw_only=True)
class Message(Model):
    """One message; ``member_id`` is its sender, ``read`` is ``None`` when not sent."""

    member_id: int | None = None
    message: str = ""
    read: bool | None = None
    created_at: dt.datetime | None = None


@attrs.define(kw_only=True)
class Conversation(Model):
    """One entry of the conversation list: the other member and the latest message.

    ``unread_message_count`` is ``None`` when the service does not send it (not 0).
    """

    other_member: Member | None = None
    last_message: Message | None = None
    unread_message_count: int | None = None


@attrs.define(kw_only=True)
class MessageThread(Model):
    """The last messages (at most 50, newest first) exchanged with one member."""

    other_member: Member | None = None
    messages: list[Message] = attrs.field(factory=list)


@attrs.define(kw_only=True)
class SearchResults(Model):
    """One page of an expert search: up to 10 members and the total number of matches.

    ``matches`` is ``None`` when the service does not send it; paging then goes on
    until a page comes back empty.
    """

    matches: int | None = None
    members: list[Member] = attrs.field(factory=list)
