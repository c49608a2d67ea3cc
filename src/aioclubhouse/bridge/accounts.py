"""Accounts from credential files: one file, or every ``*.json`` file of a directory.

A service lets one account be in one room at a time, so a program listening to
several rooms needs several accounts: each is a credentials file written by
``Credentials.save`` (or the CLI's login).  Every file is read and checked before
anything starts; a file that cannot be used is an error naming it, with the reason,
never its tokens.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import attrs

from ..auth import Credentials
from ..errors import InvalidArgumentError

__all__ = ["Account", "AccountsError", "load_account", "load_accounts"]


class AccountsError(InvalidArgumentError):
    """Credential files that cannot be used; ``problems`` lists ``(path, reason)``."""

    def __init__(self, field: str, problems: Sequence[tuple[Path, str]]) -> None:
        shown = "; ".join(f"{path}: {reason}" for path, reason in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(field, shown + more)
        self.problems = list(problems)


@attrs.frozen(kw_only=True)
class Account:
    """A logged-in account and the file it came from (renewed tokens go back there)."""

    path: Path
    credentials: Credentials = attrs.field(eq=False)

    @property
    def user_id(self) -> int:
        assert self.credentials.user_id is not None
        return self.credentials.user_id


def _read(path: Path) -> Credentials:
    try:
        credentials = Credentials.load(path)
    except InvalidArgumentError as exc:
        raise ValueError(exc.message.removeprefix("path: ")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot be read ({exc})") from None
    if not credentials.is_logged_in:
        raise ValueError("holds no login (no user id or token)")
    return credentials


def load_account(path: str | os.PathLike[str]) -> Account:
    """The account of one credentials file; :class:`AccountsError` says what is wrong."""
    source = Path(path)
    try:
        return Account(path=source, credentials=_read(source))
    except ValueError as exc:
        raise AccountsError("credentials", [(source, str(exc))]) from None


def load_accounts(directory: str | os.PathLike[str]) -> list[Account]:
    """Every account of ``directory`` (its ``*.json`` files, by name); all or an error."""
    folder = Path(directory)
    if not folder.is_dir():
        raise InvalidArgumentError("accounts", f"{folder} is not a directory")
    accounts: list[Account] = []
    problems: list[tuple[Path, str]] = []
    owners: dict[int, Path] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            account = Account(path=path, credentials=_read(path))
        except ValueError as exc:
            problems.append((path, str(exc)))
            continue
        earlier = owners.get(account.user_id)
        if earlier is not None:
            problems.append((path, f"the same account as {earlier.name}"))
            continue
        owners[account.user_id] = path
        accounts.append(account)
    if problems:
        raise AccountsError("accounts", problems)
    if not accounts:
        raise InvalidArgumentError("accounts", f"{folder} holds no credentials file (*.json)")
    return accounts
