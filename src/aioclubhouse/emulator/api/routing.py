"""How every API request is read, checked and answered, in one place.

Each endpoint is declared once with the fields it takes (`Int`, `Str`, `Bool`, ...);
`dispatch` then does the same work for all of them:

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

import enum
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs
from aiohttp import web

from aioclubhouse.emulator.errors import WAITLISTED, WorldError
from aioclubhouse.emulator.models import Session, User

if TYPE_CHECKING:
    from aioclubhouse.emulator.world import World

Json = dict[str, Any]
T = TypeVar("T")
logger = logging.getLogger(__name__)

NOT_AUTHENTICATED = {"detail": "Authentication credentials were not provided."}
TOKEN_NOT_VALID = {"detail": "Token is invalid or expired", "code": "token_not_valid"}
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
NOT_FOUND = {"detail": "Not found."}
MAX_TEXT = 10_000
MAX_INT = 2**63 - 1
MAX_PAGE_SIZE = 1000
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


class Kind(enum.Enum):
    INT = "an integer"
    FLOAT = "a number"
    BOOL = "a boolean"
    STR = "a string"
    TEXT = "a string or a number"
    INT_LIST = "a list of integers"
    STR_LIST = "a list of strings"
    OBJECT = "an object"
    OBJECT_LIST = "a list of objects"
    FILE = "an uploaded file"


@attrs.frozen(kw_only=True)
class Field:
    """One argument an endpoint reads: its name, type, and whether it must be there."""

    name: str
    kind: Kind
    required: bool = False
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None


def Int(
    name: str,
    *,
    required: bool = False,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> Field:
    return Field(
        name=name,
        kind=Kind.INT,
        required=required,
        default=default,
        minimum=minimum,
        maximum=maximum,
    )


def Float(name: str, *, required: bool = False) -> Field:
    return Field(name=name, kind=Kind.FLOAT, required=required)


def Bool(name: str, *, required: bool = False, default: bool | None = None) -> Field:
    return Field(name=name, kind=Kind.BOOL, required=required, default=default)


def Str(name: str, *, required: bool = False, default: str | None = None) -> Field:
    return Field(name=name, kind=Kind.STR, required=required, default=default)


def Text(name: str, *, required: bool = False) -> Field:
    """A string that some clients send as a number (codes, ids used as text)."""
    return Field(name=name, kind=Kind.TEXT, required=required)


def IntList(name: str, *, required: bool = False) -> Field:
    return Field(name=name, kind=Kind.INT_LIST, required=required)


def StrList(name: str, *, required: bool = False) -> Field:
    return Field(name=name, kind=Kind.STR_LIST, required=required)


def Obj(name: str, *, required: bool = False) -> Field:
    return Field(name=name, kind=Kind.OBJECT, required=required)


def ObjList(name: str, *, required: bool = False) -> Field:
    return Field(name=name, kind=Kind.OBJECT_LIST, required=required)


def File(name: str, *, required: bool = False) -> Field:
    return Field(name=name, kind=Kind.FILE, required=required)


class ApiError(Exception):
    """An answer other than success, with its exact body."""

    def __init__(self, status: int, body: Json) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def bad_request(message: str) -> ApiError:
    return ApiError(400, {"success": False, "error_message": message})


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
            raise ApiError(401, NOT_AUTHENTICATED)
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


Handler = Callable[[Call], Json]


@attrs.frozen(kw_only=True)
class Route:
    """An endpoint: its name, method, fields and how it may be called."""

    name: str
    method: Literal["GET", "POST"]
    handler: Handler
    fields: tuple[Field, ...]
    auth: bool = True
    waitlist_ok: bool = False
    """Waitlisted accounts may call it (onboarding and reading one's own account)."""
    multipart: bool = False


PAGE_FIELDS = (Int("page", default=1, minimum=1, maximum=MAX_INT),)


def page_fields(page_size: int) -> tuple[Field, ...]:
    size = Int("page_size", default=page_size, minimum=1, maximum=MAX_PAGE_SIZE)
    return (*PAGE_FIELDS, size)


class RouteTable:
    """The endpoints of one area, declared with decorators next to their handlers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}

    def get(self, name: str, *fields: Field, **options: Any) -> Callable[[Handler], Handler]:
        return self._add("GET", name, fields, options)

    def post(self, name: str, *fields: Field, **options: Any) -> Callable[[Handler], Handler]:
        return self._add("POST", name, fields, options)

    def _add(
        self,
        method: Literal["GET", "POST"],
        name: str,
        fields: tuple[Field, ...],
        options: dict[str, Any],
    ) -> Callable[[Handler], Handler]:
        page_size = options.pop("page_size", None)
        if page_size is not None:
            fields = (*fields, *page_fields(page_size))

        def register(handler: Handler) -> Handler:
            if name in self.routes:
                raise ValueError(f"endpoint {name} declared twice")
            self.routes[name] = Route(
                name=name, method=method, handler=handler, fields=fields, **options
            )
            return handler

        return register


# -- checking arguments --------------------------------------------------------------------


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        if digits.isascii() and digits.isdigit() and len(digits) <= 19:
            return int(text)
    return None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if abs(number) < 1e15 else None


def _list(value: Any, *, textual: bool) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if textual and isinstance(value, str):
        return [part for part in value.split(",") if part.strip()]
    return None


def convert(field: Field, value: Any, *, textual: bool) -> Any:
    """Check one value against its field; return it in the field's type or raise 400.

    `textual` values came from a query string or a form, where everything is a string.
    """
    problem = f"{field.name} must be {field.kind.value}"
    result: Any
    match field.kind:
        case Kind.INT:
            result = _int(value)
            if result is None or abs(result) > MAX_INT:
                raise bad_request(problem)
            if field.minimum is not None and result < field.minimum:
                raise bad_request(f"{field.name} must be at least {field.minimum}")
            if field.maximum is not None and result > field.maximum:
                raise bad_request(f"{field.name} must be at most {field.maximum}")
        case Kind.FLOAT:
            result = _float(value)
        case Kind.BOOL:
            result = _bool(value)
        case Kind.STR:
            result = value if isinstance(value, str) else None
        case Kind.TEXT:
            number_like = isinstance(value, int) and not isinstance(value, bool)
            result = str(value) if number_like or isinstance(value, str) else None
        case Kind.INT_LIST:
            items = _list(value, textual=textual)
            result = None if items is None else [_int(item) for item in items]
            if result is not None and any(i is None or abs(i) > MAX_INT for i in result):
                result = None
        case Kind.STR_LIST:
            items = _list(value, textual=textual)
            ok = items is not None and all(isinstance(item, str) for item in items)
            result = items if ok else None
        case Kind.OBJECT:
            result = value if isinstance(value, dict) else None
        case Kind.OBJECT_LIST:
            ok = isinstance(value, list) and all(isinstance(item, dict) for item in value)
            result = value if ok else None
        case Kind.FILE:
            result = value if isinstance(value, bytes) else None
    if result is None:
        raise bad_request(problem)
    if isinstance(result, str) and len(result) > MAX_TEXT:
        raise bad_request(f"{field.name} is too long")
    return result


def check_arguments(fields: Iterable[Field], raw: Json, textual: set[str]) -> Json:
    """Every declared field, converted, defaulted, or refused when required and absent."""
    args: Json = {}
    for field in fields:
        value = raw.get(field.name)
        if value is None or (value == "" and field.name in textual and field.kind != Kind.STR):
            if field.required:
                raise bad_request(f"Missing field: {field.name}")
            args[field.name] = field.default
            continue
        args[field.name] = convert(field, value, textual=field.name in textual)
    return args


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
                raw[key] = value.file.read()
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
            raise ApiError(401, NOT_AUTHENTICATED)
    elif scheme.lower() == "bearer" and token:
        grant = world.accounts.access_grant(token)
        if grant is None or grant.expires_at <= world.now():
            raise ApiError(401, TOKEN_NOT_VALID)
        session = world.accounts.session(grant.auth_token)
    if session is None:
        raise ApiError(401, NOT_AUTHENTICATED)
    user = world.state.users.get(session.user_id)
    if user is None or user.is_deactivated:
        raise ApiError(401, NOT_AUTHENTICATED)
    if user.is_banned:
        raise ApiError(403, FORBIDDEN)
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
        except ApiError as error:
            return web.json_response(error.body, status=error.status)
        except WorldError as error:
            answer = {"success": False, "error_message": error.message, **error.extra}
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
