"""Every example response in the public OpenAPI description decodes into its method's model.

The test walks the YAML itself: for each path it finds the session method of the same
name and the model its return annotation names, so a new example or a new method is
checked without touching this file. Error examples (HTTP >= 400, or ``success: false``)
must map to a typed :class:`~aioclubhouse.errors.APIError` carrying the server's message.
An example written without a ``value`` (the spec has a few ``examples: {x: {}}``) is the
empty object. The description's paths are also checked against the endpoint registry.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

from aioclubhouse.dialect import error_from_response
from aioclubhouse.endpoints.registry import ENDPOINTS
from aioclubhouse.errors import APIError
from aioclubhouse.models.base import Model
from aioclubhouse.models.converter import structure
from aioclubhouse.pagination import Pager
from aioclubhouse.session import ClubhouseSession

SPEC = Path(__file__).resolve().parent.parent / "data" / "clubhouse-openapi.yaml"

# Listings whose answer carries more than one list: which one the pager yields.
PAGER_ITEMS_KEYS = {"get_following": "users"}
# Rows that use the official app's method where the description has another
# (docs/protocol.md G).
APP_METHODS = {"check_waitlist_status": "GET"}


def spec_examples() -> Iterator[Any]:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    for path, operations in spec["paths"].items():
        name = path.strip("/")
        for method, operation in operations.items():
            for status, response in (operation.get("responses") or {}).items():
                content = (response or {}).get("content", {}).get("application/json", {})
                for label, example in (content.get("examples") or {}).items():
                    payload = example.get("value", {}) if isinstance(example, dict) else example
                    yield pytest.param(
                        name, int(status), payload, id=f"{name}-{method}-{status}-{label}"
                    )


EXAMPLES = list(spec_examples())


def server_message(payload: dict[str, Any]) -> str:
    for key in ("error_message", "detail"):
        value = payload.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def pager_items_key(name: str, payload: dict[str, Any]) -> str:
    if name in PAGER_ITEMS_KEYS:
        return PAGER_ITEMS_KEYS[name]
    lists = [key for key, value in payload.items() if isinstance(value, list)]
    assert len(lists) == 1, f"{name}: cannot tell which list holds the items: {lists}"
    return lists[0]


def assert_nothing_dropped(model: Model, payload: dict[str, Any], where: str) -> None:
    """Every non-null key of the example is a declared field that kept its value.

    A misspelt field name would otherwise decode "fine" and silently read as a default.
    ``success`` is the transport's business and may be left undeclared.
    """
    declared = {field.name for field in attrs.fields(type(model))}
    for key, value in payload.items():
        if value is None or key == "success":
            continue
        assert key in declared, f"{where}: {type(model).__name__} has no field {key!r}"
        decoded = getattr(model, key)
        assert decoded is not None, f"{where}.{key} was dropped"
        if isinstance(decoded, Model) and isinstance(value, dict):
            assert_nothing_dropped(decoded, value, f"{where}.{key}")
        elif isinstance(decoded, list) and isinstance(value, list):
            assert len(decoded) == len(value), f"{where}.{key} lost items"
            for index, (item, raw) in enumerate(zip(decoded, value, strict=True)):
                if isinstance(item, Model) and isinstance(raw, dict):
                    assert_nothing_dropped(item, raw, f"{where}.{key}[{index}]")


def assert_decodes(name: str, payload: dict[str, Any]) -> None:
    method = getattr(ClubhouseSession, name, None)
    assert callable(method), f"ClubhouseSession has no method {name!r}"
    returned = typing.get_type_hints(method)["return"]
    if typing.get_origin(returned) in (Pager, list):  # the items of one list of the answer
        (item_type,) = typing.get_args(returned)
        key = pager_items_key(name, payload)
        items = structure(payload[key], list[item_type], endpoint=name)  # type: ignore[valid-type]
        assert len(items) == len(payload[key])
        for item, raw in zip(items, payload[key], strict=True):
            assert isinstance(item, item_type) and item.raw == raw
            assert_nothing_dropped(item, raw, f"{name}.{key}")
        return
    model = structure(payload, returned, endpoint=name)
    assert isinstance(model, returned)
    assert model.raw == payload
    assert_nothing_dropped(model, payload, name)


@pytest.mark.parametrize(("name", "status", "payload"), EXAMPLES)
def test_example_response(name: str, status: int, payload: dict[str, Any]) -> None:
    if status >= 400 or payload.get("success") is False:
        error = error_from_response(status, payload, name)
        assert isinstance(error, APIError)
        assert (error.status, error.endpoint, error.body) == (status, name, payload)
        message = server_message(payload)
        if message:
            assert error.message == message
        return
    assert_decodes(name, payload)


def test_the_spec_has_examples_to_check() -> None:
    assert len(EXAMPLES) >= 40
    assert {"get_profile", "me", "join_channel", "search_clubs"} <= {p.values[0] for p in EXAMPLES}


def test_every_path_of_the_description_is_a_registry_row_with_its_method() -> None:
    """The copy in tests/data and the SDK's endpoint table agree on what exists and how.

    The description notes that the paginated GET endpoints also accept POST, so a
    paginated row may use either method; every other row uses the described one, but
    for those that follow the official app instead (`APP_METHODS`).
    """
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert len(spec["paths"]) == 41
    for path, operations in spec["paths"].items():
        name = path.strip("/")
        assert name in ENDPOINTS, f"{name} is described but not in the registry"
        row = ENDPOINTS[name]
        described = {method.upper() for method in operations}
        assert row.path == name
        if row.paginated:
            assert described <= {"GET", "POST"}, name
        elif name in APP_METHODS:
            assert row.method == APP_METHODS[name] not in described, name
        else:
            assert row.method in described, f"{name}: {row.method} not in {described}"
