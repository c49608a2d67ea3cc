"""``login``, ``logout``, ``whoami``, ``me`` and ``profiles``: who the commands act as.

``login`` asks for what it is not given.  The code prompt is a plain read of the
terminal between two steps on the event loop (never a thread the loop waits for), so
Ctrl-C there exits at once with 130; the code is shown as typed (it is used once and
is worth nothing afterwards), and the prompt says where it was sent.
"""

from __future__ import annotations

import sys

import click
from rich.table import Table

from ... import validation
from ...auth import Credentials
from ...dialect import DEFAULT_BASE_URL
from ...errors import AuthenticationError, BadRequestError, InvalidArgumentError
from ...models.account import LoginResult, PhoneAuthResult
from ...profiles import Profiles, same_service, service_of
from ...session import ClubhouseSession
from ..failures import EXIT_LOGIN, EXIT_USAGE, CliError
from ..runtime import Runtime
from ..settings import Settings, settings_of
from ..terminal import err_console, out_console, print_json
from . import command

__all__ = ["COMMANDS"]


def ask(question: str) -> str:
    """Read one answer from the terminal (or stdin); Ctrl-C interrupts at once."""
    console = err_console()
    console.print(f"{question}: ", end="", highlight=False, markup=False)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise CliError(f"no answer to {question!r}: the input ended", EXIT_USAGE)
    return line.strip()


def _stored(settings: Settings, profiles: Profiles) -> Credentials | None:
    """What the login's file holds now, if anything readable."""
    if settings.credentials is None:
        return profiles.stored(settings.profile)
    try:
        return Credentials.load(settings.credentials)
    except (InvalidArgumentError, OSError, UnicodeDecodeError):
        return None


@command("login")
@click.argument("phone_number", required=False)
@click.option("--code", metavar="CODE", help="the code that was texted (asked for when left out)")
@click.pass_context
def login(ctx: click.Context, phone_number: str | None, code: str | None) -> None:
    """Log in with a phone number and the code the service sends to it.

    The login is saved under the profile (--profile, default 'default') together with
    the service it belongs to (--base-url, default the real service): later commands
    go there, and its tokens are never sent anywhere else.
    """
    settings = settings_of(ctx)
    with Runtime(settings) as runtime:
        stored = _stored(settings, runtime.profiles)
        if runtime.embedded is not None:
            base_url = runtime.embedded.base_url
        else:
            base_url = settings.base_url or (stored and stored.base_url) or DEFAULT_BASE_URL
        settings.service = base_url
        credentials = Credentials(base_url=base_url)
        if stored is not None and same_service(service_of(stored), base_url):
            credentials.device_id = stored.device_id  # one device per login, as the apps do
        phone = phone_number or ask("Phone number (E.164, e.g. +14155550123)")
        try:
            validation.phone_number(phone)
        except InvalidArgumentError as error:
            raise CliError(f"{phone!r} {error.message.split(': ', 1)[1]}", EXIT_USAGE) from None
        started = runtime.run(_start(credentials, base_url, phone))
        if started.is_blocked:
            raise CliError(
                f"the service will not log in {phone}: it says the number is blocked "
                "(a ban, or an app it does not recognise)"
            )
        if code is None:
            note = ""
            if runtime.embedded is not None:
                expected = runtime.embedded.emulator.config.verification_code
                note = f" (the emulator's code is {expected})"
            code = ask(f"Code sent by text message to {phone}{note}")
        result = runtime.run(_complete(credentials, base_url, phone, code))
        credentials.base_url = base_url
        if settings.credentials is not None and runtime.embedded is None:
            path = credentials.save(settings.credentials)
            where = str(path)
        else:
            saved = runtime.profiles.save(settings.profile, credentials)
            where = f"profile {saved.name!r} ({saved.path})"
    _report_login(result, base_url, where)


async def _start(credentials: Credentials, base_url: str, phone: str) -> PhoneAuthResult:
    async with ClubhouseSession(credentials, base_url=base_url) as session:
        return await session.start_phone_number_auth(phone)


