"""Property test: whatever a client sends to any endpoint, the answer is JSON and never 5xx.

The emulator runs on its own event loop in a thread so that Hypothesis can drive it
from a plain (synchronous) test; every request crosses a real socket.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import aiohttp
import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aioclubhouse.emulator.api import ROUTES
from aioclubhouse.emulator.api.fields import Kind
from aioclubhouse.emulator.app import Emulator

T = TypeVar("T")
IDENTITY = {"CH-AppBuild": "304", "CH-AppVersion": "0.1.28", "CH-DeviceId": "FUZZ"}
EXAMPLES_PER_ROUTE = 20


class ServedEmulator:
    """An emulator on a private loop in a daemon thread, driven with blocking calls."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.emulator = Emulator(
            seed=4,
            sample_users=60,
            sample_clubs=5,
            sample_rooms=3,
            rate_limit_per_second=1e9,
            rate_limit_burst=10**9,
        )
        self.session: aiohttp.ClientSession | None = None

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout=30)

    def start(self) -> None:
        self.thread.start()
        self.run(self.emulator.start())
        self.session = self.run(self._open_session())

    async def _open_session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    def stop(self) -> None:
        if self.session is not None:
            self.run(self.session.close())
        self.run(self.emulator.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()

    async def exchange(self, name: str, request: dict[str, Any]) -> tuple[int, str, bytes]:
        """Log a fresh tester in (as asked), send the request, return status, type and body."""
        own: dict[str, Any] = {}
        authorization = None
        if request["auth"] in ("token", "bearer"):
            own = self.new_user(request["place"])
            kind, key = (
                ("Token", "auth_token")
                if request["auth"] == "token"
                else (
                    "Bearer",
                    "access_token",
                )
            )
            authorization = f"{kind} {own[key]}"
        elif request["auth"] == "garbage":
            authorization = request["garbage"]
        body, headers = _body(request, own)
        if authorization is not None:
            headers["Authorization"] = authorization
        assert self.session is not None
        async with self.session.request(
            request["method"],
            self.emulator.base_url + name,
            headers=headers,
            data=body,
            params={k: str(_fill(v, own)) for k, v in request["query"].items()},
        ) as response:
            return response.status, response.content_type, await response.read()

    def new_user(self, place: str) -> dict[str, Any]:
        """A fresh account, maybe already in a room or moderating its own."""
        world = self.emulator.world
        tokens = dict(self.emulator.login(name="Fuzz Tester"))
        user = world.state.users[tokens["user_id"]]
        if place == "moderator":
            tokens["channel"] = world.rooms.create(user, topic="fuzzing").channel
        elif place == "listener" and world.state.rooms:
            tokens["channel"] = next(iter(world.state.rooms))
            world.rooms.join(user, tokens["channel"])
        return tokens


@pytest.fixture(scope="module")
def served() -> Iterator[ServedEmulator]:
    server = ServedEmulator()
    server.start()
    try:
        yield server
    finally:
        server.stop()


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-3, max_value=2000)
    | st.floats()
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=4,
)
OWN_ROOM = "<own room>"
OWN_ID = -424242
"""Placeholders replaced, after login, by the tester's own room and user id."""


@attrs.frozen
class Pools:
    """Values naming real things in the world, so handlers get past their first check."""

    ids: dict[str, list[int]]
    texts: list[str]

    def ints(self, field_name: str) -> st.SearchStrategy[int]:
        for word, pool in self.ids.items():
            if word in field_name:
                return st.sampled_from(pool) | st.integers(min_value=0, max_value=5)
        return st.integers(min_value=0, max_value=5) | st.sampled_from(self.ids["user"])

    def strings(self) -> st.SearchStrategy[str]:
        return st.sampled_from(self.texts) | st.text(max_size=10)


@pytest.fixture(scope="module")
def plausible(served: ServedEmulator) -> Pools:
    world = served.emulator.world
    return Pools(
        ids={
            "user": [OWN_ID, *list(world.state.users)[:4]],
            "club": list(world.state.clubs)[:3],
            "topic": list(world.state.topics)[:3],
            "event": list(world.state.events)[:3],
        },
        texts=[OWN_ROOM, *list(world.state.rooms)[:2], "+14155550100", "123456", "https://e.org"],
    )


