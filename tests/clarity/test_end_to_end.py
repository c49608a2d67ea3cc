"""The client against the emulated service, over real HTTP on a loopback port."""

from __future__ import annotations

import datetime as dt
import json

import aiohttp
import pytest

from aioclubhouse.clarity import CallStatus, ClaritySession, Member, WatchTimeoutError
from aioclubhouse.emulator.clarity import ClarityEmulator
from aioclubhouse.errors import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    RateLimitedError,
    ServerError,
)

from .conftest import EXPERT_ID, HOUR, SEEKER_ID, open_session

FLOW = [
    CallStatus.DIALING_SEEKER,
    CallStatus.SEEKER_ANSWERED,
    CallStatus.DIALING_EXPERT,
    CallStatus.EXPERT_ANSWERED,
    CallStatus.CALL_COMPLETED,
]


def reads_of(emu: ClarityEmulator, path: str) -> list[dict[str, str]]:
    return [r.query for r in emu.requests if r.method == "GET" and r.path == path]


# -- members -------------------------------------------------------------------------------
async def test_me_decodes_the_string_rate(emu: ClarityEmulator, seeker: ClaritySession) -> None:
    me = await seeker.me()
    assert me.id == SEEKER_ID and me.screen_name == "alexreid"
    assert me.raw["hourly_rate"] == "100.0"
    assert me.hourly_rate == 100.0
    assert reads_of(emu, "/v1/me") == [{"oauth_token": "<redacted>"}]


async def test_member_lookups_agree(seeker: ClaritySession) -> None:
    found = [
        await seeker.get_member("danmartell"),
        await seeker.get_member(EXPERT_ID),
        await seeker.get_member("DanMartell"),
        await seeker.find_member(id="danmartell"),
        await seeker.find_member(twitter="@danmartell"),
        await seeker.find_member(email="dan@example.com"),
    ]
    assert {member.id for member in found} == {EXPERT_ID}
    assert all(member.name == "Dan Martell" for member in found)


async def test_the_bare_members_lookup_is_the_current_member(
    emu: ClarityEmulator, seeker: ClaritySession
) -> None:
    bare = await seeker.find_member()
    me = await seeker.me()
    assert bare.id == me.id == SEEKER_ID and bare.raw.keys() == me.raw.keys()
    assert reads_of(emu, "/v1/members") == [{"oauth_token": "<redacted>"}]


async def test_unknown_member_is_not_found(seeker: ClaritySession) -> None:
    with pytest.raises(NotFoundError) as caught:
        await seeker.get_member("nobody_here")
    assert caught.value.status == 404
    assert caught.value.endpoint == "get_member"
    assert "member not found" in str(caught.value)
    with pytest.raises(NotFoundError):
        await seeker.find_member(email="ghost@example.com")


async def test_bad_or_missing_token_is_an_authentication_error(emu: ClarityEmulator) -> None:
    for token in ("not-a-real-token", None):
        async with ClaritySession(token, base_url=emu.base_url, rate_limit=None) as session:
            with pytest.raises(AuthenticationError) as caught:
                await session.me()
        assert caught.value.status == 401
        assert "oauth_token" in caught.value.message


async def test_token_set_later_is_used(emu: ClarityEmulator) -> None:
    async with ClaritySession(base_url=emu.base_url, rate_limit=None) as session:
        session.oauth_token = emu.issue_token(940)
        assert (await session.me()).screen_name == "vincentroy"


# -- calls ---------------------------------------------------------------------------------
async def test_request_connect_and_watch_a_call_to_completion(
    emu: ClarityEmulator, seeker: ClaritySession, expert: ClaritySession
) -> None:
    requested = await seeker.request_call(EXPERT_ID, dt.timedelta(days=1), "Pricing advice")
    assert requested.status is None  # the documented answer carries no status
    assert requested.seeker_id == SEEKER_ID and requested.expert_id == EXPERT_ID
    assert requested.expires_at is not None and requested.created_at is not None
    assert (requested.expires_at - requested.created_at).total_seconds() == 24 * 3600
    assert requested.id in [call.id for call in await seeker.requested_calls()]
    callbacks = await expert.callback_calls()
    assert [c.status for c in callbacks if c.id == requested.id] == [CallStatus.PENDING]

    connected = await expert.connect_call(requested.id)
    assert connected.status is CallStatus.DIALING_SEEKER

    seen = [update async for update in seeker.watch_call(requested.id, interval=0.001)]
    assert [update.status for update in seen] == FLOW
    assert seen[-1].duration == 600
    # Each state was read twice (views_per_state=2) but reported once.
    assert len(reads_of(emu, f"/v1/calls/{requested.id}")) == 2 * (len(FLOW) - 1) + 1

    completed = {call.id: call for call in await seeker.completed_calls()}
    assert completed[requested.id].status is CallStatus.COMPLETED
    assert completed[requested.id].raw_status == "completed"
    assert requested.id not in [call.id for call in await seeker.requested_calls()]


