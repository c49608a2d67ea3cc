"""How commands fail: one line in plain words, the documented exit code, no secrets."""

from __future__ import annotations

import json
import socket
import sys

from aioclubhouse import Credentials
from aioclubhouse.emulator import Emulator
from aioclubhouse.profiles import Profiles

from .support import Cli, no_traceback, one_line, save_login


def test_without_a_login_the_command_says_how_to_log_in(cli: Cli) -> None:
    result = cli("me")
    assert result.exit_code == 3  # not a usage error
    assert "not logged in" in result.stderr and "run `aioclubhouse login`" in result.stderr
    assert one_line(result.stderr) and no_traceback(result.output)


def test_a_damaged_credentials_file_is_reported_as_damaged(cli: Cli) -> None:
    path = Profiles().path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    path.chmod(0o600)
    result = cli("me")
    assert result.exit_code == 3
    assert "is not valid JSON" in result.stderr and "damaged" in result.stderr
    assert str(path) in result.stderr and "not logged in" not in result.stderr
    assert one_line(result.stderr)


def test_a_credentials_file_with_wrong_fields_is_damaged_too(cli: Cli) -> None:
    path = Profiles().path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"user_id": "seven", "auth_token": "x"}), encoding="utf-8")
    path.chmod(0o600)
    result = cli("me")
    assert result.exit_code == 3
    assert "is damaged (credentials.user_id: must be an integer" in result.stderr


async def test_a_refused_login_hints_at_logging_in_again(
    clubhouse_emulator: Emulator, cli: Cli
) -> None:
    save_login(clubhouse_emulator)
    profiles = Profiles()
    credentials = profiles.load().credentials
    credentials.auth_token = "revoked-token-value-1234"
    profiles.save("default", credentials)
    result = await cli.run("me")
    assert result.exit_code == 3
    assert "no longer accepts this login" in result.stderr
    assert "run `aioclubhouse login`" in result.stderr
    assert "revoked-token-value-1234" not in result.output


def test_an_unreachable_server_is_said_in_plain_words(cli: Cli) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    Profiles().save(
        "default",
        Credentials(
            user_id=7, auth_token="tok-unreachable", base_url=f"http://127.0.0.1:{port}/api/"
        ),
    )
    result = cli("me")
    assert result.exit_code == 1
    assert f"cannot reach 127.0.0.1:{port}: nothing is listening there" in result.stderr
    assert "ClientConnectorError" not in result.output and "aiohttp" not in result.output
    assert one_line(result.stderr) and no_traceback(result.output)


def test_debug_shows_the_traceback_without_the_tokens(cli: Cli) -> None:
    Profiles().save(
        "default",
        Credentials(
            user_id=7, auth_token="tok-debug-secret-1234", base_url="http://127.0.0.1:9/api/"
        ),
    )
    result = cli("--debug", "me")
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "error: cannot reach" in result.stderr
    assert "tok-debug-secret-1234" not in result.output


async def test_a_login_is_not_sent_to_another_host(clubhouse_emulator: Emulator, cli: Cli) -> None:
    async with Emulator(seed=3) as stranger:
        save_login(clubhouse_emulator)
        refused = await cli.run("--base-url", stranger.base_url, "me")
        assert refused.exit_code == 2
        assert f"is a login at {clubhouse_emulator.base_url}, not at {stranger.base_url}" in (
            refused.stderr
        )
        assert "--allow-other-host" in refused.stderr and one_line(refused.stderr)
        assert len(stranger.api_requests) == 0  # nothing was sent there

        allowed = await cli.run("--base-url", stranger.base_url, "--allow-other-host", "me")
        assert allowed.exit_code == 3  # sent, as asked; that service knows no such login
        assert len(stranger.api_requests) == 1


async def test_the_same_host_with_another_path_is_the_same_service(
    clubhouse_emulator: Emulator, cli: Cli
) -> None:
    save_login(clubhouse_emulator)
    result = await cli.run("--base-url", clubhouse_emulator.base_url.rstrip("/") + "/", "me")
    assert result.exit_code == 0, result.output


