"""Run the emulator from a shell: ``python -m aioclubhouse.emulator --port 8080``.

It prints the API base URL and the verification code that completes a phone login,
then serves until SIGINT or SIGTERM, saving its state first when ``--state`` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

from aioclubhouse.auth import Credentials
from aioclubhouse.emulator.app import Emulator
from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.state import StateFileError


@attrs.frozen(kw_only=True)
class AccountFiles:
    """Accounts to create at start, each saved as a credentials file in ``directory``."""

    directory: Path | None = None
    count: int = 0

    def write(self, emulator: Emulator) -> list[Path]:
        if self.directory is None or self.count <= 0:
            return []
        written = []
        for number in range(1, self.count + 1):
            login = emulator.login(name=f"Listener {number}")
            credentials = Credentials(
                user_id=login["user_id"],
                auth_token=login["auth_token"],
                access_token=login["access_token"],
                refresh_token=login["refresh_token"],
                device_id=login["device_id"],
                base_url=emulator.base_url,
            )
            written.append(credentials.save(self.directory / f"account-{number:03d}.json"))
        return written


def parse_arguments(argv: Sequence[str] | None = None) -> tuple[EmulatorConfig, AccountFiles]:
    defaults = EmulatorConfig()
    parser = argparse.ArgumentParser(
        prog="python -m aioclubhouse.emulator",
        description="A local Clubhouse service: the HTTP API and the PubNub realtime protocol.",
    )
    parser.add_argument(
        "--host", default=defaults.host, help="address to bind (default %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8080,
        help="port to bind; 0 picks a free one (default %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=defaults.seed, help="sample world seed")
    parser.add_argument(
        "--verification-code",
        default=defaults.verification_code,
        help="the code every phone login accepts (default %(default)s)",
    )
    parser.add_argument(
        "--state",
        type=Path,
        default=None,
        help="JSON file to load at start and save at exit (mode 0600: it holds tokens)",
    )
    parser.add_argument(
        "--activity",
        type=float,
        default=defaults.activity_rate,
        help="simulated actions per second by sample users (default %(default)s: off)",
    )
    parser.add_argument(
        "--poll-timeout",
        type=float,
        default=defaults.poll_timeout,
        help="seconds a PubNub long-poll waits before answering empty (default %(default)s)",
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=defaults.rate_limit_per_second,
        help="API requests per second allowed per client; 0 turns the limit off "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--sample-rooms",
        type=int,
        default=defaults.sample_rooms,
        help="live rooms in the sample world (default %(default)s)",
    )
    parser.add_argument(
        "--sample-users",
        type=int,
        default=defaults.sample_users,
        help="sample users (default %(default)s; a room takes about 20)",
    )
    parser.add_argument(
        "--ping-timeout",
        type=float,
        default=defaults.ping_timeout,
        help="seconds a room member may go without active_ping (default %(default)s)",
    )
    parser.add_argument(
        "--accounts-dir",
        type=Path,
        default=None,
        help="write credentials files of --accounts ready accounts here (mode 0600)",
    )
    parser.add_argument(
        "--accounts", type=int, default=0, help="how many accounts --accounts-dir gets"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    arguments = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if arguments.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return EmulatorConfig(
        host=arguments.host,
        port=arguments.port,
        seed=arguments.seed,
        verification_code=arguments.verification_code,
        state_file=arguments.state,
        activity_rate=arguments.activity,
        poll_timeout=arguments.poll_timeout,
        rate_limit_per_second=arguments.rate_limit,
        sample_rooms=arguments.sample_rooms,
        sample_users=arguments.sample_users,
        ping_timeout=arguments.ping_timeout,
    ), AccountFiles(directory=arguments.accounts_dir, count=arguments.accounts)


async def serve(config: EmulatorConfig, accounts: AccountFiles | None = None) -> None:
    """Serve until a termination signal arrives."""
    stop_requested = asyncio.Event()
    loop = asyncio.get_running_loop()
    if sys.platform != "win32":  # Windows event loops take no signal handlers
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, stop_requested.set)
    async with Emulator(config) as emulator:
        print(f"Clubhouse emulator API: {emulator.base_url}", flush=True)
        print(f"PubNub origin: {emulator.origin}", flush=True)
        print(f"Verification code: {config.verification_code}", flush=True)
        if accounts is not None and accounts.count > 0:
            written = accounts.write(emulator)
            print(f"{len(written)} accounts written to {accounts.directory}", flush=True)
        await stop_requested.wait()
    print("Clubhouse emulator stopped", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    config, accounts = parse_arguments(argv)
    try:
        asyncio.run(serve(config, accounts))
    except KeyboardInterrupt:
        return 130
    except StateFileError as error:
        print(f"python -m aioclubhouse.emulator: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        if error.errno not in BIND_ERRORS:
            raise
        print(f"python -m aioclubhouse.emulator: {cannot_bind(config, error)}", file=sys.stderr)
        return 1
    return 0


BIND_ERRORS = {errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL}
"""Why binding the address can fail: taken, not ours to use, or not this machine's."""


def cannot_bind(config: EmulatorConfig, error: OSError) -> str:
    """One line saying why the address cannot be served, and what to do instead."""
    where = f"{config.host}:{config.port}"
    if error.errno == errno.EADDRINUSE:
        return f"port {config.port} on {config.host} is in use; --port 0 picks a free one"
    reason = error.strerror or str(error)
    return f"cannot serve on {where} ({reason}); try another --host or --port 0"


if __name__ == "__main__":
    sys.exit(main())
