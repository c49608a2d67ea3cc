"""``login``, ``logout``, ``whoami``, ``me`` and ``profiles`` against the emulator."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from aioclubhouse.emulator import Emulator
from aioclubhouse.profiles import Profiles

from .support import PHONE, Cli, no_traceback, one_line, save_login


async def test_login_keeps_the_service_and_later_commands_go_there(
    clubhouse_emulator: Emulator, cli: Cli
) -> None:
    # The README's flow: log in with --base-url, then a bare command.
    code = clubhouse_emulator.config.verification_code
    result = await cli.run(
        "--base-url", clubhouse_emulator.base_url, "login", PHONE, "--code", code
    )
    assert result.exit_code == 0, result.output
    path = Profiles().path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = json.loads(path.read_text())
    user = clubhouse_emulator.world.accounts.by_phone(PHONE)
    assert user is not None and saved["user_id"] == user.user_id
    assert saved["base_url"] == clubhouse_emulator.base_url
    assert f"user {user.user_id}" in result.stdout and clubhouse_emulator.base_url in result.stdout

    before = len(clubhouse_emulator.api_requests)
    me = await cli.run("me")  # no --base-url: the login's own service
    assert me.exit_code == 0, me.output
    assert json.loads(me.stdout)["user_profile"]["user_id"] == user.user_id
    assert len(clubhouse_emulator.api_requests) > before
    for token in (saved["auth_token"], saved["access_token"], saved["refresh_token"]):
        assert token not in me.output


async def test_login_asks_for_the_phone_and_the_code_and_says_where_it_went(
    clubhouse_emulator: Emulator, cli: Cli
) -> None:
    code = clubhouse_emulator.config.verification_code
    result = await cli.run(
        "--base-url", clubhouse_emulator.base_url, "login", input=f"{PHONE}\n{code}\n"
    )
    assert result.exit_code == 0, result.output
    assert "Phone number" in result.stderr
    assert f"Code sent by text message to {PHONE}" in result.stderr
    assert Profiles().load().credentials.user_id is not None


async def test_login_keeps_the_device_id_of_the_same_service(
    clubhouse_emulator: Emulator, cli: Cli
) -> None:
    code = clubhouse_emulator.config.verification_code
    url = clubhouse_emulator.base_url
    assert (await cli.run("--base-url", url, "login", PHONE, "--code", code)).exit_code == 0
    first = Profiles().load().credentials
    assert (await cli.run("login", PHONE, "--code", code)).exit_code == 0  # same service
    second = Profiles().load().credentials
    assert second.device_id == first.device_id and second.base_url == url


async def test_a_wrong_code_fails_cleanly_and_saves_nothing(
    clubhouse_emulator: Emulator, cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "c.json"
    result = await cli.run(
        "--base-url", clubhouse_emulator.base_url, "--credentials", str(target),
        "login", PHONE, "--code", "1",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "error:" in result.stderr and "did not accept the code" in result.stderr
    assert one_line(result.stderr) and no_traceback(result.output)
    assert not target.exists()


async def test_a_blocked_number_is_said_in_plain_words(
    clubhouse_emulator: Emulator, cli: Cli
) -> None:
    clubhouse_emulator.login(PHONE, name="Banned Person")
    user = clubhouse_emulator.world.accounts.by_phone(PHONE)
    assert user is not None
    user.is_banned = True
    result = await cli.run("--base-url", clubhouse_emulator.base_url, "login", PHONE, "--code", "1")
    assert result.exit_code == 1
    assert f"will not log in {PHONE}" in result.stderr and "blocked" in result.stderr
    assert one_line(result.stderr)


async def test_a_waitlisted_account_is_logged_in_and_told(
    clubhouse_emulator: Emulator, cli: Cli
) -> None:
    clubhouse_emulator.config.new_users_waitlisted = True
    code = clubhouse_emulator.config.verification_code
    result = await cli.run(
        "--base-url", clubhouse_emulator.base_url, "login", PHONE, "--code", code
    )
    assert result.exit_code == 0, result.output
    assert "waitlist" in result.stdout
    assert Profiles().load().credentials.user_id is not None


def test_a_bad_phone_number_is_a_usage_error(cli: Cli) -> None:
    result = cli("--base-url", "http://127.0.0.1:9/api/", "login", "12345", "--code", "1")
    assert result.exit_code == 2
    assert "'12345' must be an E.164 phone number" in result.stderr


async def test_logout_forgets_the_tokens_then_commands_need_a_login(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int
) -> None:
    result = await cli.run("logout")
    assert result.exit_code == 0, result.output
    assert "Logged out" in result.stdout
    stored = Profiles().stored()
    assert stored is not None and not stored.is_logged_in and stored.device_id
    again = await cli.run("me")
    assert again.exit_code == 3
    assert "not logged in" in again.stderr and "aioclubhouse login" in again.stderr


async def test_whoami_says_who_where_and_which_file(
    clubhouse_emulator: Emulator, cli: Cli, logged_in: int
) -> None:
    result = await cli.run("whoami")
    assert result.exit_code == 0, result.output
    assert "Cli Tester (@" in result.stdout and f"user {logged_in}" in result.stdout
    assert clubhouse_emulator.base_url in result.stdout
    assert str(Profiles().path()) in result.stdout


async def test_profiles_keep_several_accounts_on_several_services(
    clubhouse_emulator: Emulator, cli: Cli
) -> None:
    async with Emulator(seed=5, rate_limit_per_second=10_000) as other:
        home = save_login(clubhouse_emulator, name="Home Account")
        work = save_login(other, name="Work Account", profile="work")
        default = await cli.run("whoami")
        named = await cli.run("whoami", "--profile", "work")
        listing = await cli.run("profiles")
    assert f"user {home}" in default.stdout and clubhouse_emulator.base_url in default.stdout
    assert f"user {work}" in named.stdout and other.base_url in named.stdout
    assert listing.exit_code == 0
    assert "default *" in listing.stdout and "work" in listing.stdout
    assert other.base_url in listing.stdout


def test_the_profile_can_come_from_the_environment(cli: Cli) -> None:
    result = cli("whoami", env={"AIOCLUBHOUSE_PROFILE": "elsewhere"})
    assert result.exit_code == 3
    assert "profile 'elsewhere'" in result.stderr
    assert "aioclubhouse --profile elsewhere login" in result.stderr


def test_a_profile_name_cannot_be_a_path(cli: Cli) -> None:
    result = cli("--profile", "../../etc/x", "whoami")
    assert result.exit_code == 2
    assert "is not a profile name" in result.stderr
