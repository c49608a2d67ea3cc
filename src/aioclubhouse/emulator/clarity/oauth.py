"""The emulated OAuth provider: registered applications, one-time codes and tokens.

There is no browser and no login page: the member who "approves" an application
is whoever :attr:`OAuthProvider.signed_in_member_id` names, so a test can walk the
whole redirect-and-exchange flow over HTTP.
"""

from __future__ import annotations

import secrets

import attrs

from .world import Refusal


@attrs.define(kw_only=True)
class OAuthApp:
    """A registered application. Its secret is never part of its repr."""

    client_id: str
    client_secret: str = attrs.field(repr=False)
    redirect_uri: str


class OAuthProvider:
    """Issues codes to approved applications and trades them, once, for tokens."""

    def __init__(self, *, signed_in_member_id: int) -> None:
        self.signed_in_member_id = signed_in_member_id
        self.apps: dict[str, OAuthApp] = {}
        self._codes: dict[str, tuple[str, int]] = {}
        self._tokens: dict[str, int] = {}

    def register_app(self, redirect_uri: str) -> OAuthApp:
        app = OAuthApp(
            client_id=secrets.token_hex(8),
            client_secret=secrets.token_hex(20),
            redirect_uri=redirect_uri,
        )
        self.apps[app.client_id] = app
        return app

    def issue_code(self, client_id: str, member_id: int) -> str:
        if client_id not in self.apps:
            raise Refusal(400, "invalid_client")
        code = secrets.token_hex(12)
        self._codes[code] = (client_id, member_id)
        return code

    def issue_token(self, member_id: int) -> str:
        token = secrets.token_hex(20)
        self._tokens[token] = member_id
        return token

    def revoke(self, token: str) -> None:
        self._tokens.pop(token, None)

    def exchange(self, client_id: str, client_secret: str, code: str) -> str:
        """A token for a valid, unused code of this application; the code is spent."""
        app = self.apps.get(client_id)
        if app is None or not secrets.compare_digest(app.client_secret, client_secret):
            raise Refusal(401, "invalid_client")
        issued = self._codes.pop(code, None)
        if issued is None or issued[0] != client_id:
            raise Refusal(400, "invalid_grant")
        return self.issue_token(issued[1])

    def member_for(self, token: str | None) -> int | None:
        return self._tokens.get(token) if token else None
