"""How every API request is read, checked and answered, in one place.

Each endpoint is declared once, next to its handler, with the fields it takes (see
`fields`) and how it may be called (`Route`); `ROUTES` in the package collects them
all.  `dispatch` then does the same work for every endpoint:

1. find the endpoint (unknown name -> 404; GET endpoints also answer POST, as the
   service does; POST-only ones refuse GET with 405);
2. authenticate (``Token <auth_token>`` or ``Bearer <access_token>``) -> 401/403;
3. refuse waitlisted accounts outside onboarding -> 400;
4. gather arguments from the query string, then the JSON (or multipart) body, and
   check each declared field's type, presence and range -> 400 naming the field;
5. call the handler and answer its dict as JSON; a `WorldError` from the rules
   becomes the service's ``{"success": false, "error_message": ...}``.

Nothing a client sends can make it answer 5xx or anything but JSON.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs
from aiohttp import web

from aioclubhouse.emulator.api.fields import (
    ArgumentError,
    Field,
    Json,
    UploadedFile,
    check_arguments,
    page_fields,
)
from aioclubhouse.emulator.errors import WAITLISTED, WorldError
from aioclubhouse.emulator.models import Session, User

if TYPE_CHECKING:
    from aioclubhouse.emulator.world import World

T = TypeVar("T")
logger = logging.getLogger(__name__)

NOT_AUTHENTICATED = {"detail": "Authentication credentials were not provided."}
TOKEN_NOT_VALID = {"detail": "Token is invalid or expired", "code": "token_not_valid"}
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
NOT_FOUND = {"detail": "Not found."}
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class HttpRefusal(Exception):
    """Raised by a route to answer with this HTTP error status and exact JSON body."""

    def __init__(self, status: int, body: Json) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def refusal_body(message: str) -> Json:
    """The service's answer to a request it refuses."""
    return {"success": False, "error_message": message}


def bad_request(message: str) -> HttpRefusal:
    """A 400 refusal with the service's body."""
    return HttpRefusal(400, refusal_body(message))


# -- the request a handler sees ------------------------------------------------------------


@attrs.define(kw_only=True)
class Call:
    """One request after checking: who sent it and the arguments it carried."""

    request: web.Request
    world: World
    args: Json
    user: User | None
    session: Session | None

    @property
    def me(self) -> User:
        """The authenticated user (every endpoint that needs a login has one)."""
        if self.user is None:
            raise HttpRefusal(401, NOT_AUTHENTICATED)
        return self.user

    def need_int(self, name: str) -> int:
        value = self.args.get(name)
        if not isinstance(value, int):
            raise bad_request(f"Missing field: {name}")
        return value

    def opt_int(self, name: str) -> int | None:
        value = self.args.get(name)
        return value if isinstance(value, int) else None

    def need_str(self, name: str) -> str:
        value = self.args.get(name)
        if not isinstance(value, str):
            raise bad_request(f"Missing field: {name}")
        return value

    def opt_str(self, name: str) -> str | None:
        value = self.args.get(name)
        return value if isinstance(value, str) else None

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.args.get(name)
        return value if isinstance(value, bool) else default

    def opt_flag(self, name: str) -> bool | None:
        value = self.args.get(name)
        return value if isinstance(value, bool) else None

    def ids(self, name: str) -> list[int]:
        value = self.args.get(name)
        return list(value) if isinstance(value, list) else []

    def file(self, name: str) -> UploadedFile | None:
        value = self.args.get(name)
        return value if isinstance(value, UploadedFile) else None

    def objects(self, name: str) -> list[Json]:
        value = self.args.get(name)
        return list(value) if isinstance(value, list) else []

    def page(
        self, key: str, items: Sequence[T], convert: Callable[[T], Json], **extra: Any
    ) -> Json:
        """One page of `items` in the service's style: count, next (null on the last
        page) and previous."""
        page, size = self.need_int("page"), self.need_int("page_size")
        start = (page - 1) * size
        chunk = items[start : start + size]
        return {
            key: [convert(item) for item in chunk],
            "count": len(items),
            "next": page + 1 if start + size < len(items) else None,
            "previous": page - 1 if page > 1 else None,
            **extra,
            "success": True,
        }

    def whole(
        self, key: str, items: Sequence[T], convert: Callable[[T], Json], **extra: Any
    ) -> Json:
        """All of `items` in the shape of a page, for endpoints clients call without
        ``page``/``page_size`` although the service answers them with page keys."""
        return {
            key: [convert(item) for item in items],
            "count": len(items),
            "next": None,
            "previous": None,
            **extra,
            "success": True,
        }


Handler = Callable[[Call], Json]


@attrs.frozen(kw_only=True)
class Route:
    """An endpoint as the emulator serves it: how it is called and what it reads.

    `method`, `auth`, `multipart` and `paged` are the facts a client must get right;
    a test compares them with the SDK's own endpoint table.
    """

    name: str
    method: Literal["GET", "POST"]
    handler: Handler = attrs.field(repr=False, eq=False)
    fields: tuple[Field, ...]
    auth: bool = True
    """A login is needed (``Authorization: Token ...`` or ``Bearer ...``)."""
    waitlist_ok: bool = False
    """Waitlisted accounts may call it (onboarding and reading one's own account)."""
    multipart: bool = False
    """Clients send it as a multipart form (it carries a file)."""
    paged: bool = False
    """It reads ``page`` and ``page_size`` and answers one page (`Call.page`)."""


