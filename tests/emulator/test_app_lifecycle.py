"""The assembled emulator: addresses, JSON errors, restarts that lose nothing, the state file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp

from aioclubhouse.emulator.app import Emulator
from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.state import STATE_VERSION

from ..support.waiting import until
from .pubnub_testkit import ClientFactory

ROOM = "channel_all.restartroom"


async def test_addresses_and_json_errors() -> None:
    async with Emulator(seed=1, poll_timeout=2.0) as emu:
        assert emu.port > 0
        assert emu.origin == f"127.0.0.1:{emu.port}"
        assert emu.base_url == f"http://127.0.0.1:{emu.port}/api/"
        assert emu.world.pubnub_origin == emu.origin
        async with aiohttp.ClientSession() as session:
            async with session.post(emu.base_url + "no_such_endpoint", json={}) as response:
                assert response.status == 404
                assert response.content_type == "application/json"
                assert isinstance(await response.json(), dict)
            async with session.get(f"http://{emu.origin}/no/such/path") as response:
                assert response.status == 404
                assert (await response.json())["error"] is True
            async with session.get(f"http://{emu.origin}/time/0") as response:
                assert response.status == 200
                assert isinstance((await response.json())[0], int)
    assert not emu.running


async def test_login_creates_once_per_phone_number() -> None:
    emu = Emulator(seed=1)
    first = emu.login(phone_number="+15550001111", name="Ada Lovelace")
    again = emu.login(phone_number="+15550001111")
    other = emu.login()

    assert set(first) == {"user_id", "auth_token", "access_token", "refresh_token", "device_id"}
    assert again["user_id"] == first["user_id"]
    assert again["auth_token"] != first["auth_token"]
    assert other["user_id"] != first["user_id"]
    assert emu.world.user(first["user_id"]).name == "Ada Lovelace"


async def test_restart_mid_stream_loses_nothing(pubnub_client: ClientFactory) -> None:
    async with Emulator(seed=1, poll_timeout=2.0) as emu:
        emu.hub.grant("token-listener", 1, [ROOM])
        client = pubnub_client(emu.origin, user_id="1", token="token-listener")
        client.subscribe([ROOM])
        await client.listener.connected()
        port = emu.port

        for number in range(250):  # more than two polls' worth, mostly undelivered yet
            emu.hub.publish(ROOM, {"number": number})
        await emu.restart(downtime=0.5)
        for number in range(250, 300):
            emu.hub.publish(ROOM, {"number": number})

        await until(
            lambda: len(client.listener.unique_payloads(ROOM)) >= 300, what="all 300 messages"
        )
        numbers = [payload["number"] for payload in client.listener.unique_payloads(ROOM)]
        assert numbers == list(range(300))
        assert emu.port == port


async def test_restart_keeps_the_world_and_grants() -> None:
    async with Emulator(seed=1, poll_timeout=2.0) as emu:
        credentials = emu.login(phone_number="+15550002222", name="Grace Hopper")
        emu.hub.grant("token-kept", credentials["user_id"], [ROOM])
        before = emu.hub.publish(ROOM, {"n": 1})
        old_world, old_hub = emu.world, emu.hub

        await emu.restart()

        assert emu.world is not old_world and emu.hub is not old_hub
        assert emu.world.user(credentials["user_id"]).name == "Grace Hopper"
        assert emu.hub.is_allowed("token-kept", ROOM)
        assert [message.timetoken for message in emu.hub.messages(ROOM)] == [before]
        assert emu.hub.publish(ROOM, {"n": 2}) > before
        assert emu.world.pubnub_origin == emu.origin


async def test_state_file_carries_everything_to_a_new_emulator(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator.json"
    config = EmulatorConfig(seed=4, state_file=state_file, poll_timeout=2.0)
    async with Emulator(config) as first:
        credentials = first.login(phone_number="+15550003333", name="Alan Turing")
        published = first.hub.publish(ROOM, {"n": "saved"})
    saved = json.loads(state_file.read_text())
    assert saved["version"] == STATE_VERSION
    assert set(saved) == {"version", "world", "pubnub"}

    async with Emulator(config) as second:
        assert second.world.accounts.by_phone("+15550003333") is not None
        assert second.world.user(credentials["user_id"]).name == "Alan Turing"
        assert [message.payload for message in second.hub.messages(ROOM)] == [{"n": "saved"}]
        assert second.hub.publish(ROOM, {"n": "later"}) > published


async def api_post(
    session: aiohttp.ClientSession, emu: Emulator, credentials: dict[str, Any], name: str, body: Any
) -> Any:
    headers = {
        "Authorization": f"Token {credentials['auth_token']}",
        "CH-UserID": str(credentials["user_id"]),
        "CH-DeviceId": credentials["device_id"],
    }
    async with session.post(emu.base_url + name, json=body, headers=headers) as response:
        assert response.status == 200, await response.text()
        return await response.json()


async def test_room_events_reach_a_joined_client_across_a_restart(
    pubnub_client: ClientFactory,
) -> None:
    async with Emulator(seed=5, poll_timeout=2.0) as emu, aiohttp.ClientSession() as session:
        listener, first_guest, second_guest = emu.login(), emu.login(), emu.login()
        feed = await api_post(session, emu, listener, "get_channels", {})
        channel = feed["channels"][0]["channel"]
        joined = await api_post(session, emu, listener, "join_channel", {"channel": channel})
        uid = listener["user_id"]
        room_channel = f"channel_all.{channel}"
        client = pubnub_client(
            joined["pubnub_origin"], user_id=str(uid), token=joined["pubnub_token"]
        )
        client.subscribe([room_channel, f"channel_user.{channel}.{uid}", f"users.{uid}"])
        await client.listener.connected()

        def joiners() -> list[int]:
            return [
                payload["user_profile"]["user_id"]
                for payload in client.listener.unique_payloads(room_channel)
                if payload["action"] == "join_channel"
            ]

        await api_post(session, emu, first_guest, "join_channel", {"channel": channel})
        await until(lambda: joiners() == [first_guest["user_id"]], what="first guest")
        await emu.restart(downtime=0.3)
        await api_post(session, emu, second_guest, "join_channel", {"channel": channel})

        await until(
            lambda: joiners() == [first_guest["user_id"], second_guest["user_id"]],
            what="second guest after the restart",
        )
