"""Running the command line in tests: through click's runner, as a process, on a pty.

`Cli` runs ``aioclubhouse`` in this process through click's test runner; from an
async test (whose loop serves the emulator) it runs in a worker thread, so the
command's own event loop and the emulator's run side by side.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from aioclubhouse import Credentials
from aioclubhouse.cli.app import cli as root
from aioclubhouse.emulator import Emulator
from aioclubhouse.profiles import DEFAULT_PROFILE, Profiles

PHONE = "+15550107777"


class Cli:
    """``aioclubhouse ARGS...`` through click's test runner."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(
        self, *args: str, input: str | None = None, env: Mapping[str, str] | None = None
    ) -> Result:
        return self.runner.invoke(
            root, list(args), input=input, env=dict(env or {}), prog_name="aioclubhouse"
        )

    async def run(
        self, *args: str, input: str | None = None, env: Mapping[str, str] | None = None
    ) -> Result:
        """From an async test: the command runs in a thread while the loop serves."""
        return await asyncio.to_thread(self, *args, input=input, env=env)


def save_login(
    emulator: Emulator,
    *,
    name: str = "Cli Tester",
    profile: str = DEFAULT_PROFILE,
    base_url: str | None = None,
    phone: str | None = None,
) -> int:
    """Log a new user in at ``emulator`` and save it as ``profile``; the user id."""
    login = emulator.login(phone, name=name)
    credentials = Credentials(
        user_id=login["user_id"],
        auth_token=login["auth_token"],
        access_token=login["access_token"],
        refresh_token=login["refresh_token"],
        device_id=login["device_id"],
        base_url=base_url or emulator.base_url,
    )
    Profiles().save(profile, credentials)
    user_id: int = login["user_id"]
    return user_id


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def command_env(**extra: str) -> dict[str, str]:
    """The environment of a command run as a process (the test's, with its config)."""
    return {**os.environ, "PYTHONWARNINGS": "ignore", **extra}


async def run_process(
    *args: str,
    env: Mapping[str, str] | None = None,
    limit: float = 60,
    module: str = "aioclubhouse",
) -> tuple[int, str, str]:
    """``python -m MODULE ARGS...`` as a process: exit code, stdout, stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=dict(env or command_env()),
    )
    out, err = await asyncio.wait_for(process.communicate(), limit)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def venv_bin() -> Path:
    """Where the console script ``aioclubhouse`` is installed next to this Python."""
    return Path(sys.executable).parent


def in_room(emulator: Emulator, channel: str, user_id: int) -> bool:
    room = emulator.world.state.rooms.get(channel)
    return room is not None and user_id in room.users


def one_line(text: str) -> bool:
    return len(text.strip().splitlines()) == 1


def no_traceback(*texts: str) -> bool:
    return all("Traceback" not in text for text in texts)


def args_list(command: str) -> Sequence[str]:
    import shlex

    return shlex.split(command)