class RouteTable:
    """The endpoints of one area, declared with decorators next to their handlers.

    ``page_size=N`` makes an endpoint paged, ``N`` items a page unless the client asks
    for another size.
    """

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}

    def get(
        self,
        name: str,
        *fields: Field,
        auth: bool = True,
        waitlist_ok: bool = False,
        page_size: int | None = None,
    ) -> Callable[[Handler], Handler]:
        """Declare a GET endpoint (it also answers POST, as the service does)."""
        return self._add(
            name,
            fields,
            method="GET",
            auth=auth,
            waitlist_ok=waitlist_ok,
            multipart=False,
            page_size=page_size,
        )

    def post(
        self,
        name: str,
        *fields: Field,
        auth: bool = True,
        waitlist_ok: bool = False,
        multipart: bool = False,
        page_size: int | None = None,
    ) -> Callable[[Handler], Handler]:
        """Declare a POST endpoint."""
        return self._add(
            name,
            fields,
            method="POST",
            auth=auth,
            waitlist_ok=waitlist_ok,
            multipart=multipart,
            page_size=page_size,
        )

    def _add(
        self,
        name: str,
        fields: tuple[Field, ...],
        *,
        method: Literal["GET", "POST"],
        auth: bool,
        waitlist_ok: bool,
        multipart: bool,
        page_size: int | None,
    ) -> Callable[[Handler], Handler]:
        if page_size is not None:
            fields = (*fields, *page_fields(page_size))

        def register(handler: Handler) -> Handler:
            if name in self.routes:
                raise ValueError(f"endpoint {name} declared twice")
            self.routes[name] = Route(
                name=name,
                method=method,
                handler=handler,
                fields=fields,
                auth=auth,
                waitlist_ok=waitlist_ok,
                multipart=multipart,
                paged=page_size is not None,
            )
            return handler

        return register


# -- reading arguments -------------------------------------------------------------------


async def read_arguments(request: web.Request, route: Route) -> tuple[Json, set[str]]:
    """Query string, then body (JSON or a form) on top; also which came as text."""
    raw: Json = dict(request.query)
    textual = set(raw)
    if request.method != "POST":
        return raw, textual
    if request.content_type in FORM_TYPES:
        try:
            form = await request.post()
        except (ValueError, UnicodeDecodeError, AssertionError) as error:
            raise bad_request("The request body is not a valid form.") from error
        for key, value in form.items():
            if isinstance(value, web.FileField):
                raw[key] = UploadedFile(
                    content=value.file.read(),
                    filename=value.filename,
                    content_type=value.content_type,
                )
                textual.discard(key)
            else:
                raw[key] = str(value)
                textual.add(key)
        return raw, textual
    body = await request.read()
    if not body.strip():
        return raw, textual
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise bad_request("The request body is not valid JSON.") from error
    if data is None:
        return raw, textual
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object.")
    raw.update(data)
    textual.difference_update(data)
    return raw, textual


# -- authentication ------------------------------------------------------------------------


def authenticate(request: web.Request, world: World) -> tuple[User, Session]:
    """The user and session behind the Authorization header, or 401/403."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    session: Session | None = None
    if scheme.lower() == "token" and token:
        session = world.accounts.session(token)
        if session is None:
            raise HttpRefusal(401, NOT_AUTHENTICATED)
    elif scheme.lower() == "bearer" and token:
        grant = world.accounts.access_grant(token)
        if grant is None or grant.expires_at <= world.now():
            raise HttpRefusal(401, TOKEN_NOT_VALID)
        session = world.accounts.session(grant.auth_token)
    if session is None:
        raise HttpRefusal(401, NOT_AUTHENTICATED)
    user = world.state.users.get(session.user_id)
    if user is None or user.is_deactivated:
        raise HttpRefusal(401, NOT_AUTHENTICATED)
    if user.is_banned:
        raise HttpRefusal(403, FORBIDDEN)
    return user, session


# -- the one handler behind /api/{name} ----------------------------------------------------


def make_dispatcher(routes: dict[str, Route], world: World) -> Callable[[web.Request], Any]:
    async def dispatch(request: web.Request) -> web.Response:
        route = routes.get(request.match_info.get("name", ""))
        if route is None:
            return web.json_response(NOT_FOUND, status=404)
        allowed = ("GET", "HEAD", "POST") if route.method == "GET" else ("POST",)
        if request.method not in allowed:
            return web.json_response(
                {"detail": f'Method "{request.method}" not allowed.'},
                status=405,
                headers={"Allow": ", ".join(allowed)},
            )
        try:
            user: User | None = None
            session: Session | None = None
            if route.auth:
                user, session = authenticate(request, world)
                if user.is_waitlisted and not route.waitlist_ok:
                    raise bad_request(WAITLISTED)
            raw, textual = await read_arguments(request, route)
            args = check_arguments(route.fields, raw, textual)
            call = Call(request=request, world=world, args=args, user=user, session=session)
            body = route.handler(call)
        except HttpRefusal as error:
            return web.json_response(error.body, status=error.status)
        except ArgumentError as error:
            return web.json_response(refusal_body(error.message), status=400)
        except WorldError as error:
            answer = {**refusal_body(error.message), **error.extra}
            return web.json_response(answer, status=error.status)
        except web.HTTPException as error:
            return web.json_response({"detail": error.reason}, status=error.status)
        except Exception:
            logger.exception("endpoint %s failed", route.name)
            return web.json_response(
                {"success": False, "error_message": "Internal server error"}, status=500
            )
        return web.json_response(body)

    return dispatch