def well_typed(name: str, kind: Kind, plausible: Pools) -> st.SearchStrategy[Any]:
    """A value of the field's own type (often naming something real)."""
    texts = plausible.strings()
    match kind:
        case Kind.INT:
            return plausible.ints(name)
        case Kind.BOOL:
            return st.booleans()
        case Kind.STR | Kind.FILE:
            return texts
        case Kind.TEXT:
            return texts | plausible.ints(name)
        case Kind.INT_LIST:
            return st.lists(plausible.ints(name), max_size=3)
        case Kind.STR_LIST:
            return st.lists(texts, max_size=3)
        case Kind.OBJECT:
            return st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=3)
        case Kind.OBJECT_LIST:
            rule = st.fixed_dictionaries({"title": texts, "desc": texts, "phone_number": texts})
            return st.lists(rule, max_size=4)


@st.composite
def requests(draw: st.DrawFn, route_name: str, plausible: Pools) -> dict[str, Any]:
    route = ROUTES[route_name]
    names = [field.name for field in route.fields] + ["channel", "user_id", "page"]
    fields: dict[str, Any] = {}
    if draw(st.sampled_from([True, True, True, False])):
        for field in route.fields:
            if field.required or draw(st.booleans()):
                fields[field.name] = draw(well_typed(field.name, field.kind, plausible))
    else:
        values = JSON_VALUES | plausible.ints("user") | plausible.strings()
        fields = draw(st.dictionaries(st.sampled_from(names), values, max_size=len(names)))
    wrong_method = "POST" if route.method == "GET" else "GET"
    shape = draw(st.sampled_from(["object"] * 5 + ["any_json", "bytes", "form", "empty"]))
    auth = draw(st.sampled_from(["token"] * 5 + ["bearer", "none", "garbage"]))
    return {
        "fields": fields,
        "shape": shape,
        "other_json": draw(JSON_VALUES) if shape == "any_json" else None,
        "raw": draw(st.binary(max_size=40)) if shape == "bytes" else b"",
        "file": draw(st.none() | st.binary(max_size=20)) if shape == "form" else None,
        "method": draw(st.sampled_from([route.method] * 5 + [wrong_method])),
        "auth": auth,
        "garbage": draw(st.text(max_size=20).filter(str.isprintable)) if auth == "garbage" else "",
        "place": draw(st.sampled_from(["moderator", "listener", "nowhere"])),
        "query": draw(st.dictionaries(st.sampled_from(names), plausible.strings(), max_size=2)),
    }


def _fill(value: Any, own: dict[str, Any]) -> Any:
    if value == OWN_ROOM:
        return own.get("channel", value)
    if value == OWN_ID:
        return own.get("user_id", value)
    if isinstance(value, list):
        return [_fill(item, own) for item in value]
    return value


def _body(request: dict[str, Any], own: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    headers = dict(IDENTITY)
    fields = {key: _fill(value, own) for key, value in request["fields"].items()}
    shape = request["shape"]
    if shape == "object":
        headers["Content-Type"] = "application/json"
        return json.dumps(fields).encode(), headers
    if shape == "any_json":
        headers["Content-Type"] = "application/json"
        return json.dumps(request["other_json"]).encode(), headers
    if shape == "bytes":
        headers["Content-Type"] = "application/json"
        return request["raw"], headers
    if shape == "form":
        form = aiohttp.FormData()
        for key, value in fields.items():
            form.add_field(
                key, ",".join(map(str, value)) if isinstance(value, list) else str(value)
            )
        if request["file"] is not None:
            form.add_field("file", request["file"], filename="f.jpg")
        return form, headers
    return None, headers


@pytest.mark.parametrize("route_name", sorted(ROUTES))
@settings(
    max_examples=EXAMPLES_PER_ROUTE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_any_request_gets_a_json_answer_below_500(
    served: ServedEmulator, plausible: Pools, route_name: str, data: st.DataObject
) -> None:
    request = data.draw(requests(route_name, plausible))
    status, content_type, raw = served.run(served.exchange(route_name, request))
    assert status < 500, (status, raw[:300])
    assert content_type == "application/json", raw[:300]
    assert isinstance(json.loads(raw), dict)