async def _complete(credentials: Credentials, base_url: str, phone: str, code: str) -> LoginResult:
    async with ClubhouseSession(credentials, base_url=base_url) as session:
        try:
            return await session.complete_phone_number_auth(phone, code)
        except (AuthenticationError, BadRequestError) as error:
            body = error.body if isinstance(error.body, dict) else {}
            left = body.get("number_of_attempts_remaining")
            more = f", {left} attempts left" if isinstance(left, int) else ""
            raise CliError(
                f"the service did not accept the code {code!r} ({error.message}{more})"
            ) from None


def _report_login(result: LoginResult, base_url: str, where: str) -> None:
    console = out_console()
    user = result.user_profile
    who = "an account"
    if user is not None:
        handle = f" (@{user.username})" if user.username else ""
        who = f"{user.name or 'a new account'}{handle}, user {user.user_id}"
    console.print(f"Logged in as {who} at {base_url}", highlight=False, markup=False)
    console.print(f"Saved as {where}", highlight=False, markup=False, soft_wrap=True)
    if result.is_waitlisted:
        console.print(
            "The account is on the waitlist: the service refuses most things until it is let in."
        )
    if result.is_onboarding:
        console.print(
            "The account is new: name it with `aioclubhouse call update_name --name 'Your Name'`.",
            markup=False,
        )


@command("logout")
@click.pass_context
def logout(ctx: click.Context) -> None:
    """End the login on the service and forget its tokens (the device id is kept)."""
    settings = settings_of(ctx)
    with Runtime(settings) as runtime:
        profile = runtime.profile()
        runtime.run(_logout(runtime))
    out_console().print(
        f"Logged out of {profile.base_url} (profile {profile.name!r})", highlight=False
    )


async def _logout(runtime: Runtime) -> None:
    async with runtime.session() as session:
        try:
            await session.logout()
        except AuthenticationError:
            # The service had already ended this login: forget it here too.
            session.credentials.auth_token = None
            session.credentials.access_token = None
            session.credentials.refresh_token = None
        session.save_credentials()


@command("whoami")
@click.pass_context
def whoami(ctx: click.Context) -> None:
    """Who the commands act as, at which service, and where the login is kept."""
    settings = settings_of(ctx)
    with Runtime(settings) as runtime:
        profile = runtime.profile()
        url = runtime.base_url_for(profile)

        async def fetch() -> tuple[str, str | None]:
            async with runtime.session() as session:
                me = await session.me()
            user = me.user_profile
            return (user.name or "(no name yet)", user.username) if user else ("?", None)

        name, username = runtime.run(fetch())
    console = out_console()
    handle = f" (@{username})" if username else ""
    console.print(f"{name}{handle}, user {profile.credentials.user_id}", highlight=False)
    console.print(f"service  {url}", highlight=False)
    console.print(f"profile  {profile.name} ({profile.path})", highlight=False, soft_wrap=True)


@command("me")
@click.pass_context
def me(ctx: click.Context) -> None:
    """Your own account, as the service describes it (JSON, tokens redacted)."""
    settings = settings_of(ctx)
    with Runtime(settings) as runtime:

        async def fetch() -> object:
            async with runtime.session() as session:
                return await session.me()

        print_json(runtime.run(fetch()), pretty=True)


@command("profiles")
@click.pass_context
def profiles(ctx: click.Context) -> None:
    """The saved logins: which account, at which service, in which file."""
    settings = settings_of(ctx)
    store = Profiles()
    table = Table("profile", "user", "service", "file", box=None, pad_edge=False)
    for name in store.names():
        stored = store.stored(name)
        user = "logged out"
        if stored is not None and stored.is_logged_in:
            user = str(stored.user_id)
        service = service_of(stored) if stored is not None else "(damaged file)"
        marker = " *" if name == settings.profile else ""
        table.add_row(f"{name}{marker}", user, service, str(store.path(name)))
    if not table.row_count:
        raise CliError("no saved logins yet: run `aioclubhouse login`", EXIT_LOGIN)
    out_console().print(table, soft_wrap=True)


COMMANDS = [login, logout, whoami, me, profiles]