async def test_an_old_file_without_a_service_belongs_to_the_real_service(
    clubhouse_emulator: Emulator, cli: Cli
) -> None:
    save_login(clubhouse_emulator)
    path = Profiles().path()
    data = json.loads(path.read_text())
    del data["base_url"]  # as written before the base URL was kept
    path.write_text(json.dumps(data))
    result = await cli.run("--base-url", clubhouse_emulator.base_url, "me")
    assert result.exit_code == 2
    assert "is a login at https://www.clubhouseapi.com/api/" in result.stderr


def test_a_credentials_file_others_can_read_is_loaded_with_a_warning(cli: Cli) -> None:
    path = Profiles().path()
    Profiles().save(
        "default", Credentials(user_id=7, auth_token="tok-open", base_url="http://127.0.0.1:9/api/")
    )
    path.chmod(0o644)
    result = cli("me")
    assert result.exit_code == 1  # loaded (then the service is unreachable)
    assert "has mode 0644" in " ".join(result.stderr.split())


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("aioclubhouse, version ")


def test_a_mistyped_command_gets_suggestions(cli: Cli) -> None:
    result = cli("lisen")
    assert result.exit_code == 2
    assert "no command 'lisen'; did you mean listen" in result.stderr
    assert len(result.stderr) < 400  # not a dump of every name


def test_an_unknown_option_is_a_usage_error(cli: Cli) -> None:
    result = cli("rooms", "--sorted")
    assert result.exit_code == 2 and "--sorted" in result.stderr


def test_global_options_are_accepted_after_the_command(cli: Cli) -> None:
    before = cli("--emulator", "whoami")
    after = cli("whoami", "--emulator")
    assert before.exit_code == after.exit_code == 0
    assert "Sam Newcomer" in before.stdout and "Sam Newcomer" in after.stdout


def test_verbose_shows_the_logs_on_stderr(cli: Cli) -> None:
    quiet = cli("--emulator", "whoami")
    loud = cli("whoami", "--emulator", "-v")
    assert "serving on" not in quiet.stderr
    assert "Clubhouse emulator serving on" in loud.stderr


def test_emulator_and_base_url_exclude_each_other(cli: Cli) -> None:
    result = cli("--emulator", "--base-url", "http://127.0.0.1:9/api/", "rooms")
    assert result.exit_code == 2 and "leave out --base-url" in result.stderr


async def test_python_dash_m_aioclubhouse_runs_the_command_line() -> None:
    from .support import run_process

    code, out, _ = await run_process("--version")
    assert code == 0 and out.startswith("aioclubhouse, version ")


async def test_without_the_cli_extra_one_line_says_what_to_install() -> None:
    import asyncio

    script = (
        "import sys\n"
        "sys.modules['click'] = None  # as if the cli extra were not installed\n"
        "from aioclubhouse.cli import main\n"
        "sys.exit(main(['rooms']))\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    assert process.returncode == 2 and not out
    assert err.decode() == "the command line needs: pip install 'aioclubhouse[cli]'\n"


async def test_the_library_never_imports_the_command_line() -> None:
    import asyncio

    script = (
        "import sys\n"
        "import aioclubhouse, aioclubhouse.rooms, aioclubhouse.emulator, aioclubhouse.profiles\n"
        "import aioclubhouse.clarity\n"
        "print(sorted(m for m in sys.modules if m.startswith('aioclubhouse.cli')))\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert out.decode().strip() == "[]"


def test_only_the_command_line_imports_click_and_rich() -> None:
    # (httpx, which pubnub brings, imports them when they happen to be installed:
    # the library itself must never need them.)
    import ast
    from pathlib import Path

    import aioclubhouse

    package = Path(aioclubhouse.__file__).parent
    offenders = []
    for source in package.rglob("*.py"):
        if "cli" in source.relative_to(package).parts:
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                parts = name.split(".")
                if parts[0] in ("click", "rich") or "cli" in parts:
                    offenders.append(f"{source.relative_to(package)}: {name}")
    allowed = {"__main__.py: cli"}  # python -m aioclubhouse runs the command line
    assert set(offenders) <= allowed, offenders