async def test_unknown_states_are_reported_and_watching_ends_at_cancel(
    emu: ClarityEmulator, seeker: ClaritySession, expert: ClaritySession
) -> None:
    call = await seeker.request_call(EXPERT_ID, HOUR, "Quick question")
    await expert.connect_call(call.id)
    emu.script_call(call.id, ["warming_up", "on_hold_music", "canceled"])
    seen = [update async for update in expert.watch_call(call.id, interval=0.001)]
    assert [(u.status, u.raw_status) for u in seen] == [
        (CallStatus.DIALING_SEEKER, "dialing_seeker"),
        (CallStatus.UNKNOWN, "warming_up"),
        (CallStatus.UNKNOWN, "on_hold_music"),
        (CallStatus.CANCELED, "canceled"),
    ]


async def test_watch_can_stop_at_any_chosen_state(
    emu: ClarityEmulator, seeker: ClaritySession, expert: ClaritySession
) -> None:
    call = await seeker.request_call(EXPERT_ID, HOUR, "Quick question")
    await expert.connect_call(call.id)
    emu.script_call(call.id, ["seeker_unavailable", "pending"])
    stream = seeker.watch_call(call.id, interval=0.001, stop_at={CallStatus.SEEKER_UNAVAILABLE})
    seen = [update.status async for update in stream]
    assert seen == [CallStatus.DIALING_SEEKER, CallStatus.SEEKER_UNAVAILABLE]


async def test_watching_a_call_that_never_finishes_gives_up_at_the_timeout(
    emu: ClarityEmulator, seeker: ClaritySession, expert: ClaritySession
) -> None:
    call = await seeker.request_call(EXPERT_ID, HOUR, "Quick question")
    await expert.connect_call(call.id)
    emu.script_call(call.id, ["dialing_expert"])  # and there it stays
    seen: list[CallStatus | None] = []
    with pytest.raises(WatchTimeoutError) as caught:
        async for update in seeker.watch_call(
            call.id, interval=0.01, timeout=dt.timedelta(milliseconds=300)
        ):
            seen.append(update.status)
    assert seen == [CallStatus.DIALING_SEEKER, CallStatus.DIALING_EXPERT]
    assert caught.value.last is not None and caught.value.last.id == call.id
    assert caught.value.last.status is CallStatus.DIALING_EXPERT
    assert len(reads_of(emu, f"/v1/calls/{call.id}")) > len(seen)


async def test_only_the_expert_can_connect(seeker: ClaritySession) -> None:
    call = await seeker.request_call(EXPERT_ID, HOUR, "Quick question")
    with pytest.raises(BadRequestError) as caught:
        await seeker.connect_call(call.id)
    assert caught.value.status == 400 and "callback" in caught.value.message


async def test_other_members_calls_are_not_found(emu: ClarityEmulator) -> None:
    async with open_session(emu, 940) as outsider:
        with pytest.raises(NotFoundError):
            await outsider.get_call(5800)


async def test_seeded_call_lists(seeker: ClaritySession, expert: ClaritySession) -> None:
    canceled = await seeker.canceled_calls()
    assert [(c.status, c.canceled_by) for c in canceled] == [(CallStatus.CANCELED, EXPERT_ID)]
    assert canceled[0].hourly_rate == 100.0
    assert [c.duration for c in await expert.completed_calls()] == [479]


# -- needs and organizations ---------------------------------------------------------------
async def test_post_a_need_and_have_it_fulfilled(
    seeker: ClaritySession, expert: ClaritySession
) -> None:
    before = await seeker.needs()
    assert [need.requester_id for need in before] == [771]
    need = await seeker.create_need("An intro to a seed investor", True)
    assert need.id is not None and need.requester_id == SEEKER_ID and need.paid
    assert need.id in [n.id for n in await expert.needs()]

    call = await expert.fulfill_need(need.id)
    assert (call.seeker_id, call.expert_id, call.status) == (
        SEEKER_ID,
        EXPERT_ID,
        CallStatus.PENDING,
    )
    assert call.id in [c.id for c in await seeker.requested_calls()]
    with pytest.raises(BadRequestError):
        await seeker.fulfill_need(need.id)


async def test_organizations(seeker: ClaritySession) -> None:
    (festival,) = await seeker.organizations()
    assert festival.id == 17 and SEEKER_ID in festival.member_ids and festival.members == []
    detail = await seeker.get_organization(17)
    assert {member.screen_name for member in detail.members} >= {"danmartell", "vincentroy"}
    assert all(isinstance(member.hourly_rate, float) for member in detail.members)
    with pytest.raises(NotFoundError):
        await seeker.get_organization(18)  # exists, but the seeker is not a member


async def test_with_the_documented_shapes_only_an_organization_is_found_by_its_logo() -> None:
    async with (
        ClarityEmulator(extra_ids=False) as emu,
        open_session(emu, SEEKER_ID) as seeker,
    ):
        (festival,) = await seeker.organizations()
        assert festival.id is None and festival.resolved_id == 17
        detail = await seeker.get_organization(festival.resolved_id)
        assert detail.name == festival.name and detail.resolved_id == 17
        # A need, as documented, carries no id: there is nothing to pass to fulfill_need.
        need = await seeker.create_need("An intro to a seed investor", False)
        assert need.id is None and need.paid is False
        assert all(n.id is None for n in await seeker.needs())


