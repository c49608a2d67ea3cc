"""The emulated Clarity service, spoken to with plain aiohttp."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from aioclubhouse.emulator.clarity import ClarityEmulator, Refusal

from .conftest import EXPERT_ID, SEEKER_ID


async def send(
    emu: ClarityEmulator, method: str, path: str, *, token: str | None = None, **kwargs: Any
) -> tuple[int, Any]:
    params = dict(kwargs.pop("params", {}))
    if token is not None:
        params["oauth_token"] = token
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, emu.base_url + path, params=params, **kwargs) as r,
    ):
        return r.status, await r.json(content_type=None)


async def test_every_error_is_json(emu: ClarityEmulator) -> None:
    token = emu.issue_token()
    assert await send(emu, "GET", "me") == (401, {"error": "invalid or missing oauth_token"})
    status, body = await send(emu, "GET", "no/such/thing", token=token)
    assert status == 404 and isinstance(body["error"], str)
    status, body = await send(emu, "DELETE", "me", token=token)
    assert status == 405 and isinstance(body["error"], str)
    assert await send(emu, "GET", "calls/abc", token=token) == (404, {"error": "not found"})


async def test_post_parameters_are_read_from_a_json_body_only_by_default(
    emu: ClarityEmulator,
) -> None:
    token = emu.issue_token()
    form = {"expert_id": str(EXPERT_ID), "expires_in": "2", "reason": "by form"}
    status, body = await send(emu, "POST", "calls", token=token, data=form)
    assert (status, body) == (
        415,
        {
            "error": "a body of type application/x-www-form-urlencoded is not read: "
            "send the parameters in a JSON body"
        },
    )
    status, body = await send(
        emu, "POST", "needs", token=token, params={"description": "q", "paid": "false"}
    )
    assert (status, body) == (
        400,
        {
            "error": "parameters in the query string are not read (description, paid): "
            "send the parameters in a JSON body"
        },
    )
    status, body = await send(emu, "POST", "messages/940", token=token, data=b"hi")
    assert status == 415 and "application/octet-stream" in body["error"]
    status, body = await send(emu, "POST", "messages/940", token=token, json={"message": "hi"})
    assert status == 200 and body["message"] == "hi"
    assert emu.world.calls.keys() == {5800, 5801, 5802}  # nothing was created by the refusals


async def test_post_parameters_from_a_form_or_the_query_string_when_switched_on() -> None:
    async with ClarityEmulator(post_encodings=("json", "form", "query")) as emu:
        token = emu.issue_token()
        form = {"expert_id": str(EXPERT_ID), "expires_in": "2", "reason": "by form"}
        status, body = await send(emu, "POST", "calls", token=token, data=form)
        assert status == 200 and body["reason"] == "by form" and "status" not in body
        status, body = await send(
            emu, "POST", "needs", token=token, params={"description": "q", "paid": "false"}
        )
        assert status == 200 and body[0]["paid"] is False and body[0]["requester_id"] == SEEKER_ID
        status, body = await send(
            emu,
            "POST",
            "messages/940",
            token=token,
            params={"message": "from the query"},
            json={"message": "from the body"},
        )
        assert status == 200 and body["message"] == "from the body"


async def test_form_only_refuses_json() -> None:
    async with ClarityEmulator(post_encodings={"form"}) as emu:
        token = emu.issue_token()
        status, body = await send(emu, "POST", "messages/940", token=token, json={"message": "x"})
        assert (status, body) == (
            415,
            {
                "error": "a body of type application/json is not read: "
                "send the parameters in a form body"
            },
        )
        status, _ = await send(emu, "POST", "messages/940", token=token, data={"message": "x"})
        assert status == 200


@pytest.mark.parametrize("encodings", [(), ("json", "xml"), "json"])
def test_post_encodings_are_checked(encodings: Any) -> None:
    with pytest.raises(ValueError, match="post_encodings"):
        ClarityEmulator(post_encodings=encodings)


async def test_a_huge_expiry_is_refused_not_crashed_on(emu: ClarityEmulator) -> None:
    payload = {"expert_id": EXPERT_ID, "expires_in": 10**18, "reason": "later"}
    status, body = await send(emu, "POST", "calls", token=emu.issue_token(), json=payload)
    assert (status, body) == (400, {"error": "expires_in is too far in the future"})


async def test_the_full_profile_carries_every_documented_field(emu: ClarityEmulator) -> None:
    token = emu.issue_token()
    _, dan = await send(emu, "GET", "members/danmartell", token=token)
    assert dan["amount_generated_for_charity"] == 1137.15
    assert dan["charity_name"] == "charity: water"
    assert dan["charity_url"] == "http://www.charitywater.org/"
    assert dan["charity_logo"].endswith("/charity_water.jpeg?1327007697")
    assert dan["facebook_profile_url"] == "https://facebook.com/829175116"
    assert dan["linkedin_profile_url"].startswith("http://www.linkedin.com/")
    assert dan["public_social_connections"] == {"facebook": True, "linkedin": True, "twitter": True}
    _, vincent = await send(emu, "GET", "members/vincentroy", token=token)
    unset = ("charity_name", "charity_url", "charity_logo", "facebook_profile_url")
    assert [vincent[key] for key in unset] == [None] * 4
    assert vincent["amount_generated_for_charity"] == 0.0
    assert vincent["public_social_connections"] == {
        "facebook": False,
        "linkedin": False,
        "twitter": True,
    }


async def test_ids_on_needs_and_organizations_are_a_switchable_deviation() -> None:
    for extra_ids in (True, False):
        async with ClarityEmulator(extra_ids=extra_ids) as emu:
            token = emu.issue_token()
            _, needs = await send(emu, "GET", "needs", token=token)
            _, created = await send(
                emu, "POST", "needs", token=token, json={"description": "d", "paid": True}
            )
            _, organizations = await send(emu, "GET", "organizations", token=token)
            _, organization = await send(emu, "GET", "organizations/17", token=token)
        bodies = [*needs, *created, *organizations, organization]
        assert all(("id" in body) is extra_ids for body in bodies), extra_ids


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"expert_id": EXPERT_ID, "expires_in": 2, "reason": "x" * 141}, "reason"),
        ({"expert_id": SEEKER_ID, "expires_in": 2, "reason": "me"}, "yourself"),
        ({"expert_id": "seven", "expires_in": 2, "reason": "x"}, "expert_id"),
        ({"expert_id": EXPERT_ID, "reason": "x"}, "expires_in"),
    ],
)
async def test_call_requests_are_checked(
    emu: ClarityEmulator, payload: dict[str, Any], problem: str
) -> None:
    status, body = await send(emu, "POST", "calls", token=emu.issue_token(), json=payload)
    assert status == 400 and problem in body["error"]


async def test_search_also_answers_on_the_path_form(emu: ClarityEmulator) -> None:
    token = emu.issue_token()
    by_path = await send(emu, "GET", "search/moncton", token=token, params={"offset": "10"})
    by_query = await send(
        emu, "GET", "search", token=token, params={"q": "moncton", "offset": "10"}
    )
    assert by_path == by_query and by_path[0] == 200
    assert by_path[1]["matches"] == 25 and len(by_path[1]["members"]) == 10


async def test_list_and_detail_spell_a_finished_call_differently(emu: ClarityEmulator) -> None:
    token = emu.issue_token()
    _, completed = await send(emu, "GET", "calls/completed", token=token)
    assert [call["status"] for call in completed] == ["completed"]
    _, detail = await send(emu, "GET", f"calls/{completed[0]['id']}", token=token)
    assert detail["status"] == "call_completed"


async def test_full_profiles_send_the_rate_as_a_string(emu: ClarityEmulator) -> None:
    token = emu.issue_token()
    _, profile = await send(emu, "GET", "members/vincentroy", token=token)
    _, organization = await send(emu, "GET", "organizations/17", token=token)
    assert profile["hourly_rate"] == "20.0"
    vincent = next(m for m in organization["members"] if m["id"] == 940)
    assert vincent["hourly_rate"] == 20.0


async def test_one_view_per_state_advances_on_every_read() -> None:
    async with ClarityEmulator(views_per_state=1) as emu:
        seeker, expert = emu.issue_token(SEEKER_ID), emu.issue_token(EXPERT_ID)
        _, call = await send(
            emu,
            "POST",
            "calls",
            token=seeker,
            json={"expert_id": 7, "expires_in": 1, "reason": "r"},
        )
        _, connected = await send(emu, "POST", f"calls/{call['id']}/connect", token=expert)
        states = [connected["status"]]
        for _ in range(4):
            _, read = await send(emu, "GET", f"calls/{call['id']}", token=seeker)
            states.append(read["status"])
    assert states == [
        "dialing_seeker",
        "dialing_seeker",
        "seeker_answered",
        "dialing_expert",
        "expert_answered",
    ]


async def test_a_started_emulator_can_be_stopped_and_started_again() -> None:
    emu = ClarityEmulator()
    await emu.start()
    await emu.start()
    first_port = emu.port
    assert emu.running and first_port > 0
    await emu.stop()
    await emu.stop()
    assert not emu.running
    await emu.start()
    try:
        assert emu.port == first_port
        assert (await send(emu, "GET", "me", token=emu.issue_token()))[0] == 200
    finally:
        await emu.stop()


async def test_an_empty_world_has_no_members() -> None:
    async with ClarityEmulator(sample=False) as emu:
        assert emu.world.members == {}
        with pytest.raises(Refusal, match="member not found"):
            emu.issue_token(SEEKER_ID)
