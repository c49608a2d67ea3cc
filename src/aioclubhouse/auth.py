"""Credentials: who we are logged in as, and how that is kept on disk.

A credential carries the user id, the tokens and the ``CH-DeviceId`` that must stay
the same for the life of the login (the service treats a changing device id as
suspicious).

The file holds live tokens, so it is kept the way ssh keeps a private key. It is
written to a temporary file made 0600 through its descriptor and renamed into place,
so no path is ever followed to set a mode; directories the SDK creates for it are
0700 whatever the umask. A file others can read still loads, with a WARNING naming
it and its mode (``strict_permissions=True`` refuses it instead, as ssh does):
refusing by default would lock people out of files that other tools wrote.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import uuid
from pathlib import Path
from typing import Any, Literal

import attrs
import platformdirs

from .errors import CredentialsNotFoundError, InvalidArgumentError
from .redaction import get_logger, mask

__all__ = ["CREDENTIALS_ENV", "AuthMode", "Credentials", "default_credentials_path"]

AuthMode = Literal["token", "bearer"]
CREDENTIALS_ENV = "AIOCLUBHOUSE_CREDENTIALS"
"""Names the credentials file for every caller that gives no path (the CLI included)."""
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700
log = get_logger("aioclubhouse.auth")


def default_credentials_path() -> Path:
    """Where credentials live unless told otherwise.

    ``$AIOCLUBHOUSE_CREDENTIALS`` if set, else ``credentials.json`` in the per-user
    config directory. Everything that defaults a path (:meth:`Credentials.save`,
    :meth:`Credentials.load`, ``ClubhouseSession.from_file``) asks here, at call time.
    """
    configured = os.environ.get(CREDENTIALS_ENV)
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_config_path("aioclubhouse") / "credentials.json"


def new_device_id(*, lower_case: bool = False) -> str:
    """A fresh device id: a UUID4, upper-case as the iOS apps have it, or lower-case as
    the Android app has it (:meth:`AppIdentity.new_device_id` picks per platform)."""
    value = str(uuid.uuid4())
    return value if lower_case else value.upper()


@attrs.define(kw_only=True)
class Credentials:
    """A login: user id, tokens and the device id that goes with them.

    ``auth_token`` is sent as ``Authorization: Token ...``; in bearer mode the JWT
    ``access_token`` is sent instead and ``refresh_token`` renews it.  ``base_url`` is
    the API the login belongs to (None in files written before it was kept: the
    default service); :mod:`aioclubhouse.profiles` refuses to send the tokens elsewhere.
    """

    user_id: int | None = None
    """The account, once logged in."""
    auth_token: str | None = attrs.field(default=None, repr=False)
    access_token: str | None = attrs.field(default=None, repr=False)
    refresh_token: str | None = attrs.field(default=None, repr=False)
    device_id: str = attrs.field(factory=new_device_id)
    """The ``CH-DeviceId`` kept with this login, so one login is one device."""
    auth_mode: AuthMode = "token"
    """``token`` sends ``auth_token``; ``bearer`` sends the JWT ``access_token``."""
    base_url: str | None = None
    """The API this login was made with (an emulator's address); None for the service."""

    def __repr__(self) -> str:
        return (
            f"Credentials(user_id={self.user_id!r}, auth_token={mask(self.auth_token)}, "
            f"access_token={mask(self.access_token)}, refresh_token={mask(self.refresh_token)}, "
            f"device_id={self.device_id!r}, auth_mode={self.auth_mode!r}, "
            f"base_url={self.base_url!r})"
        )

    __str__ = __repr__

    @property
    def is_logged_in(self) -> bool:
        """Whether these credentials can make logged-in calls: a user id and the
        token ``auth_mode`` sends."""
        token = self.access_token if self.auth_mode == "bearer" else self.auth_token
        return self.user_id is not None and bool(token)

    def secrets(self) -> tuple[str | None, ...]:
        """The tokens (some may be None), for the log scrubber to hold."""
        return (self.auth_token, self.access_token, self.refresh_token)

    def to_dict(self) -> dict[str, Any]:
        """Everything, tokens included, as saved to the credentials file.

        This is for the file only: it carries the secrets in clear."""
        return {
            "user_id": self.user_id,
            "auth_token": self.auth_token,
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "device_id": self.device_id,
            "auth_mode": self.auth_mode,
            "base_url": self.base_url,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Credentials:
        """Credentials read from a saved file's JSON, each field checked
        (``InvalidArgumentError`` names a wrong one)."""
        if not isinstance(data, dict):
            raise InvalidArgumentError("credentials", "expected a JSON object")
        user_id = data.get("user_id")
        if user_id is not None and (isinstance(user_id, bool) or not isinstance(user_id, int)):
            raise InvalidArgumentError("credentials.user_id", "must be an integer or null")
        mode = data.get("auth_mode", "token")
        if mode not in ("token", "bearer"):
            raise InvalidArgumentError("credentials.auth_mode", "must be 'token' or 'bearer'")
        device_id = data.get("device_id") or new_device_id()
        base_url = data.get("base_url")
        if base_url is not None and not isinstance(base_url, str):
            raise InvalidArgumentError("credentials.base_url", "must be a string or null")
        fields = {}
        for name in ("auth_token", "access_token", "refresh_token"):
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                raise InvalidArgumentError(f"credentials.{name}", "must be a string or null")
            fields[name] = value
        return cls(
            user_id=user_id, device_id=str(device_id), auth_mode=mode, base_url=base_url, **fields
        )

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the credentials as JSON, readable by the owner only (0600), atomically.

        Missing directories are created 0700. The mode is set on the temporary file's
        descriptor before the rename, never through a path afterwards.
        """
        target = Path(path) if path is not None else default_credentials_path()
        _make_private_directories(target.parent)
        fd, tmp_name = tempfile.mkstemp(prefix=".credentials-", dir=target.parent)
        try:
            os.fchmod(fd, FILE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.to_dict(), handle, indent=2)
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return target

    @classmethod
    def load(
        cls, path: str | os.PathLike[str] | None = None, *, strict_permissions: bool = False
    ) -> Credentials:
        """Read credentials written by :meth:`save`.

        A file that group or others may read or write is loaded with a WARNING; with
        ``strict_permissions=True`` it is refused (:class:`InvalidArgumentError`). A
        missing file raises :class:`~aioclubhouse.errors.CredentialsNotFoundError` (a
        ``FileNotFoundError``) naming the path and the command that creates it.
        """
        source = Path(path) if path is not None else default_credentials_path()
        try:
            with source.open(encoding="utf-8") as handle:
                _check_private(source, os.fstat(handle.fileno()).st_mode, strict_permissions)
                text = handle.read()
        except FileNotFoundError:
            raise CredentialsNotFoundError(source) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidArgumentError("path", f"{source} is not valid JSON ({exc.msg})") from None
        return cls.from_dict(data)


def _check_private(source: Path, mode: int, strict: bool) -> None:
    """Warn about (or, if ``strict``, refuse) a credentials file others can reach."""
    if os.name == "nt" or not stat.S_IMODE(mode) & 0o077:
        return  # Windows has no such mode bits to read
    shown = f"{stat.S_IMODE(mode):04o}"
    if strict:
        raise InvalidArgumentError(
            "path", f"{source} has mode {shown}: others may read its tokens; chmod 600 it"
        )
    log.warning(
        "credentials file %s has mode %s: others may read its tokens; chmod 600 it",
        source,
        shown,
    )


def _make_private_directories(directory: Path) -> None:
    """Create ``directory`` and any missing parents, each 0700 whatever the umask."""
    missing: list[Path] = []
    while not directory.exists():
        missing.append(directory)
        if directory.parent == directory:
            break
        directory = directory.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIRECTORY_MODE)  # the umask can only remove bits from 0700
        except FileExistsError:
            continue
