"""Presence through the real `pubnub` client: join/timeout events and here_now."""

from __future__ import annotations

import time

from pubnub.enums import PNStatusCategory

from ..support.waiting import until
from .pubnub_testkit import ClientFactory, RunningHub

ROOM = "channel_all.abcdefgh"


async def test_subscribers_are_announced_and_listed(
    running_hub: RunningHub, pubnub_client: ClientFactory
) -> None:
    hub = running_hub.hub
    hub.grant("token-alice", 1, [ROOM, "users.1"])
    hub.grant("token-bob", 2, [ROOM])
    alice = pubnub_client(running_hub.origin, user_id="1", token="token-alice")
    bob = pubnub_client(running_hub.origin, user_id="2", token="token-bob")
    alice.subscribe([ROOM, "users.1"], with_presence=True)
    await alice.listener.connected()
    bob.subscribe([ROOM])
    await bob.listener.connected()

    await until(
        lambda: any(event.uuid == "2" for event in alice.listener.presence_events),
        what="bob's join",
    )
    bob_joined = next(event for event in alice.listener.presence_events if event.uuid == "2")
    assert (bob_joined.event, bob_joined.channel, bob_joined.occupancy) == ("join", ROOM, 2)

    single = await alice.pubnub.here_now().channels([ROOM]).include_uuids(True).future()
    assert single.result.total_occupancy == 2
    [room] = single.result.channels
    assert sorted(occupant.uuid for occupant in room.occupants) == ["1", "2"]

    several = await alice.pubnub.here_now().channels([ROOM, "users.1"]).future()
    occupancy = {channel.channel_name: channel.occupancy for channel in several.result.channels}
    assert occupancy == {ROOM: 2, "users.1": 1}
    assert several.result.total_occupancy == 3


async def test_silent_subscriber_times_out(
    running_hub: RunningHub, pubnub_client: ClientFactory
) -> None:
    hub = running_hub.hub
    hub.grant("token-alice", 1, [ROOM])
    hub.grant("token-bob", 2, [ROOM])
    alice = pubnub_client(running_hub.origin, user_id="1", token="token-alice")
    alice.subscribe([ROOM], with_presence=True)
    await alice.listener.connected()
    bob = pubnub_client(running_hub.origin, user_id="2", token="token-bob")
    bob.pubnub.config.set_presence_timeout(20)  # heartbeat=20 on his subscribes; alice 300
    bob.subscribe([ROOM])
    await until(lambda: hub.presence.occupants(ROOM) == ["1", "2"], what="both present")
    bob.pubnub.unsubscribe_all()  # no leave is sent with the presence heartbeat off
    bob.subscribed = False
    await bob.pubnub.stop()
    await until(lambda: not hub.is_polling("2", ROOM), what="bob's last poll gone")

    # A minute on: past bob's 20 s since his last sign of life, within alice's 300 s.
    # (Checked at once: a request bob sent before stopping may still reach the hub.)
    hub.sweep(time.time() + 60)
    assert hub.presence.occupants(ROOM) == ["1"]
    await until(
        lambda: any(event.event == "timeout" for event in alice.listener.presence_events),
        what="bob's timeout reaching alice",
    )
    timeout = next(event for event in alice.listener.presence_events if event.event == "timeout")
    assert (timeout.uuid, timeout.channel) == ("2", ROOM)


async def test_here_now_needs_a_grant(
    running_hub: RunningHub, pubnub_client: ClientFactory
) -> None:
    client = pubnub_client(running_hub.origin, user_id="1", token="unknown")

    envelope = await client.pubnub.here_now().channels([ROOM]).future()

    assert envelope.status.is_error()
    assert envelope.status.category == PNStatusCategory.PNAccessDeniedCategory


async def test_a_parked_long_poll_alone_does_not_keep_a_client_present(
    running_hub: RunningHub, pubnub_client: ClientFactory
) -> None:
    """PubNub counts a subscribe as a sign of life when it arrives and when it is
    answered; a poll parked past the presence timeout keeps nobody present."""
    hub = running_hub.hub
    hub.config.poll_timeout = 600.0  # nothing answers the poll during the test
    now = [time.time()]
    hub.clock = lambda: now[0]
    hub.grant("token-bob", 2, [ROOM])
    bob = pubnub_client(running_hub.origin, user_id="2", token="token-bob")
    bob.pubnub.config.set_presence_timeout(20)
    bob.subscribe([ROOM])
    await until(lambda: hub.is_polling("2", ROOM), what="bob's parked poll")
    assert hub.presence.occupants(ROOM) == ["2"]

    now[0] += 15
    hub.sweep()
    assert hub.presence.occupants(ROOM) == ["2"]  # within the timeout
    now[0] += 10
    hub.sweep()
    assert hub.presence.occupants(ROOM) == []  # 25 s after the poll arrived
    assert hub.is_polling("2", ROOM)
    events = [m.payload for m in hub.messages(ROOM + "-pnpres")]
    assert [(e["action"], e["uuid"], e["occupancy"]) for e in events] == [
        ("join", "2", 1),
        ("timeout", "2", 0),
    ]

    # A heartbeat brings it back at once (a join), as on PubNub.
    await bob.pubnub.heartbeat().channels([ROOM]).future()
    assert hub.presence.occupants(ROOM) == ["2"]
    assert hub.messages(ROOM + "-pnpres")[-1].payload["action"] == "join"