# -- messages ------------------------------------------------------------------------------
async def test_conversations_threads_and_sending(
    emu: ClarityEmulator, seeker: ClaritySession
) -> None:
    (conversation,) = await seeker.messages()
    assert conversation.other_member is not None and conversation.other_member.id == 940
    assert conversation.unread_message_count == 1
    assert conversation.last_message is not None
    assert conversation.last_message.message == "Thanks! Happy to do a call."

    sent = await seeker.send_message(940, "Great, booking one now.")
    assert sent.member_id == SEEKER_ID and sent.message == "Great, booking one now."
    assert [
        r.json() for r in emu.requests if r.path == "/v1/messages/940" and r.method == "POST"
    ] == [{"message": "Great, booking one now."}]

    thread = await seeker.conversation(940)
    assert [m.message for m in thread.messages] == [
        "Great, booking one now.",
        "Thanks! Happy to do a call.",
        "Loved your talk on rails.",
    ]
    async with open_session(emu, 940) as vincent:
        entries = {c.other_member.id: c for c in await vincent.messages() if c.other_member}
    assert entries[SEEKER_ID].unread_message_count == 1
    assert entries[172].last_message is not None and entries[172].last_message.message == "Not much"


async def test_messages_with_bare_keys_as_in_the_readme_still_decode() -> None:
    async with ClarityEmulator(loose_json=True) as emu:
        token = emu.issue_token(SEEKER_ID)
        async with (
            aiohttp.ClientSession() as http,
            http.get(emu.base_url + "messages", params={"oauth_token": token}) as r,
        ):
            text = await r.text()
        assert "last_message:" in text
        with pytest.raises(ValueError):
            json.loads(text)
        async with ClaritySession(token, base_url=emu.base_url, rate_limit=None) as session:
            (conversation,) = await session.messages()
            thread = await session.conversation(940)
    assert conversation.other_member is not None and conversation.other_member.id == 940
    assert len(thread.messages) == 2


# -- search --------------------------------------------------------------------------------
async def test_search_pages_through_every_match_by_offset(
    emu: ClarityEmulator, seeker: ClaritySession
) -> None:
    pages = [page async for page in seeker.search("moncton").pages()]
    assert [len(page) for page in pages] == [10, 10, 5]
    assert {page.count for page in pages} == {25}
    assert [q["offset"] for q in reads_of(emu, "/v1/search")] == ["0", "10", "20"]
    everyone = await seeker.search("Moncton").collect()
    assert len({member.id for member in everyone}) == 25
    assert all(isinstance(member, Member) and member.location for member in everyone)


async def test_search_limit_and_offset(emu: ClarityEmulator, seeker: ClaritySession) -> None:
    first_twelve = await seeker.search("moncton", limit=12).collect()
    assert len(first_twelve) == 12
    assert [q["offset"] for q in reads_of(emu, "/v1/search")] == ["0", "10"]
    tail = await seeker.search("moncton", offset=20).collect()
    assert len(tail) == 5
    assert [m.id for m in tail] == [m.id for m in (await seeker.search("moncton").collect())[20:]]


async def test_search_in_the_path_form_finds_the_same_members(
    emu: ClarityEmulator, seeker: ClaritySession
) -> None:
    by_path = await seeker.search("moncton", form="path").collect()
    by_query = await seeker.search("moncton", form="query").collect()
    assert [m.id for m in by_path] == [m.id for m in by_query] and len(by_path) == 25
    assert [r.query["offset"] for r in emu.requests if r.path == "/v1/search/moncton"] == [
        "0",
        "10",
        "20",
    ]


async def test_search_without_matches(seeker: ClaritySession) -> None:
    page = await seeker.search("zzz-nothing")
    assert page.count == 0 and page.items == [] and page.next is None
    assert await seeker.search("zzz-nothing").collect() == []


# -- failures on the wire ------------------------------------------------------------------
async def test_a_read_is_retried_after_a_server_error(
    emu: ClarityEmulator, seeker: ClaritySession
) -> None:
    emu.fail_next(503)
    assert (await seeker.me()).id == SEEKER_ID
    assert len(reads_of(emu, "/v1/me")) == 2


async def test_a_call_request_is_not_resent_after_a_server_error(
    emu: ClarityEmulator, seeker: ClaritySession
) -> None:
    emu.fail_next(503)
    with pytest.raises(ServerError):
        await seeker.request_call(EXPERT_ID, HOUR, "Once only")
    assert len([r for r in emu.requests if r.path == "/v1/calls"]) == 1
    assert await seeker.requested_calls() != []  # the seeded request is still there
    assert all(c.reason != "Once only" for c in await seeker.requested_calls())


async def test_a_long_retry_after_is_raised_not_slept(
    emu: ClarityEmulator, seeker: ClaritySession
) -> None:
    emu.fail_next(429, retry_after=120)
    with pytest.raises(RateLimitedError) as caught:
        await seeker.me()
    assert caught.value.retry_after == 120
