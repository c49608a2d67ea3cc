"""``bridge`` and ``fleet`` on the command line: the emulator, a real nats-server, and the
stream read back."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
from pathlib import Path

from nats.aio.client import Client

from aioclubhouse import Credentials
from aioclubhouse.bridge import Outgoing
from aioclubhouse.bridge.format import event_type, to_record
from aioclubhouse.emulator import Emulator
from aioclubhouse.fleet.local_nats import LocalNatsServer, free_port
from aioclubhouse.rooms.realtime_events import HandRaised
from tests.bridge.events import room_event
from tests.support.nats import read_stream
from tests.support.waiting import until

from .support import Cli, command_env, in_room, no_traceback, one_line
from .test_listen_and_events import host_session

EVENTS = "CLUBHOUSE_EVENTS"


def save_accounts(emulator: Emulator, folder: Path, count: int) -> list[int]:
    """``count`` accounts logged in at ``emulator``, saved in ``folder``; their user ids."""
    folder.mkdir(parents=True, exist_ok=True)
    users = []
    for number in range(count):
        login = emulator.login(name=f"Fleet Listener {number}")
        Credentials(
            user_id=login["user_id"],
            auth_token=login["auth_token"],
            device_id=login["device_id"],
            base_url=emulator.base_url,
        ).save(folder / f"account-{number}.json")
        users.append(login["user_id"])
    return users


async def test_bridge_sends_a_room_into_jetstream_until_it_ends(
    clubhouse_emulator: Emulator,
    cli: Cli,
    logged_in: int,
    nats_server: LocalNatsServer,
    nats_client: Client,
) -> None:
    async with await host_session(clubhouse_emulator) as host:
        created = await host.create_channel(topic="cli bridge")
        channel = created.channel
        bridging = asyncio.ensure_future(
            cli.run("bridge", channel, "--to", f"nats:{nats_server.url}")
        )
        await until(lambda: in_room(clubhouse_emulator, channel, logged_in), what="the join")
        await clubhouse_emulator.hub.wait_for_parked_polls()
        for number in range(5):
            clubhouse_emulator.hub.publish(
                f"channel_all.{channel}",
                {
                    "action": "raise_hands",
                    "channel": channel,
                    "user_profile": {"user_id": 5000 + number, "name": f"Hand {number}"},
                },
            )
        await host.end_channel(channel)
        result = await asyncio.wait_for(bridging, 60)
    assert result.exit_code == 0, result.output
    assert f"Bridging {channel} to nats:{nats_server.url}" in result.stderr
    assert re.search(
        rf"{channel}: \d+ events sent to nats:\S+, 0 dropped; left \(ended\)", result.stdout
    )
    found = await read_stream(nats_client, EVENTS)
    raised = [record for subject, _, record in found if record["type"] == event_type(HandRaised)]
    assert sorted(record["user"]["user_id"] for record in raised) == list(range(5000, 5005))
    assert all(
        subject.startswith(f"clubhouse.rooms.{channel}.") and headers["Nats-Msg-Id"] == record["id"]
        for subject, headers, record in found
    )
    assert len({record["id"] for _, _, record in found}) == len(found)
    assert not in_room(clubhouse_emulator, channel, logged_in)


async def test_bridge_replay_sends_a_dead_letter_file_once_into_jetstream(
    cli: Cli, nats_server: LocalNatsServer, nats_client: Client, tmp_path: Path
) -> None:
    events = [room_event(number, "room1234") for number in range(3)]
    lines = [json.dumps(to_record(event)) for event in events]
    dead = tmp_path / "dead.jsonl"
    for _ in range(2):  # the same file twice: JetStream drops the second by id
        dead.write_text("\n".join(lines) + "\n")
        result = await cli.run("bridge", "replay", str(dead), "--to", f"nats:{nats_server.url}")
        assert result.exit_code == 0, result.output
        assert "Replayed 3 events to nats:" in result.stdout and "3 delivered" in result.stdout
        assert not dead.exists()
    found = await read_stream(nats_client, EVENTS)
    assert sorted(record["id"] for _, _, record in found) == sorted(
        Outgoing.of(event).id for event in events
    )


async def test_a_two_worker_fleet_covers_the_rooms_and_hands_them_back_on_sigterm(
    clubhouse_emulator: Emulator,
    cli: Cli,
    logged_in: int,
    nats_server: LocalNatsServer,
    nats_client: Client,
    tmp_path: Path,
) -> None:
    live = [room.channel for room in clubhouse_emulator.world.rooms.feed(logged_in)]
    halves = [tmp_path / "a", tmp_path / "b"]
    users = [save_accounts(clubhouse_emulator, half, len(live)) for half in halves]
    nats = ["--nats", nats_server.url]

    queued = await cli.run("fleet", "discover", "--once", *nats)
    assert queued.exit_code == 0, queued.output
    assert queued.stdout.strip() == f"Queued {len(live)} rooms"

    workers = []
    for number, half in enumerate(halves):
        workers.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "aioclubhouse",
                "fleet",
                "work",
                "--accounts",
                str(half),
                "--name",
                f"worker-{number}",
                "--heartbeat",
                "0.2",
                *nats,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=command_env(),
            )
        )
    try:
        for worker in workers:  # announced once SIGTERM stops it cleanly
            assert worker.stderr is not None
            line = await asyncio.wait_for(worker.stderr.readline(), 60)
            assert line.startswith(b"Covering rooms of"), line

        async def covered() -> list[dict[str, object]]:
            looked = await cli.run("fleet", "status", "--json", *nats)
            assert looked.exit_code == 0, looked.output
            rooms: list[dict[str, object]] = json.loads(looked.stdout)["rooms"]
            return [room for room in rooms if room["state"] == "covered"]

        async def all_covered() -> bool:
            return {room["room"] for room in await covered()} == set(live)

        await until(all_covered, what="every room covered", limit=90)
        rooms = await covered()
        holders = {room["room"]: room["account"] for room in rooms}
        # The emulator's truth: each room holds the one account the status names.
        every = set(users[0] + users[1])
        for channel, account in holders.items():
            inside = every & set(clubhouse_emulator.world.state.rooms[channel].users)
            assert inside == {account}
        table = await cli.run("fleet", "status", *nats)
        assert f"{len(live)} covered by" in table.stdout
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        outcomes = [await asyncio.wait_for(worker.communicate(), 60) for worker in workers]
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.kill()
                await worker.wait()
    assert [worker.returncode for worker in workers] == [0, 0]
    done = [out.decode() for out, _ in outcomes]
    assert sum(int(re.findall(r"covered (\d+) rooms", text)[0]) for text in done) >= len(live)
    assert all(no_traceback(err.decode()) for _, err in outcomes)
    assert not any(clubhouse_emulator.world.rooms.room_of(user) for user in users[0] + users[1])
    looked = await cli.run("fleet", "status", "--json", *nats)
    states = {room["room"]: room["state"] for room in json.loads(looked.stdout)["rooms"]}
    assert all(states[channel] == "released" for channel in live)
    found = await read_stream(nats_client, EVENTS)
    assert found and {record["room"] for _, _, record in found} <= set(live)


async def test_fleet_work_under_emulator_runs_a_whole_fleet_and_ends(cli: Cli) -> None:
    result = await cli.run(
        "--emulator", "fleet", "work", "--emulator-accounts", "2", "--seconds", "12"
    )
    assert result.exit_code == 0, result.output
    assert "a local nats-server at nats://127.0.0.1:" in result.stderr
    assert re.fullmatch(r"Worker \S+ covered [12] rooms", result.stdout.strip()), result.output


async def test_fleet_commands_refuse_bad_input_in_one_line(
    clubhouse_emulator: Emulator, cli: Cli, nats_server: LocalNatsServer, tmp_path: Path
) -> None:
    accounts = tmp_path / "accounts"
    save_accounts(clubhouse_emulator, accounts, 1)
    (accounts / "broken.json").write_text('{"user_id": 5, "auth_token": ')
    (accounts / "broken.json").chmod(0o600)
    nats = ["--nats", nats_server.url]

    needs = await cli.run("fleet", "work", *nats)
    assert needs.exit_code == 2 and "needs --accounts DIR" in needs.stderr

    broken = await cli.run("fleet", "work", "--accounts", str(accounts), *nats)
    assert broken.exit_code == 2, broken.output
    assert "error: accounts:" in broken.stderr and "broken.json is not valid JSON" in broken.stderr
    assert one_line(broken.stderr)

    (accounts / "broken.json").unlink()
    nowhere = f"nats://127.0.0.1:{free_port()}"
    unreachable = await cli.run("fleet", "work", "--accounts", str(accounts), "--nats", nowhere)
    assert (
        unreachable.exit_code != 0 and f"cannot connect to NATS at {nowhere}" in unreachable.stderr
    )
    assert unreachable.exit_code == 1  # the network failed
    assert unreachable.stderr.count("error:") == 1 and no_traceback(unreachable.output)

    wrong = await cli.run("fleet", "status", "--nats", "http://127.0.0.1:4222")
    assert wrong.exit_code == 2 and "is not a NATS URL" in wrong.stderr

    empty = await cli.run("fleet", "status", *nats)
    assert empty.exit_code == 0 and "0 covered by 0 workers" in empty.stdout
    assert (
        clubhouse_emulator.world.rooms.room_of(
            json.loads((accounts / "account-0.json").read_text())["user_id"]
        )
        is None
    )


async def test_bridge_under_emulator_writes_the_fullest_room_to_a_file(
    cli: Cli, tmp_path: Path
) -> None:
    result = await cli.run("--emulator", "bridge", "--to", "jsonl:events.jsonl", "--seconds", "2")
    assert result.exit_code == 0, result.output
    room = re.fullmatch(
        r"(\S+): (\d+) events sent to jsonl:events.jsonl, 0 dropped; left \(\w+\)",
        result.stdout.strip(),
    )
    assert room is not None, result.output
    records = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert len(records) == int(room.group(2)) and records[0]["type"] == "connected"
    assert {record["room"] for record in records} == {room.group(1)}
