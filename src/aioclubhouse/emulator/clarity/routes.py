"""The HTTP face of the emulated Clarity service: OAuth and the ``/v1/`` API.

Every API request must carry ``oauth_token`` in its query string (401 otherwise).

The document does not say how POST parameters are sent. The client sends a JSON
body, so by default the API's POST routes read a JSON body and nothing else: a
parameter in the query string is a 400 and a form body a 415, so a client that
drifts from what the SDK sends is caught. ``post_encodings`` opens the other forms
("form", "query"); with several, the query string is read first and a body's values
win. The OAuth code exchange always reads its parameters from the query string, as
documented, or from a form or JSON body.

Refusals are answered as ``{"error": "..."}``. The document defines no error body at
all: this one is the emulator's own invention, in the common Rails shape, which the
client reads along with the other shapes it knows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from aiohttp import web

from ..request_values import read_bool, read_int
from .oauth import OAuthProvider
from .records import MemberRecord
from .world import ClarityWorld, Refusal

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MemberHandler = Callable[[web.Request, MemberRecord], Awaitable[web.StreamResponse]]
LOOSE_KEYS = re.compile(r'"(last_message|other_member|messages)":')


def error_response(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _int(params: dict[str, Any], name: str) -> int:
    value = params.get(name)
    if value is None:
        raise Refusal(400, f"{name} is required and must be an integer")
    number = read_int(value)
    if number is None:
        raise Refusal(400, f"{name} must be an integer")
    return number


def _text(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str):
        raise Refusal(400, f"{name} is required")
    return value


def _flag(params: dict[str, Any], name: str) -> bool:
    flag = read_bool(params.get(name))
    if flag is None:
        raise Refusal(400, f"{name} must be true or false")
    return flag


def _path_int(request: web.Request, name: str) -> int:
    """An id in the path: plain digits only, anything else is not a resource."""
    value = request.match_info[name]
    number = read_int(value) if value.isdigit() else None
    if number is None:
        raise Refusal(404, "not found")
    return number


POST_ENCODINGS = frozenset({"json", "form", "query"})
"""How POST parameters may travel: a JSON body, a form body, the query string."""
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def checked_post_encodings(encodings: Collection[str]) -> frozenset[str]:
    """The encodings to accept, checked: a non-empty subset of :data:`POST_ENCODINGS`."""
    chosen = frozenset(encodings)
    if isinstance(encodings, str) or not chosen or not chosen <= POST_ENCODINGS:
        raise ValueError(f"post_encodings must be some of {sorted(POST_ENCODINGS)}")
    return chosen


async def read_params(request: web.Request, accepted: frozenset[str]) -> dict[str, Any]:
    """The POST parameters, from the encodings in ``accepted`` only.

    Query parameters come first (``oauth_token`` is not one), then a JSON object or
    form body, whose values win. Parameters sent in a way not accepted are refused,
    naming what was sent, rather than ignored.
    """
    params: dict[str, Any] = {k: v for k, v in request.query.items() if k != "oauth_token"}
    if params and "query" not in accepted:
        names = ", ".join(sorted(params))
        raise Refusal(
            400, f"parameters in the query string are not read ({names}): {_ask_for(accepted)}"
        )
    if not request.body_exists:
        return params
    content_type = request.content_type
    if content_type == "application/json" and "json" in accepted:
        try:
            body = await request.json()
        except ValueError:
            raise Refusal(400, "the body is not valid JSON") from None
        if not isinstance(body, dict):
            raise Refusal(400, "the body must be a JSON object")
        params.update(body)
    elif content_type in FORM_TYPES and "form" in accepted:
        form = await request.post()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    else:
        raise Refusal(415, f"a body of type {content_type} is not read: {_ask_for(accepted)}")
    return params


def _ask_for(accepted: frozenset[str]) -> str:
    wanted = {"json": "a JSON body", "form": "a form body", "query": "the query string"}
    return "send the parameters in " + " or ".join(wanted[e] for e in sorted(accepted))


class ClarityApi:
    """Route handlers over one world and one OAuth provider."""

    def __init__(
        self,
        world: ClarityWorld,
        oauth: OAuthProvider,
        *,
        loose_json: bool,
        accepted_encodings: frozenset[str] = frozenset({"json"}),
    ) -> None:
        self.world = world
        self.oauth = oauth
        self.loose_json = loose_json
        self.accepted_encodings = accepted_encodings

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/oauth/authorize", self.authorize)
        app.router.add_post("/oauth/authorize", self.exchange)
        routes: list[tuple[str, str, MemberHandler]] = [
            ("GET", "/v1/me", self.me),
            ("GET", "/v1/members", self.find_member),
            ("GET", "/v1/members/{key}", self.get_member),
            ("GET", "/v1/calls/{kind:(requested|callback|completed|canceled)}", self.call_list),
            ("GET", "/v1/calls/{call_id}", self.get_call),
            ("POST", "/v1/calls/{call_id}/connect", self.connect_call),
            ("POST", "/v1/calls", self.request_call),
            ("GET", "/v1/needs", self.needs),
            ("POST", "/v1/needs", self.create_need),
            ("POST", "/v1/needs/{need_id}/fulfill", self.fulfill_need),
            ("GET", "/v1/organizations", self.organizations),
            ("GET", "/v1/organizations/{organization_id}", self.organization),
            ("GET", "/v1/messages", self.conversations),
            ("GET", "/v1/messages/{member_id}", self.thread),
            ("POST", "/v1/messages/{member_id}", self.send_message),
            ("GET", "/v1/search", self.search),
            ("GET", "/v1/search/{q}", self.search),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, path, self._authenticated(handler))

    def _authenticated(self, handler: MemberHandler) -> Handler:
        """``handler`` called with the member the request's ``oauth_token`` belongs to."""

        async def with_member(request: web.Request) -> web.StreamResponse:
            member_id = self.oauth.member_for(request.query.get("oauth_token"))
            if member_id is None or member_id not in self.world.members:
                return error_response(401, "invalid or missing oauth_token")
            try:
                return await handler(request, self.world.members[member_id])
            except Refusal as refusal:
                return error_response(refusal.status, refusal.message)

        return with_member

    def _messages_json(self, data: Any) -> web.Response:
        """Messages as JSON; in loose mode with the bare keys of the API's own examples."""
        text = json.dumps(data)
        if self.loose_json:
            text = LOOSE_KEYS.sub(r"\1:", text)
        return web.Response(text=text, content_type="application/json")

    # -- OAuth -----------------------------------------------------------------------------
    async def authorize(self, request: web.Request) -> web.StreamResponse:
        """The browser step: redirect to the application's callback with a fresh code."""
        app = self.oauth.apps.get(request.query.get("client_id", ""))
        if app is None:
            return error_response(400, "invalid_client")
        if request.query.get("response_type") != "code":
            return error_response(400, "unsupported_response_type")
        redirect_uri = request.query.get("redirect_uri", app.redirect_uri)
        if redirect_uri != app.redirect_uri:
            return error_response(400, "redirect_uri_mismatch")
        code = self.oauth.issue_code(app.client_id, self.oauth.signed_in_member_id)
        separator = "&" if "?" in redirect_uri else "?"
        raise web.HTTPFound(f"{redirect_uri}{separator}code={code}")

    async def exchange(self, request: web.Request) -> web.StreamResponse:
        """The server step: a code (and the app's secret) in, the bare token out."""
        try:
            params = await read_params(request, POST_ENCODINGS)
            if params.get("grant_type") != "authorization_code":
                return error_response(400, "unsupported_grant_type")
            token = self.oauth.exchange(
                str(params.get("client_id", "")),
                str(params.get("client_secret", "")),
                str(params.get("code", "")),
            )
        except Refusal as refusal:
            return error_response(refusal.status, refusal.message)
        return web.Response(text=token, content_type="text/plain")

    # -- members ---------------------------------------------------------------------------
    async def me(self, request: web.Request, member: MemberRecord) -> web.Response:
        return web.json_response(member.profile())

    async def get_member(self, request: web.Request, member: MemberRecord) -> web.Response:
        return web.json_response(self.world.member_by_key(request.match_info["key"]).profile())

    async def find_member(self, request: web.Request, member: MemberRecord) -> web.Response:
        found = self.world.find_member(
            key=request.query.get("id"),
            twitter=request.query.get("twitter"),
            email=request.query.get("email"),
        )
        return web.json_response((found or member).profile())

    # -- calls -----------------------------------------------------------------------------
    async def call_list(self, request: web.Request, member: MemberRecord) -> web.Response:
        kind = request.match_info["kind"]
        return web.json_response(self.world.call_list(member, kind))

    async def get_call(self, request: web.Request, member: MemberRecord) -> web.Response:
        call_id = _path_int(request, "call_id")
        return web.json_response(self.world.read_call(member, call_id))

    async def connect_call(self, request: web.Request, member: MemberRecord) -> web.Response:
        call_id = _path_int(request, "call_id")
        return web.json_response(self.world.connect_call(member, call_id))

    async def request_call(self, request: web.Request, member: MemberRecord) -> web.Response:
        params = await read_params(request, self.accepted_encodings)
        answer = self.world.request_call(
            member,
            _int(params, "expert_id"),
            _int(params, "expires_in"),
            _text(params, "reason"),
        )
        return web.json_response(answer)

    # -- needs -----------------------------------------------------------------------------
    async def needs(self, request: web.Request, member: MemberRecord) -> web.Response:
        return web.json_response(self.world.need_list(member))

    async def create_need(self, request: web.Request, member: MemberRecord) -> web.Response:
        params = await read_params(request, self.accepted_encodings)
        answer = self.world.create_need(member, _text(params, "description"), _flag(params, "paid"))
        return web.json_response(answer)

    async def fulfill_need(self, request: web.Request, member: MemberRecord) -> web.Response:
        need_id = _path_int(request, "need_id")
        return web.json_response(self.world.fulfill_need(member, need_id))

    # -- organizations ---------------------------------------------------------------------
    async def organizations(self, request: web.Request, member: MemberRecord) -> web.Response:
        return web.json_response(self.world.organization_list(member))

    async def organization(self, request: web.Request, member: MemberRecord) -> web.Response:
        organization_id = _path_int(request, "organization_id")
        return web.json_response(self.world.organization(member, organization_id))

    # -- messages --------------------------------------------------------------------------
    async def conversations(self, request: web.Request, member: MemberRecord) -> web.Response:
        return self._messages_json(self.world.conversations(member))

    async def thread(self, request: web.Request, member: MemberRecord) -> web.Response:
        member_id = _path_int(request, "member_id")
        return self._messages_json(self.world.thread(member, member_id))

    async def send_message(self, request: web.Request, member: MemberRecord) -> web.Response:
        member_id = _path_int(request, "member_id")
        params = await read_params(request, self.accepted_encodings)
        answer = self.world.send_message(member, member_id, _text(params, "message"))
        return web.json_response(answer)

    # -- search ----------------------------------------------------------------------------
    async def search(self, request: web.Request, member: MemberRecord) -> web.Response:
        query = request.match_info.get("q") or request.query.get("q", "")
        if not query.strip():
            raise Refusal(400, "q is required")
        offset = read_int(request.query.get("offset", "0"))
        if offset is None or offset < 0:
            raise Refusal(400, "offset must be a non-negative integer")
        return web.json_response(self.world.search(query, offset))
