"""The state file: one versioned format, the previous format still read, owner-only, atomic."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from aioclubhouse.emulator import STATE_VERSION, Emulator, EmulatorConfig, StateFileError
from aioclubhouse.emulator.state import upgrade, write_state_file

VERSION_1_FILE = Path(__file__).parent / "data" / "state-v1.json"
"""Written by the emulator of format version 1 (seed 11, a small sample world) after
Vera (+15550009999, user 1012) logged in and a message was published to her."""
VERA_PHONE = "+15550009999"
VERA_ID = 1012
SMALL = {"sample_users": 12, "sample_clubs": 2, "sample_rooms": 1}


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def names_in(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


async def test_saved_state_is_flat_versioned_and_owner_only(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator.json"
    state_file.write_text("{}")
    state_file.chmod(0o644)  # an old file readable by others is replaced, not reused
    config = EmulatorConfig(seed=4, state_file=tmp_path / "absent.json", **SMALL)
    async with Emulator(config) as emu:
        emu.login(name="Token Holder")
        emu.save_state(state_file)

    saved = json.loads(state_file.read_text())
    assert set(saved) == {"version", "world", "pubnub"}
    assert saved["version"] == STATE_VERSION
    assert "version" not in saved["world"] and "world" not in saved["world"]
    assert "version" not in saved["pubnub"]
    assert mode_of(state_file) == 0o600
    assert mode_of(tmp_path / "absent.json") == 0o600
    assert names_in(tmp_path) == ["absent.json", "emulator.json"]  # no partial file left


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator.json"
    state_file.write_text('{"version": 2}')

    with pytest.raises(TypeError):
        write_state_file(state_file, {"version": STATE_VERSION, "world": {1, 2}, "pubnub": {}})

    assert state_file.read_text() == '{"version": 2}'
    assert names_in(tmp_path) == ["emulator.json"]


async def test_a_version_1_file_is_read_and_saved_again_as_the_current_format(
    tmp_path: Path,
) -> None:
    state_file = tmp_path / "old.json"
    state_file.write_bytes(VERSION_1_FILE.read_bytes())
    old = json.loads(state_file.read_text())
    token = next(iter(old["pubnub"]["grants"]))

    config = EmulatorConfig(seed=11, state_file=state_file, **SMALL)
    async with Emulator(config) as emu, aiohttp.ClientSession() as http:
        vera = emu.world.accounts.by_phone(VERA_PHONE)
        assert vera is not None and vera.user_id == VERA_ID
        assert len(emu.world.state.users) == len(old["world"]["world"]["users"])
        messages = emu.hub.messages(f"users.{VERA_ID}")
        assert [message.payload for message in messages] == [{"action": "kept", "n": 1}]
        assert emu.hub.is_allowed(token, f"users.{VERA_ID}")
        assert emu.hub.publish(f"users.{VERA_ID}", {"n": 2}) > messages[0].timetoken
        headers = {"Authorization": f"Token {token}"}
        async with http.post(emu.base_url + "me", json={}, headers=headers) as response:
            assert response.status == 200
            assert (await response.json())["user_profile"]["user_id"] == VERA_ID

    saved = json.loads(state_file.read_text())
    assert saved["version"] == STATE_VERSION
    assert saved["world"]["users"][str(VERA_ID)]["phone_number"] == VERA_PHONE
    assert mode_of(state_file) == 0o600


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ({"world": {}, "pubnub": {}}, "(no format version); this emulator reads versions 1 to 2"),
        (
            {"version": STATE_VERSION + 1, "world": {}, "pubnub": {}},
            f"format version {STATE_VERSION + 1} comes from a newer emulator; "
            f"this emulator reads versions 1 to {STATE_VERSION}",
        ),
        ({"version": 0}, "format version 0 is too old; this emulator reads versions 1 to 2"),
        ({"version": "2"}, "format version '2' is not a number"),
        ([1, 2], "not an emulator state (expected a JSON object)"),
        ({"version": 2, "world": {}}, "without its 'pubnub' section"),
        ({"version": 1, "world": {"version": 1}, "pubnub": {"version": 1}}, "without its world"),
        ({"version": 1, "world": {"world": {}}, "pubnub": {}}, "without a version 1 'world'"),
    ],
)
def test_unusable_documents_are_refused_naming_the_source_and_versions(
    document: Any, complaint: str
) -> None:
    with pytest.raises(StateFileError) as refused:
        upgrade(document, "saved.json")
    assert str(refused.value).startswith("saved.json: ")
    assert complaint in str(refused.value)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"version": 99}), "format version 99 comes from a newer emulator"),
        (
            json.dumps({"version": STATE_VERSION, "world": {"users": 5}, "pubnub": {}}),
            "cannot be loaded",
        ),
    ],
)
def test_the_emulator_refuses_a_bad_state_file_by_name(
    tmp_path: Path, text: str, complaint: str
) -> None:
    state_file = tmp_path / "bad.json"
    state_file.write_text(text)
    with pytest.raises(StateFileError, match=complaint) as refused:
        Emulator(state_file=state_file)
    assert str(state_file) in str(refused.value)


def test_the_command_line_names_the_bad_state_file_and_exits_2(tmp_path: Path) -> None:
    state_file = tmp_path / "future.json"
    state_file.write_text(json.dumps({"version": 99, "world": {}, "pubnub": {}}))
    finished = subprocess.run(
        [sys.executable, "-m", "aioclubhouse.emulator", "--port", "0", "--state", str(state_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 2
    assert str(state_file) in finished.stderr
    assert "format version 99 comes from a newer emulator" in finished.stderr
    assert "Traceback" not in finished.stderr
