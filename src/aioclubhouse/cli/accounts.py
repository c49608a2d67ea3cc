"""Credential files for the commands that use several accounts: ``bridge --accounts DIR``
and ``fleet work --accounts DIR``.

A service lets an account be in one room at a time, so covering several rooms takes
several accounts, each a credentials file.  They follow the rule of every login on
the command line: a file's tokens go to the service it was logged in at (its stored
base URL; a file that stores none is a login at the default service), never to
another ``--base-url`` unless ``--allow-other-host`` says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..bridge.accounts import Account, load_accounts
from ..profiles import same_service, service_of
from .failures import EXIT_USAGE, CliError
from .settings import Settings

__all__ = ["load_accounts_for", "service_of_accounts"]


def service_of_accounts(accounts: Sequence[Account], settings: Settings) -> str:
    """The API base URL ``accounts`` are used at: their own, or ``--base-url`` when allowed."""
    requested = settings.base_url
    if requested is None:
        services: list[str] = []
        for account in accounts:
            url = service_of(account.credentials)
            if not any(same_service(url, known) for known in services):
                services.append(url)
        if len(services) > 1:
            raise CliError(
                f"the accounts are logins at {len(services)} services "
                f"({', '.join(services)}): one command uses one service",
                EXIT_USAGE,
            )
        return services[0]
    if not settings.allow_other_host:
        for account in accounts:
            own = service_of(account.credentials)
            if not same_service(requested, own):
                raise CliError(
                    f"{account.path.name} is a login at {own}, not at {requested}: its tokens "
                    "are not sent to another host (pass --allow-other-host if you mean it)",
                    EXIT_USAGE,
                )
    return requested


def load_accounts_for(directory: Path, settings: Settings) -> tuple[list[Account], str]:
    """Every account of ``directory`` and the service to use them at; their tokens are
    held by ``settings`` so that no message shows them."""
    accounts = load_accounts(directory)
    url = service_of_accounts(accounts, settings)
    for account in accounts:
        settings.secrets.update(secret for secret in account.credentials.secrets() if secret)
    return accounts, url
