"""Rooms over HTTP, with the realtime side checked through the real `pubnub` client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from aioclubhouse.emulator.errors import ROOM_GONE
from aioclubhouse.emulator.models import Room

from ..support.waiting import until
from .api_support import Api, open_api
from .pubnub_testkit import ClientFactory

JOIN_KEYS = {
    "creator_user_profile_id",
    "channel_id",
    "channel",
    "topic",
    "is_private",
    "is_social_mode",
    "url",
    "club",
    "club_name",
    "club_id",
    "welcome_for_user_profile",
    "is_handraise_enabled",
    "handraise_permission",
    "is_club_member",
    "is_club_admin",
    "users",
    "success",
    "is_empty",
    "should_leave",
    "token",
    "rtm_token",
    "pubnub_token",
    "pubnub_origin",
    "pubnub_heartbeat_value",
    "pubnub_heartbeat_interval",
    "pubnub_enable",
    "agora_native_mute",
    "feature_flags",
}


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    async with open_api() as api:
        yield api


def _busiest_room(api: Api) -> Room:
    return max(api.emulator.world.state.rooms.values(), key=lambda r: len(r.users))


def _moderator_token(api: Api, room: Room) -> tuple[int, str]:
    moderator = room.moderators()[0]
    return moderator, api.emulator.world.issue_tokens(moderator)["auth_token"]


async def test_join_answer_has_everything_a_client_needs(api: Api) -> None:
    room = _busiest_room(api)
    me = api.emulator.login()
    joined = await api.ok("join_channel", {"channel": room.channel}, token=me["auth_token"])
    assert set(joined) >= JOIN_KEYS
    assert joined["pubnub_origin"] == api.emulator.origin
    assert (joined["pubnub_heartbeat_value"], joined["pubnub_heartbeat_interval"]) == (60, 29)
    assert joined["pubnub_enable"] is True
    assert joined["token"].startswith("006938de3e8055e42b281bb8c6f69c21f78")
    assert me["user_id"] in [u["user_id"] for u in joined["users"]]
    hub = api.emulator.hub
    uid = me["user_id"]
    for channel in (
        f"channel_all.{room.channel}",
        f"channel_user.{room.channel}.{uid}",
        f"users.{uid}",
    ):
        assert hub.is_allowed(joined["pubnub_token"], channel)
    # A listener does not read the speakers' channel (only those on stage do).
    assert not hub.is_allowed(joined["pubnub_token"], f"channel_speakers.{room.channel}")
    assert not hub.is_allowed(joined["pubnub_token"], f"channel_user.{room.channel}.{uid + 1}")
    listed = await api.ok("get_channel", {"channel": room.channel}, token=me["auth_token"])
    assert listed["should_leave"] is False and listed["channel_id"] == room.channel_id
    again = await api.ok("join_channel", {"channel": room.channel}, token=me["auth_token"])
    assert again["pubnub_token"] == joined["pubnub_token"]


async def test_create_channel_answers_like_join(api: Api) -> None:
    me = api.emulator.login()
    created = await api.ok("create_channel", {"topic": "Made over HTTP"}, token=me["auth_token"])
    assert set(created) >= JOIN_KEYS
    [member] = created["users"]
    assert member["user_id"] == me["user_id"] and member["is_moderator"] is True
    feed = await api.ok("get_channels", method="GET", token=api.emulator.login()["auth_token"])
    assert created["channel"] in [c["channel"] for c in feed["channels"]]


async def test_speaker_flow_reaches_a_real_pubnub_client(
    api: Api, pubnub_client: ClientFactory
) -> None:
    room = _busiest_room(api)
    ch = room.channel
    moderator, moderator_token = _moderator_token(api, room)
    guest = api.emulator.login(name="Gus Guest")
    uid, token = guest["user_id"], guest["auth_token"]
    joined = await api.ok("join_channel", {"channel": ch}, token=token)

    client = pubnub_client(api.emulator.origin, user_id=str(uid), token=joined["pubnub_token"])
    channels = [f"channel_all.{ch}", f"channel_user.{ch}.{uid}", f"users.{uid}"]
    client.subscribe(channels)
    await client.listener.connected()

    def received(channel: str, action: str) -> list[dict[str, Any]]:
        payloads = client.listener.unique_payloads(channel)
        return [p for p in payloads if p.get("action") == action]

    await api.ok("audience_reply", {"channel": ch, "raise_hands": True}, token=token)
    raised = api.emulator.hub.messages(f"channel_speakers.{ch}")[-1].payload
    assert raised["action"] == "raise_hands" and raised["user_profile"]["user_id"] == uid

    await api.ok("invite_speaker", {"channel": ch, "user_id": uid}, token=moderator_token)
    await until(lambda: bool(received(channels[1], "invite_speaker")), what="invite")
    [invite] = received(channels[1], "invite_speaker")
    assert invite["from_user_id"] == moderator and invite["channel"] == ch

    accepted = await api.ok(
        "accept_speaker_invite", {"channel": ch, "user_id": moderator}, token=token
    )
    assert accepted["pubnub_token"] == joined["pubnub_token"]
    assert accepted["token"] != joined["token"]

    def added() -> list[dict[str, Any]]:
        return [
            m for m in received(channels[0], "add_speaker") if m["user_profile"]["user_id"] == uid
        ]

    await until(lambda: bool(added()), what="add_speaker")
    assert added()[0]["user_profile"]["is_speaker"] is True

    await api.ok("end_channel", {"channel": ch}, token=moderator_token)
    await until(lambda: bool(received(channels[0], "end_channel")), what="end_channel")
    assert not api.emulator.hub.is_allowed(joined["pubnub_token"], channels[0])
    status, answer = await api.call("get_channel", {"channel": ch}, token=token)
    assert (status, answer) == (400, {"success": False, "error_message": ROOM_GONE})
    status, answer = await api.call("join_channel", {"channel": ch}, token=token)
    assert (status, answer["error_message"]) == (400, ROOM_GONE)


async def test_listeners_get_403_for_moderator_actions(api: Api) -> None:
    room = _busiest_room(api)
    me = api.emulator.login()
    await api.ok("join_channel", {"channel": room.channel}, token=me["auth_token"])
    target = next(uid for uid in room.users if uid != me["user_id"])
    for name in ("invite_speaker", "mute_speaker", "make_moderator", "block_from_channel"):
        status, answer = await api.call(
            name, {"channel": room.channel, "user_id": target}, token=me["auth_token"]
        )
        assert (status, answer["success"]) == (403, False), name
        assert "moderators" in answer["error_message"]
    for name in ("end_channel", "make_channel_public", "make_channel_social"):
        status, _ = await api.call(name, {"channel": room.channel}, token=me["auth_token"])
        assert status == 403
    assert room.channel in api.emulator.world.state.rooms


async def test_active_ping_says_when_to_leave(api: Api) -> None:
    room = _busiest_room(api)
    me = api.emulator.login()
    token = me["auth_token"]
    await api.ok("join_channel", {"channel": room.channel}, token=token)
    ping = {"channel": room.channel, "chanel_id": None}
    assert await api.ok("active_ping", ping, token=token) == {
        "should_leave": False,
        "success": True,
    }
    await api.ok("leave_channel", {"channel": room.channel}, token=token)
    assert (await api.ok("active_ping", ping, token=token))["should_leave"] is True
    await api.ok("leave_channel", {"channel": room.channel}, token=token)
    listed = await api.ok("get_channel", {"channel": room.channel}, token=token)
    assert listed["should_leave"] is True


async def test_new_channel_invitations_over_http(api: Api) -> None:
    host, guest = api.emulator.login(name="Hal Host"), api.emulator.login(name="Gia Guest")
    invite = await api.ok(
        "invite_to_new_channel", {"user_id": guest["user_id"]}, token=host["auth_token"]
    )
    message = api.emulator.hub.messages(f"users.{guest['user_id']}")[-1].payload
    assert message["channel_invite_id"] == invite["channel_invite_id"]
    accepted = await api.ok(
        "accept_new_channel_invite",
        {"channel_invite_id": invite["channel_invite_id"]},
        token=guest["auth_token"],
    )
    joined = await api.ok("join_channel", accepted, token=guest["auth_token"])
    assert joined["is_private"] is True
    assert {u["user_id"] for u in joined["users"]} == {host["user_id"], guest["user_id"]}
    told = api.emulator.hub.messages(f"users.{host['user_id']}")[-1].payload
    assert told["action"] == "accept_new_channel_invite" and told["channel"] == accepted["channel"]


async def test_room_chat_and_links(api: Api) -> None:
    me = api.emulator.login()
    token = me["auth_token"]
    room = await api.ok("create_channel", {"topic": "Chatty"}, token=token)
    ch = room["channel"]
    await api.ok("send_channel_message", {"channel": ch, "message": "first"}, token=token)
    await api.ok("send_channel_message", {"channel": ch, "message": "second"}, token=token)
    newest = await api.ok("get_channel_messages", method="GET", params={"channel": ch}, token=token)
    assert [m["message"] for m in newest["messages"]] == ["second", "first"]
    link = await api.ok(
        "add_channel_link", {"channel": ch, "link": "https://example.org"}, token=token
    )
    listed = await api.ok("get_channel", {"channel": ch}, token=token)
    assert listed["links"][0]["link_id"] == link["link"]["link_id"]
    await api.ok(
        "remove_channel_link", {"channel": ch, "link": link["link"]["link_id"]}, token=token
    )
    assert (await api.ok("get_channel", {"channel": ch}, token=token))["links"] == []


async def test_welcome_room_for_a_newcomer(api: Api) -> None:
    await api.ok("start_phone_number_auth", {"phone_number": "+14155550777"})
    login = await api.ok(
        "complete_phone_number_auth",
        {"phone_number": "+14155550777", "verification_code": "123456"},
    )
    token = login["auth_token"]
    welcome = await api.ok("get_welcome_channel", method="GET", token=token)
    assert welcome["is_empty"] is False
    assert welcome["welcome_for_user_profile"]["user_id"] == login["user_profile"]["user_id"]
    await api.ok("reject_welcome_channel", method="GET", token=token)
    actions = [
        m.payload["action"] for m in api.emulator.hub.messages(f"channel_all.{welcome['channel']}")
    ]
    assert actions[-2:] == ["reject_welcome_channel", "end_channel"]
