"""What one command runs in: an event loop, the login it uses, and ``--emulator``.

The loop is an :class:`asyncio.Runner` kept for the whole command, so a command can
run a coroutine, ask the user something at a plain synchronous prompt (where Ctrl-C
acts at once), then run the next coroutine on the same loop, with the embedded
emulator still alive.  Ctrl-C while a coroutine runs cancels it, so ``async with``
blocks unwind (a room is left) before the command exits with 130.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, TypeVar

from ..profiles import Profile, Profiles, load_credentials
from ..session import ClubhouseSession
from .embedded import EmbeddedEmulator
from .failures import EXIT_USAGE, CliError, login_command
from .settings import Settings
from .terminal import logging_to_stderr

__all__ = ["Runtime", "login_hint"]

T = TypeVar("T")


def login_hint(settings: Settings) -> str:
    """The command that logs in again where this command looks for its login."""
    if settings.emulator:
        return "aioclubhouse --emulator login"
    credentials = settings.credentials
    return login_command(settings.profile, str(credentials) if credentials else None)


class Runtime:
    """One command's loop, embedded emulator and login; a context manager."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embedded: EmbeddedEmulator | None = None
        self._runner = asyncio.Runner()
        self._logging = contextlib.ExitStack()

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> Runtime:
        settings = self.settings
        if settings.emulator and settings.base_url is not None:
            raise CliError("--emulator runs a service of its own: leave out --base-url", EXIT_USAGE)
        self._logging.enter_context(logging_to_stderr(settings.verbose))
        self._runner.__enter__()
        if settings.emulator:
            try:
                self.embedded = self.run(EmbeddedEmulator.start())
            except BaseException:
                self._close()
                raise
            settings.service = self.embedded.base_url
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close()

    def _close(self) -> None:
        try:
            if self.embedded is not None:
                embedded, self.embedded = self.embedded, None
                self._runner.run(embedded.stop())
        finally:
            self._runner.close()
            self._logging.close()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the command's loop; Ctrl-C cancels it."""
        return self._runner.run(coroutine)

    # -- the login ---------------------------------------------------------------------------
    @property
    def profiles(self) -> Profiles:
        """Where logins are kept (the temporary profile under ``--emulator``)."""
        if self.embedded is not None:
            return Profiles(self.embedded.profile.path.parent)
        return Profiles()

    def profile(self) -> Profile:
        """The saved login this command uses."""
        settings = self.settings
        if self.embedded is not None:
            return self.embedded.profile
        if settings.credentials is not None:
            path = settings.credentials
            return Profile(
                name=settings.profile, path=path, credentials=load_credentials(str(path), path)
            )
        return self.profiles.load(settings.profile)

    def base_url_for(self, profile: Profile) -> str:
        """Where this command sends ``profile``'s tokens (refused if not its service)."""
        settings = self.settings
        return profile.base_url_for(settings.base_url, allow_other_host=settings.allow_other_host)

    def session(self, **options: Any) -> ClubhouseSession:
        """A session for the command's login, at its own service (or ``--base-url``)."""
        profile = self.profile()
        url = self.base_url_for(profile)
        self.settings.service = url
        self.settings.secrets.update(s for s in profile.credentials.secrets() if s)
        return profile.session(url, allow_other_host=True, **options)
