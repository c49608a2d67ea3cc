"""The rules of the emulated Clarity service, over a small in-memory world.

Every operation takes the member acting (resolved from the ``oauth_token`` by the
routes) and either returns JSON-ready data or raises :class:`Refusal` with the HTTP
status the service would answer.

A connected call walks through :data:`~.records.CALL_FLOW`. It moves on when a
participant has read its current state ``views_per_state`` times, so a client that
polls sees every state (each more than once when the setting is above 1) without the
emulator depending on the clock. :meth:`ClarityWorld.script_call` replaces the walk
with any sequence of states, including ones no client knows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

from ..request_values import read_int
from .records import (
    CALL_FLOW,
    CANCELED,
    COMPLETED,
    PENDING,
    CallRecord,
    Json,
    MemberRecord,
    MessageRecord,
    NeedRecord,
    OrganizationRecord,
    now,
)

MAX_REASON = 140
SEARCH_PAGE = 10
THREAD_LENGTH = 50
COMPLETED_CALL_SECONDS = 600


class Refusal(Exception):
    """A request the service turns down, with the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def not_found(what: str) -> Refusal:
    return Refusal(404, f"{what} not found")


class ClarityWorld:
    """Members, calls, needs, organizations and messages, and what members may do."""

    def __init__(
        self, *, views_per_state: int = 2, first_call_id: int = 5800, extra_ids: bool = True
    ) -> None:
        """``extra_ids``: give needs and organizations the ``id`` the document does not
        show (see :mod:`.records`); off, they are rendered exactly as documented."""
        if views_per_state < 1:
            raise ValueError("views_per_state must be at least 1")
        self.views_per_state = views_per_state
        self.extra_ids = extra_ids
        self.members: dict[int, MemberRecord] = {}
        self.calls: dict[int, CallRecord] = {}
        self.needs: dict[int, NeedRecord] = {}
        self.organizations: dict[int, OrganizationRecord] = {}
        self.messages: list[MessageRecord] = []
        self._call_ids = itertools.count(first_call_id)
        self._need_ids = itertools.count(300)

    # -- building the world ----------------------------------------------------------------
    def add_member(self, member: MemberRecord) -> MemberRecord:
        self.members[member.id] = member
        return member

    def add_call(self, *, seeker_id: int, expert_id: int, reason: str, **fields: Any) -> CallRecord:
        expert = self.members[expert_id]
        call = CallRecord(
            id=next(self._call_ids),
            seeker_id=seeker_id,
            expert_id=expert_id,
            reason=reason,
            hourly_rate=expert.hourly_rate,
            **fields,
        )
        self.calls[call.id] = call
        return call

    def add_need(self, *, requester_id: int, description: str, paid: bool) -> NeedRecord:
        need = NeedRecord(
            id=next(self._need_ids), requester_id=requester_id, description=description, paid=paid
        )
        self.needs[need.id] = need
        return need

    def add_organization(self, organization: OrganizationRecord) -> OrganizationRecord:
        self.organizations[organization.id] = organization
        return organization

    def add_message(
        self, sender_id: int, recipient_id: int, text: str, **fields: Any
    ) -> MessageRecord:
        message = MessageRecord(
            sender_id=sender_id,
            recipient_id=recipient_id,
            text=text,
            **fields,
        )
        self.messages.append(message)
        return message

    def script_call(self, call_id: int, states: Iterable[str]) -> None:
        """Make call ``call_id`` go through ``states`` (any strings) from now on."""
        self.calls[call_id].upcoming = list(states)
        self.calls[call_id].views = 0

    # -- members ---------------------------------------------------------------------------
    def member(self, member_id: int) -> MemberRecord:
        try:
            return self.members[member_id]
        except KeyError:
            raise not_found("member") from None

    def member_by_key(self, key: str) -> MemberRecord:
        """By numeric id or screen name (any case)."""
        number = read_int(key) if key.isdigit() else None
        if number is not None:
            return self.member(number)
        wanted = key.lower()
        for member in self.members.values():
            if member.screen_name.lower() == wanted:
                return member
        raise not_found("member")

    def find_member(
        self, *, key: str | None, twitter: str | None, email: str | None
    ) -> MemberRecord | None:
        if key is not None:
            return self.member_by_key(key)
        for member in self.members.values():
            if twitter is not None and (member.twitter or "").lower() == twitter.lower():
                return member
            if email is not None and (member.email or "").lower() == email.lower():
                return member
        if twitter is None and email is None:
            return None
        raise not_found("member")

    def search(self, query: str, offset: int) -> Json:
        words = query.lower().split()
        found = [
            member
            for member in sorted(self.members.values(), key=lambda m: m.id)
            if all(word in member.searchable() for word in words)
        ]
        page = found[offset : offset + SEARCH_PAGE]
        return {"matches": len(found), "members": [member.short() for member in page]}

    # -- calls -----------------------------------------------------------------------------
    def call_list(self, member: MemberRecord, kind: str) -> list[Json]:
        def wanted(call: CallRecord) -> bool:
            if not call.involves(member.id):
                return False
            if kind == "requested":
                return call.status == PENDING and call.seeker_id == member.id
            if kind == "callback":
                return call.status == PENDING and call.expert_id == member.id
            if kind == "completed":
                return call.status == COMPLETED
            return call.status == CANCELED

        return [
            call.to_json(in_list=True)
            for call in sorted(self.calls.values(), key=lambda c: c.id)
            if wanted(call)
        ]

    def _own_call(self, member: MemberRecord, call_id: int) -> CallRecord:
        call = self.calls.get(call_id)
        if call is None or not call.involves(member.id):
            raise not_found("call")
        return call

    def read_call(self, member: MemberRecord, call_id: int) -> Json:
        """The call as it is now; reading it also lets a connected call move on."""
        call = self._own_call(member, call_id)
        answer = call.to_json()
        call.views += 1
        if call.upcoming and call.views >= self.views_per_state:
            self._advance(call)
        return answer

    def _advance(self, call: CallRecord) -> None:
        call.status = call.upcoming.pop(0)
        call.views = 0
        call.updated_at = now()
        if call.status == COMPLETED:
            call.duration = COMPLETED_CALL_SECONDS
            for participant in (call.seeker_id, call.expert_id):
                self.members[participant].total_calls += 1

    def request_call(
        self, seeker: MemberRecord, expert_id: int, expires_in: int, reason: str
    ) -> Json:
        if expert_id == seeker.id:
            raise Refusal(400, "you cannot request a call with yourself")
        self.member(expert_id)
        if expires_in <= 0:
            raise Refusal(400, "expires_in must be a positive number of hours")
        if not reason.strip() or len(reason) > MAX_REASON:
            raise Refusal(400, f"reason must be 1 to {MAX_REASON} characters")
        created = now()
        try:
            expires_at = created + dt.timedelta(hours=expires_in)
        except OverflowError:
            raise Refusal(400, "expires_in is too far in the future") from None
        call = self.add_call(
            seeker_id=seeker.id,
            expert_id=expert_id,
            reason=reason,
            created_at=created,
            updated_at=created,
            expires_at=expires_at,
        )
        # As documented, the answer to POST /v1/calls carries no status.
        return call.to_json(include_status=False)

    def connect_call(self, member: MemberRecord, call_id: int) -> Json:
        call = self._own_call(member, call_id)
        if call.expert_id != member.id or call.status != PENDING:
            raise Refusal(400, "only a pending call from your callback list can be connected")
        call.upcoming = list(CALL_FLOW)
        self._advance(call)
        return call.to_json()

    # -- needs -----------------------------------------------------------------------------
    def _colleagues(self, member: MemberRecord) -> set[int]:
        ids = {member.id}
        for organization in self.organizations.values():
            if member.id in organization.member_ids:
                ids.update(organization.member_ids)
        return ids

    def need_list(self, member: MemberRecord) -> list[Json]:
        colleagues = self._colleagues(member)
        return [
            need.to_json(with_id=self.extra_ids)
            for need in sorted(self.needs.values(), key=lambda n: n.id)
            if need.requester_id in colleagues
        ]

    def create_need(self, member: MemberRecord, description: str, paid: bool) -> list[Json]:
        if not description.strip():
            raise Refusal(400, "description can't be blank")
        need = self.add_need(requester_id=member.id, description=description, paid=paid)
        # As documented, the answer is an array holding the new need.
        return [need.to_json(with_id=self.extra_ids)]

    def fulfill_need(self, member: MemberRecord, need_id: int) -> Json:
        need = self.needs.get(need_id)
        if need is None or need.requester_id not in self._colleagues(member):
            raise not_found("need")
        if need.requester_id == member.id:
            raise Refusal(400, "you cannot fulfill your own need")
        created = now()
        call = self.add_call(
            seeker_id=need.requester_id,
            expert_id=member.id,
            reason=need.description[:MAX_REASON],
            created_at=created,
            updated_at=created,
            expires_at=created + dt.timedelta(days=3),
        )
        return call.to_json()

    # -- organizations ---------------------------------------------------------------------
    def organization_list(self, member: MemberRecord) -> list[Json]:
        return [
            organization.summary(with_id=self.extra_ids)
            for organization in sorted(self.organizations.values(), key=lambda o: o.id)
            if member.id in organization.member_ids
        ]

    def organization(self, member: MemberRecord, organization_id: int) -> Json:
        organization = self.organizations.get(organization_id)
        if organization is None or member.id not in organization.member_ids:
            raise not_found("organization")
        body = organization.summary(with_id=self.extra_ids)
        del body["member_ids"]
        body["members"] = [
            self.members[i].short() for i in organization.member_ids if i in self.members
        ]
        return body

    # -- messages --------------------------------------------------------------------------
    def conversations(self, member: MemberRecord) -> list[Json]:
        latest: dict[int, MessageRecord] = {}
        unread: dict[int, int] = {}
        for message in self.messages:
            if member.id not in (message.sender_id, message.recipient_id):
                continue
            other = message.recipient_id if message.sender_id == member.id else message.sender_id
            if other not in latest or message.created_at >= latest[other].created_at:
                latest[other] = message
            if message.recipient_id == member.id and not message.read:
                unread[other] = unread.get(other, 0) + 1
        ordered = sorted(latest.items(), key=lambda item: item[1].created_at, reverse=True)
        return [
            {
                "unread_message_count": unread.get(other, 0),
                "last_message": message.to_json(),
                "other_member": self.members[other].short(),
            }
            for other, message in ordered
        ]

    def thread(self, member: MemberRecord, other_id: int) -> Json:
        other = self.member(other_id)
        # Newest first; among messages of the same second, the later-stored one first.
        exchanged = [m for m in reversed(self.messages) if m.between(member.id, other.id)]
        exchanged.sort(key=lambda m: m.created_at, reverse=True)
        shown = exchanged[:THREAD_LENGTH]
        answer = {"other_member": other.short(), "messages": [m.to_json() for m in shown]}
        for message in shown:
            if message.recipient_id == member.id:
                message.read = True
        return answer

    def send_message(self, member: MemberRecord, other_id: int, text: str) -> Json:
        other = self.member(other_id)
        if other.id == member.id:
            raise Refusal(400, "you cannot message yourself")
        if not text.strip():
            raise Refusal(400, "message can't be blank")
        return self.add_message(member.id, other.id, text).to_json()
