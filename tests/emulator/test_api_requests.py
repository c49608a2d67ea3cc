"""How the API reads requests: pages, POST for GET, field checks, multipart, 404/405."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from .api_support import Api, open_api


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    async with open_api() as api:
        yield api


@pytest.fixture
def token(api: Api) -> str:
    return str(api.emulator.login(name="Pat Pager")["auth_token"])


def _most_followed(api: Api) -> int:
    social = api.emulator.world.social
    return max(api.emulator.world.state.users, key=lambda uid: len(social.followers_of(uid)))


async def test_pages_walk_every_item_and_end_with_next_null(api: Api, token: str) -> None:
    star = _most_followed(api)
    expected = set(api.emulator.world.social.followers_of(star))
    assert len(expected) > 14
    seen: list[int] = []
    page: int | None = 1
    previous = None
    while page is not None:
        params = {"user_id": str(star), "page_size": "7", "page": str(page)}
        answer = await api.ok("get_followers", method="GET", params=params, token=token)
        assert answer["count"] == len(expected)
        assert answer["previous"] == previous
        seen += [user["user_id"] for user in answer["users"]]
        previous, page = page, answer["next"]
    assert len(seen) == len(expected) and set(seen) == expected
    assert len(answer["users"]) <= 7 and answer["next"] is None
    beyond = {"user_id": str(star), "page_size": "7", "page": "99"}
    empty = await api.ok("get_followers", method="GET", params=beyond, token=token)
    assert empty["users"] == [] and empty["next"] is None


async def test_get_endpoints_answer_post_with_body_or_query(api: Api, token: str) -> None:
    star = _most_followed(api)
    by_get = await api.ok(
        "get_followers", method="GET", params={"user_id": str(star), "page_size": "5"}, token=token
    )
    by_body = await api.ok("get_followers", {"user_id": star, "page_size": 5}, token=token)
    by_query = await api.ok(
        "get_followers", params={"user_id": str(star), "page_size": "5"}, token=token
    )
    assert by_get == by_body == by_query
    channels = await api.ok("get_channels", {}, token=token)
    assert channels["channels"]


async def test_post_only_endpoints_refuse_get_and_unknown_ones_404(api: Api, token: str) -> None:
    status, answer = await api.call("get_profile", method="GET", token=token)
    assert status == 405 and "detail" in answer
    assert await api.call("no_such_endpoint", {}, token=token) == (404, {"detail": "Not found."})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Missing field: user_id"),
        ({"user_id": None}, "Missing field: user_id"),
        ({"user_id": "twelve"}, "user_id must be an integer"),
        ({"user_id": True}, "user_id must be an integer"),
        ({"user_id": [1]}, "user_id must be an integer"),
        ({"user_id": 10**30}, "user_id must be an integer"),
        ([1, 2], "The request body must be a JSON object."),
        ("text", "The request body must be a JSON object."),
    ],
)
async def test_bad_arguments_get_400_naming_the_field(
    api: Api, token: str, body: object, message: str
) -> None:
    assert await api.call("unfollow", body, token=token) == (
        400,
        {"success": False, "error_message": message},
    )


async def test_malformed_json_gets_400(api: Api, token: str) -> None:
    headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
    status, answer = await api.call("me", data=b'{"return_blocked_ids": tr', headers=headers)
    assert (status, answer["error_message"]) == (400, "The request body is not valid JSON.")


async def test_lenient_where_clients_differ(api: Api, token: str) -> None:
    star = _most_followed(api)
    await api.ok("follow", {"user_id": str(star), "source": 4}, token=token)
    profile = await api.ok("get_profile", {"user_id": star}, token=token)
    assert profile["user_profile"]["notification_type"] == 2
    settings = {"user_id": star, "notification_type": "3"}
    await api.ok("update_follow_notifications", settings, token=token)
    profile = await api.ok(
        "get_profile", {"username": profile["user_profile"]["username"]}, token=token
    )
    assert profile["user_profile"]["notification_type"] == 3


async def test_unknown_users_are_a_400(api: Api, token: str) -> None:
    status, answer = await api.call("get_profile", {"user_id": 1}, token=token)
    assert status == 400 and answer["success"] is False and "1" in answer["error_message"]


async def test_multipart_photo_and_club(api: Api, token: str) -> None:
    photo = aiohttp.FormData()
    photo.add_field(
        "file", b"\xff\xd8\xff fake jpeg", filename="image.jpg", content_type="image/jpeg"
    )
    answer = await api.ok("update_photo", data=photo, token=token)
    assert answer["photo_url"].startswith("https://")
    me = await api.ok("me", token=token)
    assert me["user_profile"]["photo_url"] == answer["photo_url"]

    form = aiohttp.FormData()
    form.add_field("name", "Multipart Makers")
    form.add_field("is_community", "true")
    form.add_field("topic_ids", "1,2")
    form.add_field("file", b"png", filename="club.png", content_type="image/png")
    created = await api.ok("create_club", data=form, token=token)
    club = await api.ok("get_club", {"club_id": created["club_id"]}, token=token)
    assert club["is_admin"] is True and club["club"]["is_community"] is True
    assert [t["id"] for t in club["topics"]] == [1, 2]
    assert club["club"]["photo_url"]

    again = aiohttp.FormData()
    again.add_field("club_id", str(created["club_id"]))
    again.add_field("file", b"png2", filename="club.png", content_type="image/png")
    updated = await api.ok("update_club_photo", data=again, token=token)
    assert updated["photo_url"] != club["club"]["photo_url"]

    missing = aiohttp.FormData()
    missing.add_field("club_id", str(created["club_id"]))
    missing.add_field("file", "not a file")
    status, answer = await api.call("update_club_photo", data=missing, token=token)
    assert (status, answer["error_message"]) == (400, "file must be an uploaded file")


async def test_create_club_also_takes_json(api: Api, token: str) -> None:
    created = await api.ok("create_club", {"name": "Json Club", "topic_ids": [3]}, token=token)
    members = await api.ok(
        "get_club_members", method="GET", params={"club_id": str(created["club_id"])}, token=token
    )
    assert [u["is_admin"] for u in members["users"]] == [True]
