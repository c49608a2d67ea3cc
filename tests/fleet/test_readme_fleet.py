"""The README's two-worker fleet runs as written, and ends by itself.

The Fleet section's shell blocks run in order in one ``bash`` (a session of its own,
ended whatever happens), in an empty folder, with
the command line and ``nats-server`` of this environment on the PATH.  The exceptions to
"as written": NATS and the emulator get free ports instead of 4222 and 8080 (the
commands that name those ports get the same, and ``$AIOCLUBHOUSE_NATS_URL`` names NATS's
for those that name none), and ``--seconds 60`` is ``--seconds 20``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sys
from pathlib import Path

from aioclubhouse.fleet.local_nats import free_port

README = Path(__file__).resolve().parents[2] / "README.md"


def fleet_script() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Fleet")
    section = text[start : text.index("\n## ", start + 1)]
    return "".join(block.split("```", 1)[0] for block in section.split("```sh\n")[1:])


def test_the_section_shows_the_three_commands_of_a_two_worker_fleet() -> None:
    script = fleet_script()
    assert "aioclubhouse emulator --port 8080" in script
    assert script.count("aioclubhouse fleet work --accounts") == 2
    assert "fleet discover" in script and "aioclubhouse fleet status" in script


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


async def test_the_readme_fleet_runs_and_ends(tmp_path: Path) -> None:
    nats_port, api_port = free_port(), free_port()
    script = fleet_script().replace("4222", str(nats_port)).replace("8080", str(api_port))
    script = script.replace("--seconds 60", "--seconds 20")
    nats = f"nats://127.0.0.1:{nats_port}"  # where the commands look for NATS by default
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    log = tmp_path / "out.txt"
    with log.open("wb") as out:  # a file: what the script leaves running cannot hold it open
        process = await asyncio.create_subprocess_exec(
            "bash", "-c", script,
            cwd=tmp_path, stdout=out, stderr=asyncio.subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PATH": path, "AIOCLUBHOUSE_NATS_URL": nats},
        )  # fmt: skip
    try:
        await asyncio.wait_for(process.wait(), 120)
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever it started, should it fail
            os.killpg(process.pid, signal.SIGTERM)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert process.returncode == 0, text
    assert re.search(r"\d+ covered by [12] workers", text), text
    assert len(re.findall(r"Worker \S+ covered [1-9]\d* rooms", text)) == 2, text
    assert "Queued" in text and "Traceback" not in text
    for port in (nats_port, api_port):  # the last line stopped NATS and the emulator
        for _ in range(100):
            if not listening(port):
                break
            await asyncio.sleep(0.1)
        assert not listening(port)
