"""`ClarityEmulator`: the Clarity API and its OAuth provider on one loopback port.

    async with ClarityEmulator() as emu:
        token = emu.issue_token(member_id=6)
        # point a ClaritySession at emu.base_url, the OAuth helpers at emu.oauth_url

It starts with the sample world of :mod:`.sample` and one registered application
(``emu.client_id`` / ``emu.client_secret``). Every request is recorded in
``emu.requests`` with secrets blanked out, and :meth:`fail_next` makes the next
API answers fail, to exercise a client's error handling over real HTTP.

Where it departs from the API document, on purpose (``docs/protocol.md`` H.4):

* needs and organizations carry an ``id`` the document's examples lack, because
  the calls that act on them need one (``extra_ids=False`` serves the documented
  shape exactly);
* POST parameters are read from a JSON body only, the form the client sends; the
  document does not say (``post_encodings`` accepts form bodies and the query string);
* error answers are ``{"error": "..."}`` with the HTTP status; the document defines no
  error body, so this shape is invented;
* the messages endpoints answer strict JSON unless ``loose_json`` asks for the bare
  keys of the document's examples.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Collection
from typing import Any

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from aioclubhouse.emulator.serving import HttpServer, ServedService

from .oauth import OAuthApp, OAuthProvider
from .routes import ClarityApi, checked_post_encodings, error_response
from .sample import SEEKER_ID, populate
from .world import ClarityWorld

logger = logging.getLogger(__name__)

DEFAULT_REDIRECT_URI = "http://127.0.0.1/clarity/callback"
SECRET_PARAMETERS = frozenset({"oauth_token", "client_secret", "code"})
BLANKED = "<redacted>"


@attrs.frozen(kw_only=True)
class RecordedRequest:
    """One request as the emulator received it, secrets blanked out."""

    method: str
    path: str
    query: dict[str, str]
    body: str = ""

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@attrs.frozen(kw_only=True)
class Fault:
    status: int
    retry_after: float | None = None


class ClarityEmulator(ServedService):
    """A local Clarity service: start it, point clients at `base_url` and `oauth_url`, stop it."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        views_per_state: int = 2,
        loose_json: bool = False,
        sample: bool = True,
        extra_ids: bool = True,
        post_encodings: Collection[str] = ("json",),
    ) -> None:
        """``views_per_state``: reads of a connected call before it moves to its next state.
        ``loose_json``: answer the messages endpoints with bare keys, as the API's examples do.
        ``extra_ids``: give needs and organizations an ``id`` (not in the document).
        ``post_encodings``: where POST parameters are read from, some of ``"json"``,
        ``"form"`` and ``"query"``; only a JSON body by default, as the client sends.
        """
        self.host = host
        self.port = port
        self.post_encodings = checked_post_encodings(post_encodings)
        self.world = ClarityWorld(views_per_state=views_per_state, extra_ids=extra_ids)
        if sample:
            populate(self.world)
        self.oauth = OAuthProvider(signed_in_member_id=SEEKER_ID)
        self.app: OAuthApp = self.oauth.register_app(DEFAULT_REDIRECT_URI)
        self.loose_json = loose_json
        self.requests: list[RecordedRequest] = []
        self._faults: deque[Fault] = deque()
        self._server: HttpServer | None = None

    # -- addresses and credentials ---------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The API root, ``http://127.0.0.1:PORT/v1/``."""
        return f"http://{self.host}:{self.port}/v1/"

    @property
    def oauth_url(self) -> str:
        """The OAuth host root, like ``https://clarity.fm/``: ``oauth/authorize`` is under it."""
        return f"http://{self.host}:{self.port}/"

    @property
    def client_id(self) -> str:
        return self.app.client_id

    @property
    def client_secret(self) -> str:
        return self.app.client_secret

    @property
    def redirect_uri(self) -> str:
        return self.app.redirect_uri

    def issue_token(self, member_id: int = SEEKER_ID) -> str:
        """A valid ``oauth_token`` for ``member_id``, skipping the OAuth dance."""
        self.world.member(member_id)
        return self.oauth.issue_token(member_id)

    def issue_code(self, member_id: int = SEEKER_ID) -> str:
        """An authorization code of the default application, as the redirect would carry."""
        self.world.member(member_id)
        return self.oauth.issue_code(self.client_id, member_id)

    def script_call(self, call_id: int, states: list[str]) -> None:
        """Make a call go through ``states`` (any strings) as it is read."""
        self.world.script_call(call_id, states)

    def fail_next(self, status: int, *, times: int = 1, retry_after: float | None = None) -> None:
        """Answer the next ``times`` API requests with ``status`` (and ``Retry-After``)."""
        self._faults.extend(Fault(status=status, retry_after=retry_after) for _ in range(times))

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        if self._server is not None:
            return
        server = HttpServer(self._make_app(), host=self.host, port=self.port)
        self.port = await server.start()
        self._server = server
        logger.info("Clarity emulator serving on %s", self.base_url)

    async def stop(self) -> None:
        if self._server is None:
            return
        server, self._server = self._server, None
        await server.stop()

    def __repr__(self) -> str:
        return f"<ClarityEmulator {self.base_url if self.running else 'stopped'}>"

    # -- internals -------------------------------------------------------------------------
    def _make_app(self) -> web.Application:
        app = web.Application(
            middlewares=[
                self._errors_middleware(),
                self._record_middleware(),
                self._fault_middleware(),
            ]
        )
        ClarityApi(
            self.world,
            self.oauth,
            loose_json=self.loose_json,
            accepted_encodings=self.post_encodings,
        ).add_routes(app)
        return app

    def _record_middleware(self) -> Middleware:
        @web.middleware
        async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
            body = await request.text() if request.body_exists else ""
            query = {
                key: BLANKED if key in SECRET_PARAMETERS else value
                for key, value in request.query.items()
            }
            self.requests.append(
                RecordedRequest(method=request.method, path=request.path, query=query, body=body)
            )
            return await handler(request)

        return record

    def _fault_middleware(self) -> Middleware:
        @web.middleware
        async def inject(request: web.Request, handler: Handler) -> web.StreamResponse:
            if self._faults and request.path.startswith("/v1/"):
                fault = self._faults.popleft()
                response = error_response(fault.status, f"injected failure {fault.status}")
                if fault.retry_after is not None:
                    response.headers["Retry-After"] = f"{fault.retry_after:g}"
                return response
            return await handler(request)

        return inject

    @staticmethod
    def _errors_middleware() -> Middleware:
        """Every answer is JSON, even the router's 404 and 405 and a handler's crash."""

        @web.middleware
        async def as_json(request: web.Request, handler: Handler) -> web.StreamResponse:
            try:
                return await handler(request)
            except web.HTTPRedirection:
                raise
            except web.HTTPException as error:
                return error_response(error.status, error.reason)
            except (asyncio.CancelledError, ConnectionError):
                raise
            except Exception:
                logger.exception(
                    "Unhandled error while serving %s %s", request.method, request.path
                )
                return error_response(500, "Internal server error")

        return as_json
