"""Named logins ("profiles"), each bound to the service it was made with.

A login's tokens belong to one service: sent to another host they would be handed to
a stranger.  So a profile keeps the API base URL next to the tokens
(:attr:`Credentials.base_url`), a session opened from it goes to that URL, and asking
for another host is refused unless ``allow_other_host=True`` says it is meant.

Where profiles live:

* ``default`` is the library's own credentials file (``default_credentials_path()``:
  ``$AIOCLUBHOUSE_CREDENTIALS`` or ``credentials.json`` in the user config directory),
  so ``ClubhouseSession.from_file()`` and ``aioclubhouse login`` share one login;
* any other name is ``profiles/NAME.json`` in the user config directory.

Files written before the base URL was kept have none: they are taken to belong to the
default service (:data:`~aioclubhouse.dialect.DEFAULT_BASE_URL`), the only one the
library talked to unless told otherwise.

    profiles = Profiles()
    async with profiles.load("work").session() as session:   # goes to the profile's URL
        me = await session.me()
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs
import platformdirs

from .auth import Credentials, default_credentials_path
from .dialect import DEFAULT_BASE_URL
from .errors import ClubhouseError, InvalidArgumentError
from .session import ClubhouseSession

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILE_ENV",
    "OtherServiceError",
    "Profile",
    "ProfileDamagedError",
    "ProfileError",
    "ProfileNotFoundError",
    "Profiles",
    "same_service",
    "service_of",
]

DEFAULT_PROFILE = "default"
PROFILE_ENV = "AIOCLUBHOUSE_PROFILE"
"""Names the profile the command line uses when ``--profile`` is not given."""

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class ProfileError(ClubhouseError):
    """A profile cannot be used; ``profile`` names it and ``path`` is its file."""

    def __init__(self, message: str, *, profile: str, path: Path) -> None:
        super().__init__(message)
        self.profile = profile
        self.path = path


class ProfileNotFoundError(ProfileError):
    """Nobody logged in under this profile (no file, or a file without tokens)."""


class ProfileDamagedError(ProfileError):
    """The profile's file exists but cannot be read as credentials."""


class OtherServiceError(ClubhouseError):
    """The login belongs to one service and was about to be sent to another."""

    def __init__(self, message: str, *, login_url: str, requested_url: str) -> None:
        super().__init__(message)
        self.login_url = login_url
        self.requested_url = requested_url


def service_of(credentials: Credentials) -> str:
    """The API base URL a login belongs to (the default service for old files)."""
    return credentials.base_url or DEFAULT_BASE_URL


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def same_service(first: str, second: str) -> bool:
    """Whether two base URLs reach the same origin (scheme, host and port)."""
    return _origin(first) == _origin(second)


@attrs.define(kw_only=True)
class Profile:
    """One saved login: its name, its file and its credentials."""

    name: str
    path: Path
    credentials: Credentials

    @property
    def base_url(self) -> str:
        """The service this login belongs to."""
        return service_of(self.credentials)

    def base_url_for(self, requested: str | None, *, allow_other_host: bool = False) -> str:
        """The URL to send this login's tokens to: ``requested`` (default: the profile's
        own), after checking it is the login's service unless ``allow_other_host``."""
        if requested is None:
            return self.base_url
        if not allow_other_host and not same_service(requested, self.base_url):
            raise OtherServiceError(
                f"profile {self.name!r} is a login at {self.base_url}, not at {requested}: "
                "its tokens are not sent to another host",
                login_url=self.base_url,
                requested_url=requested,
            )
        return requested

    def session(
        self, base_url: str | None = None, *, allow_other_host: bool = False, **options: Any
    ) -> ClubhouseSession:
        """A session for this login; renewed tokens are written back to its file.

        ``options`` go to :class:`~aioclubhouse.ClubhouseSession` (``timeout=``, ...).
        """
        url = self.base_url_for(base_url, allow_other_host=allow_other_host)
        return ClubhouseSession(
            self.credentials, base_url=url, credentials_path=self.path, **options
        )


class Profiles:
    """The profiles of one user config directory (default: the platform's)."""

    def __init__(
        self, config_dir: str | os.PathLike[str] | None = None, *, default_path: Path | None = None
    ) -> None:
        self._config_dir = Path(config_dir) if config_dir is not None else None
        self._default_path = default_path

    @property
    def directory(self) -> Path:
        """Where the named profiles are kept."""
        base = self._config_dir or platformdirs.user_config_path("aioclubhouse")
        return base / "profiles"

    def path(self, name: str = DEFAULT_PROFILE) -> Path:
        """The file of profile ``name`` (which need not exist yet)."""
        name = check_name(name)
        if name == DEFAULT_PROFILE:
            if self._default_path is not None:
                return self._default_path
            if self._config_dir is not None:
                return self._config_dir / "credentials.json"
            return default_credentials_path()
        return self.directory / f"{name}.json"

    def names(self) -> list[str]:
        """The profiles saved so far, ``default`` first."""
        found = sorted(p.stem for p in self.directory.glob("*.json") if _NAME.fullmatch(p.stem))
        found = [name for name in found if name != DEFAULT_PROFILE]
        return ([DEFAULT_PROFILE] if self.path().is_file() else []) + found

    def load(self, name: str = DEFAULT_PROFILE) -> Profile:
        """The saved login ``name``; :class:`ProfileNotFoundError` when there is none,
        :class:`ProfileDamagedError` when its file cannot be read."""
        path = self.path(name)
        return Profile(name=name, path=path, credentials=load_credentials(name, path))

    def stored(self, name: str = DEFAULT_PROFILE) -> Credentials | None:
        """What profile ``name`` holds, logged in or not; None when it has no readable
        file (for keeping a device id across logins)."""
        try:
            return Credentials.load(self.path(name))
        except (InvalidArgumentError, OSError, UnicodeDecodeError):
            return None

    def save(self, name: str, credentials: Credentials) -> Profile:
        """Write ``credentials`` as profile ``name`` (0600, atomically)."""
        path = self.path(name)
        credentials.save(path)
        return Profile(name=name, path=path, credentials=credentials)

    def delete(self, name: str) -> bool:
        """Remove profile ``name``'s file; False when there was none."""
        path = self.path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True


def check_name(name: str) -> str:
    """``name`` if it can name a profile (it becomes a file name), else an error."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise InvalidArgumentError(
            "profile", f"{name!r} is not a profile name (letters, digits, '_', '.', '-')"
        )
    return name


def load_credentials(profile: str, path: Path) -> Credentials:
    """Credentials from ``path``, telling a missing login from a damaged file."""
    if not path.exists():
        raise ProfileNotFoundError(
            f"not logged in (profile {profile!r}: no file at {path})", profile=profile, path=path
        )
    try:
        credentials = Credentials.load(path)
    except InvalidArgumentError as exc:
        raise ProfileDamagedError(_damaged(path, exc.message), profile=profile, path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileDamagedError(
            f"the credentials file {path} cannot be read ({exc})", profile=profile, path=path
        ) from None
    if not credentials.is_logged_in:
        raise ProfileNotFoundError(
            f"not logged in (profile {profile!r} holds no login: logged out?)",
            profile=profile,
            path=path,
        )
    return credentials


def _damaged(path: Path, problem: str) -> str:
    """A sentence saying what is wrong with the file, naming it once."""
    reason = problem.removeprefix("path: ").removeprefix(str(path)).strip()
    if reason.startswith("is "):
        return f"the credentials file {path} {reason}: it is damaged"
    return f"the credentials file {path} is damaged ({reason})"
