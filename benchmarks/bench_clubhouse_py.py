"""Against clubhouse-py: requests per second through each library, on one local server.

clubhouse-py (PyPI ``clubhouse-py``, the library many programs use today) is driven
the way such a program drives it, with a pool of 64 threads calling
``Clubhouse.get_profile``; the SDK with 64 tasks calling
``ClubhouseSession.get_profile``.  Both talk to the same local aiohttp server (a
separate process, the one ``bench_transport.py`` uses) in alternating rounds.
Target: the SDK does >= 7x clubhouse-py's requests per second (it did about 7.5x,
bounded by raw aiohttp's own ceiling on a 2-core machine), and must not fall.

clubhouse-py is never a dependency of the SDK: this script installs it (and
``requests``) into a virtual environment of its own under the user's cache directory
the first time, and runs it there, in a process of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import venv
from pathlib import Path

from bench_transport import free_port, run_sdk, serve, wait_until_up
from benchlib import figure, spread

TARGET = 7.0
THREADS = 64

DRIVER = """
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
from clubhouse.clubhouse import Clubhouse

base, total, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
client = Clubhouse(user_id="1", user_token="bench-token", user_device="bench-device")
client.API_URL = base.rstrip("/")
client.get_profile(user_id=4)
started = time.perf_counter()
with ThreadPoolExecutor(max_workers=threads) as pool:
    answers = list(pool.map(lambda _: client.get_profile(user_id=4), range(total)))
seconds = time.perf_counter() - started
assert all(answer.get("success") for answer in answers)
print(json.dumps({"rate": total / seconds, "cpu": time.process_time() / total}))
"""


def cache_venv() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "aioclubhouse-bench" / "clubhouse-py"


def clubhouse_py_python() -> str:
    """The interpreter of the cache venv, with clubhouse-py installed (done once)."""
    home = cache_venv()
    python = home / "bin" / "python"
    probe = [str(python), "-c", "import clubhouse.clubhouse"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return str(python)
    print(f"(installing clubhouse-py into {home}, once)")
    venv.EnvBuilder(with_pip=True, clear=True).create(home)
    # The library and what it imports (its standalone client's keyboard and rich are
    # never used here).
    for packages in (["requests"], ["--no-deps", "clubhouse-py==434.0.1"]):
        pip = [str(python), "-m", "pip", "install", "--quiet", *packages]
        done = subprocess.run(pip, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"could not install {packages[-1]}:\n{done.stderr}")
    subprocess.run(probe, check=True)
    return str(python)


def run_clubhouse_py(python: str, base: str, total: int) -> tuple[float, float]:
    done = subprocess.run(
        [python, "-c", DRIVER, base, str(total), str(THREADS)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["rate"]), float(result["cpu"])


async def run(arguments: argparse.Namespace) -> None:
    python = clubhouse_py_python()
    port = free_port()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(port,), daemon=True)
    server.start()
    loop = asyncio.get_running_loop()
    try:
        await wait_until_up(port)
        base = f"http://127.0.0.1:{port}/api/"
        await run_sdk(base, 500)  # warm-up
        theirs, ours = [], []
        for _ in range(arguments.rounds):
            rate, _ = await loop.run_in_executor(
                None, run_clubhouse_py, python, base, arguments.requests
            )
            theirs.append(rate)
            sdk_rate, _ = await run_sdk(base, arguments.sdk_requests)
            ours.append(sdk_rate)
    finally:
        server.terminate()
        server.join(5)
    ratios = spread([a / b for a, b in zip(ours, theirs, strict=True)])
    print(
        f"get_profile, clubhouse-py with {THREADS} threads vs the SDK with {THREADS} tasks, "
        f"median of {arguments.rounds} alternating rounds"
    )
    print(f"  clubhouse-py : {spread(theirs).describe(1, ' req/s', 0)}")
    print(f"  SDK          : {spread(ours).describe(1, ' req/s', 0)}")
    figure(
        "against clubhouse-py: SDK req/s / clubhouse-py req/s",
        ratios.median,
        unit="x",
        target=f">= {TARGET:g}x",
        met=ratios.median >= TARGET,
        note=f"SDK {spread(ours).median:,.0f}, clubhouse-py {spread(theirs).median:,.0f} req/s",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500, help="clubhouse-py, per round")
    parser.add_argument("--sdk-requests", type=int, default=5000, help="the SDK, per round")
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    if not sys.platform.startswith("linux"):
        print("(written for Linux; the cache venv layout may differ elsewhere)")
    asyncio.run(run(arguments))


if __name__ == "__main__":
    main()
